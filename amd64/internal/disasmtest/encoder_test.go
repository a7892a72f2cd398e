package disasmtest

import (
	"fmt"
	"math/rand"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"golang.org/x/arch/x86/x86asm"
)

// Every instruction form of the table, assembled over all registers and a
// set of memory shapes, must decode with x86asm to the same mnemonic and
// operands, and to exactly the bytes emitted.

var gprs = []amd64.Reg{
	amd64.RAX, amd64.RCX, amd64.RDX, amd64.RBX, amd64.RSP, amd64.RBP, amd64.RSI, amd64.RDI,
	amd64.R8, amd64.R9, amd64.R10, amd64.R11, amd64.R12, amd64.R13, amd64.R14, amd64.R15,
}

// wantReg is the x86asm register for general register n at width w,
// computed from x86asm's own register numbering.
func wantReg(n int, w amd64.Width) x86asm.Reg {
	switch w {
	case amd64.W8:
		switch {
		case n < 4:
			return x86asm.AL + x86asm.Reg(n)
		case n < 8:
			return x86asm.SPB + x86asm.Reg(n-4)
		}
		return x86asm.R8B + x86asm.Reg(n-8)
	case amd64.W16:
		return x86asm.AX + x86asm.Reg(n)
	case amd64.W32:
		return x86asm.EAX + x86asm.Reg(n)
	}
	return x86asm.RAX + x86asm.Reg(n)
}

// memCase is a memory operand and the x86asm.Mem it must decode to.
type memCase struct {
	m    amd64.Mem
	want x86asm.Mem
}

var disps = []int32{0, 1, -1, 127, -128, 128, -129, 0x7fffffff, -0x80000000, 0x12345}

func baseMem(b int, d int32) memCase {
	return memCase{amd64.Ptr(gprs[b], d), x86asm.Mem{Base: x86asm.RAX + x86asm.Reg(b), Disp: int64(d)}}
}

func indexMem(b, i int, s uint8, d int32) memCase {
	return memCase{amd64.Indexed(gprs[b], gprs[i], s, d),
		x86asm.Mem{Base: x86asm.RAX + x86asm.Reg(b), Index: x86asm.RAX + x86asm.Reg(i), Scale: s, Disp: int64(d)}}
}

// allMems is every base, every index (not rsp), every scale and the
// displacement classes: used for a few representative encodings.
func allMems() []memCase {
	var ms []memCase
	for b := range gprs {
		for _, d := range disps {
			ms = append(ms, baseMem(b, d))
		}
		for i := range gprs {
			if i == 4 {
				continue
			}
			for _, s := range []uint8{1, 2, 4, 8} {
				for _, d := range []int32{0, -3, 1000} {
					ms = append(ms, indexMem(b, i, s, d))
				}
			}
		}
	}
	for i := range gprs {
		if i != 4 {
			ms = append(ms, memCase{amd64.IndexOnly(gprs[i], 8, 64), x86asm.Mem{Index: x86asm.RAX + x86asm.Reg(i), Scale: 8, Disp: 64}})
		}
	}
	for _, d := range []int32{0, -7, 0x10000} {
		ms = append(ms, memCase{amd64.RIPRel(d), x86asm.Mem{Base: x86asm.RIP, Disp: int64(d)}})
	}
	return ms
}

// someMems covers the special ModRM/SIB cases (rsp, rbp, r12, r13 as base;
// r12, r13 as index; disp 0/8/32; no base; RIP) for every form.
func someMems() []memCase {
	var ms []memCase
	for b := range gprs {
		ms = append(ms, baseMem(b, 0), baseMem(b, -100))
	}
	for _, b := range []int{0, 4, 5, 12, 13, 15} {
		for _, i := range []int{1, 5, 12, 13} {
			ms = append(ms, indexMem(b, i, 1<<(uint(b+i)%4), 0), indexMem(b, i, 8, 0x4000))
		}
	}
	ms = append(ms,
		memCase{amd64.IndexOnly(amd64.R13, 4, -8), x86asm.Mem{Index: x86asm.R13, Scale: 4, Disp: -8}},
		memCase{amd64.RIPRel(0x1234), x86asm.Mem{Base: x86asm.RIP, Disp: 0x1234}},
	)
	return ms
}

// candidate is one value for one operand position.
type candidate struct {
	op   amd64.Operand
	want x86asm.Arg
	imm  bool
	mask uint64 // for immediates: bits that are compared
}

func widthMask(w amd64.Width) uint64 {
	if w == amd64.W64 || w == amd64.WNone {
		return ^uint64(0)
	}
	return 1<<(8*uint(w)) - 1
}

// candidates lists the values tried at one position for one argument kind.
func candidates(k amd64.ArgKind, w amd64.Width, mems []memCase) []candidate {
	var cs []candidate
	regs := func(width amd64.Width) {
		for n, r := range gprs {
			cs = append(cs, candidate{op: r, want: wantReg(n, width)})
		}
	}
	imms := func(mask uint64, vs ...int64) {
		for _, v := range vs {
			cs = append(cs, candidate{op: amd64.Imm(v), want: x86asm.Imm(v), imm: true, mask: mask})
		}
	}
	switch k {
	case amd64.ArgReg:
		regs(w)
	case amd64.ArgReg8:
		regs(amd64.W8)
	case amd64.ArgReg16:
		regs(amd64.W16)
	case amd64.ArgReg32:
		regs(amd64.W32)
	case amd64.ArgCL:
		cs = append(cs, candidate{op: amd64.RCX, want: x86asm.CL})
	case amd64.ArgMem:
		for _, m := range mems {
			cs = append(cs, candidate{op: m.m, want: m.want})
		}
	case amd64.ArgXMM:
		for n := 0; n < 16; n++ {
			cs = append(cs, candidate{op: amd64.X0 + amd64.VReg(n), want: x86asm.X0 + x86asm.Reg(n)})
		}
	case amd64.ArgYMM:
		for n := 0; n < 16; n++ {
			cs = append(cs, candidate{op: amd64.Y0 + amd64.VReg(n), want: x86asm.Y0 + x86asm.Reg(n)})
		}
	case amd64.ArgImm8:
		imms(widthMask(w), 0, 1, -1, 127, -128)
	case amd64.ArgUImm8:
		imms(0xFF, 0, 1, 7, 0x80, 0xFF)
	case amd64.ArgByteImm:
		imms(0xFF, 0, -128, 0x7F, 0xFF)
	case amd64.ArgImmZ:
		if w == amd64.W16 {
			imms(0xFFFF, 0x1234, -0x8000, 0xFFFF)
		} else {
			imms(widthMask(w), 0x12345678, -0x80000000, 1000)
		}
	case amd64.ArgImm64:
		imms(^uint64(0), 0x123456789abcdef0, -0x8000000000000000, 1)
	}
	return cs
}

// expectedOp is the x86asm mnemonic for op (with condition cc where it
// takes one).
func expectedOp(op amd64.Op, cc amd64.Cond, w amd64.Width) string {
	switch op {
	case amd64.SETCC, amd64.CMOVCC:
		return strings.ToUpper(op.String() + ccName[cc])
	case amd64.MOVABS:
		return "MOV"
	case amd64.MOVSD:
		return "MOVSD_XMM"
	case amd64.INT3:
		return "INT" // x86asm prints CC as "int 3", with an implicit operand
	}
	return strings.ToUpper(op.String())
}

// x86asm's condition suffixes.
var ccName = [16]string{"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"}

type checker struct {
	t      *testing.T
	count  int
	failed int
}

// check assembles one instruction and compares its decoding.
func (c *checker) check(op amd64.Op, cc amd64.Cond, w amd64.Width, lock bool, cs []candidate) {
	c.t.Helper()
	a := amd64.NewAssembler(amd64.All)
	ops := make([]amd64.Operand, len(cs))
	for i, x := range cs {
		ops[i] = x.op
	}
	a.InstCC(op, cc, w, ops...)
	code, err := a.Finish()
	c.count++
	desc := func() string {
		var s []string
		for _, o := range ops {
			s = append(s, fmt.Sprint(o))
		}
		return fmt.Sprintf("%v(cc %v) %v %s", op, cc, w, strings.Join(s, ", "))
	}
	fail := func(format string, args ...any) {
		c.failed++
		if c.failed <= 30 {
			c.t.Errorf("%s: % x: %s", desc(), code, fmt.Sprintf(format, args...))
		}
	}
	if err != nil {
		fail("assemble: %v", err)
		return
	}
	inst, err := x86asm.Decode(code, 64)
	if err != nil {
		fail("decode: %v", err)
		return
	}
	got := x86asm.IntelSyntax(inst, 0, nil)
	if inst.Len != len(code) {
		fail("decoded %d of %d bytes (%s)", inst.Len, len(code), got)
		return
	}
	if want := expectedOp(op, cc, w); inst.Op.String() != want {
		fail("op %v, want %s (%s)", inst.Op, want, got)
		return
	}
	hasLock := false
	for _, p := range inst.Prefix {
		if p == 0 || p.IsVEX() || p.IsEVEX() {
			break // the bytes after a VEX prefix are its payload
		}
		if p&0xFF == x86asm.PrefixLOCK {
			hasLock = true
		}
	}
	if hasLock != lock {
		fail("lock prefix %v, want %v (%s)", hasLock, lock, got)
		return
	}
	var args []x86asm.Arg
	for _, x := range inst.Args {
		if x != nil {
			args = append(args, x)
		}
	}
	if op == amd64.INT3 && len(args) == 1 && args[0] == x86asm.Imm(3) {
		args = nil
	}
	if len(args) != len(cs) {
		fail("%d operands, want %d (%s)", len(args), len(cs), got)
		return
	}
	for i, x := range cs {
		if isVEXRIPQuirk(code, args[i], x) {
			continue
		}
		if !sameArg(args[i], x) {
			fail("operand %d is %#v, want %#v (%s)", i, args[i], x.want, got)
			return
		}
	}
}

// isVEXRIPQuirk recognises x86asm v0.33.0's AVX decoder reporting a
// RIP-relative operand as an absolute one ([disp], no base; objdump shows
// [rip+disp] for the same bytes). For those the ModRM byte is checked
// directly: mod 00, r/m 101 is RIP-relative in 64-bit mode.
func isVEXRIPQuirk(code []byte, got x86asm.Arg, want candidate) bool {
	w, ok := want.want.(x86asm.Mem)
	g, ok2 := got.(x86asm.Mem)
	if !ok || !ok2 || w.Base != x86asm.RIP || g.Base != 0 || g.Index != 0 || g.Disp != w.Disp {
		return false
	}
	var modrm int
	switch code[0] {
	case 0xC5:
		modrm = 3
	case 0xC4:
		modrm = 4
	default:
		return false
	}
	return len(code) > modrm && code[modrm]&0xC7 == 0x05
}

func sameArg(got x86asm.Arg, want candidate) bool {
	switch w := want.want.(type) {
	case x86asm.Imm:
		g, ok := got.(x86asm.Imm)
		return ok && uint64(g)&want.mask == uint64(w)&want.mask
	case x86asm.Mem:
		g, ok := got.(x86asm.Mem)
		if !ok {
			return false
		}
		if g.Index == 0 {
			g.Scale = 0
		}
		if w.Index == 0 {
			w.Scale = 0
		}
		return g == w
	}
	return got == want.want
}

// forEachTuple calls f with operand tuples drawn from the per-position
// candidates: the full product when it is small, otherwise a deterministic
// sample in which every candidate of every position appears.
func forEachTuple(lists [][]candidate, limit int, f func([]candidate)) {
	total := 1
	for _, l := range lists {
		total *= len(l)
	}
	tuple := make([]candidate, len(lists))
	if total <= limit {
		var rec func(i int)
		rec = func(i int) {
			if i == len(lists) {
				f(tuple)
				return
			}
			for _, c := range lists[i] {
				tuple[i] = c
				rec(i + 1)
			}
		}
		rec(0)
		return
	}
	rng := rand.New(rand.NewSource(int64(total)))
	maxLen := 0
	for _, l := range lists {
		maxLen = max(maxLen, len(l))
	}
	for n := 0; n < limit; n++ {
		for i, l := range lists {
			if n < maxLen {
				tuple[i] = l[(n+i)%len(l)] // every candidate at least once
			} else {
				tuple[i] = l[rng.Intn(len(l))]
			}
		}
		f(tuple)
	}
}

// formTuples expands a form at width w into per-position candidate lists,
// once per vector length when its vector positions take either.
func formLists(f amd64.Form, w amd64.Width, mems []memCase) [][][]candidate {
	var out [][][]candidate
	for _, length := range []amd64.ArgKind{amd64.ArgXMM, amd64.ArgYMM} {
		either := false
		lists := make([][]candidate, len(f.Args))
		for i, kinds := range f.Args {
			flexible := contains(kinds, amd64.ArgXMM) && contains(kinds, amd64.ArgYMM)
			either = either || flexible
			for _, k := range kinds {
				if flexible && (k == amd64.ArgXMM || k == amd64.ArgYMM) && k != length {
					continue
				}
				lists[i] = append(lists[i], candidates(k, w, mems)...)
			}
		}
		out = append(out, lists)
		if !either {
			break
		}
	}
	return out
}

func contains(ks []amd64.ArgKind, k amd64.ArgKind) bool {
	for _, x := range ks {
		if x == k {
			return true
		}
	}
	return false
}

func takesCond(op amd64.Op) bool { return op == amd64.SETCC || op == amd64.CMOVCC }

func TestEveryForm(t *testing.T) {
	limit := 6000
	if testing.Short() {
		limit = 500
	}
	mems := someMems()
	c := &checker{t: t}
	for _, op := range amd64.Ops() {
		for _, f := range op.Forms() {
			for _, w := range f.Widths {
				conds := []amd64.Cond{0}
				if takesCond(op) {
					conds = nil
					for cc := amd64.CondO; cc <= amd64.CondG; cc++ {
						conds = append(conds, cc)
					}
				}
				for _, cc := range conds {
					for _, lists := range formLists(f, w, mems) {
						forEachTuple(lists, limit, func(cs []candidate) { c.check(op, cc, w, f.Lock, cs) })
					}
				}
			}
		}
	}
	if c.failed > 0 {
		t.Errorf("%d of %d instructions disagree with x86asm", c.failed, c.count)
	}
	t.Logf("%d instructions checked against x86asm over %d ops", c.count, len(amd64.Ops()))
}

// TestAllMemoryShapes crosses every memory shape with every register in
// the other operand for representative encodings of each prefix scheme.
func TestAllMemoryShapes(t *testing.T) {
	mems := allMems()
	c := &checker{t: t}
	type rep struct {
		op     amd64.Op
		w      amd64.Width
		memPos int
		other  amd64.ArgKind
	}
	reps := []rep{
		{amd64.MOV, amd64.W64, 1, amd64.ArgReg},      // REX.W, RM
		{amd64.MOV, amd64.W8, 0, amd64.ArgReg},       // byte store, REX for sil/dil
		{amd64.MOVZXW, amd64.W32, 1, amd64.ArgReg},   // 0F escape
		{amd64.LEA, amd64.W32, 1, amd64.ArgReg},      // no REX.W
		{amd64.MOVDQU, amd64.WNone, 1, amd64.ArgXMM}, // mandatory prefix
		{amd64.VPADDB, amd64.WNone, 2, amd64.ArgYMM}, // VEX, 3-byte when X/B set
		{amd64.SHLX, amd64.W64, 1, amd64.ArgReg},     // VEX with W1
	}
	for _, r := range reps {
		for _, m := range mems {
			for n := 0; n < 16; n++ {
				others := candidates(r.other, r.w, nil)
				cs := []candidate{others[n], {op: m.m, want: m.want}}
				if r.memPos == 0 {
					cs[0], cs[1] = cs[1], cs[0]
				}
				if r.op == amd64.VPADDB {
					cs = []candidate{others[n], others[15-n], {op: m.m, want: m.want}}
				}
				if r.op == amd64.SHLX {
					cs = append(cs, candidates(amd64.ArgReg, r.w, nil)[15-n])
				}
				c.check(r.op, 0, r.w, false, cs)
			}
		}
	}
	if c.failed > 0 {
		t.Errorf("%d of %d instructions disagree with x86asm", c.failed, c.count)
	}
	t.Logf("%d memory-operand instructions checked (%d shapes)", c.count, len(mems))
}
