package codegen

import (
	"math/bits"
	"sort"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
)

// Registers the allocator hands out. RAX, RCX and R11 are scratch
// (results in flight, shift counts, addresses), R14 and R15 are pinned
// (memory base, Ctx), RSP and RBP are not touched; X14 and X15 are vector
// scratch. RDX is handed out too, but not to a value live at an
// instruction that uses it as scratch (usesRDX).
var (
	gprs = []amd64.Reg{amd64.RDX, amd64.RBX, amd64.RSI, amd64.RDI, amd64.R8, amd64.R9, amd64.R10, amd64.R12, amd64.R13}
	xmms = []amd64.VReg{amd64.X0, amd64.X1, amd64.X2, amd64.X3, amd64.X4, amd64.X5, amd64.X6, amd64.X7,
		amd64.X8, amd64.X9, amd64.X10, amd64.X11, amd64.X12, amd64.X13}
)

type locKind uint8

const (
	locNone locKind = iota
	locGPR
	locXMM
	locSlot // [RSP + off]
	locImm  // an integer constant, rematerialised at every use
)

// loc is where a value lives for its whole lifetime.
type loc struct {
	kind locKind
	reg  uint8 // amd64.Reg or amd64.VReg number
	off  int32 // locSlot: offset from RSP
	imm  int64 // locImm: the value's 64-bit image
}

func gprLoc(r amd64.Reg) loc     { return loc{kind: locGPR, reg: uint8(r)} }
func xmmLoc(r amd64.VReg) loc    { return loc{kind: locXMM, reg: uint8(r)} }
func slotLoc(off int32) loc      { return loc{kind: locSlot, off: off} }
func immLoc(bits int64) loc      { return loc{kind: locImm, imm: bits} }
func (l loc) gpr() amd64.Reg     { return amd64.Reg(l.reg) }
func (l loc) xmm() amd64.VReg    { return amd64.VReg(l.reg) }
func (l loc) isReg() bool        { return l.kind == locGPR || l.kind == locXMM }
func (l loc) mem() amd64.Mem     { return amd64.Ptr(amd64.RSP, l.off) }
func isFloat(t ir.Type) bool     { return t == ir.F32 || t == ir.F64 }
func isVec(t ir.Type) bool       { return isFloat(t) || t == ir.V128 } // lives in a vector register
func (l loc) sameReg(m loc) bool { return l.isReg() && l == m }

// layout numbers the program points of the blocks in emission order
// (reverse postorder): a block's start (where its parameters are
// defined), two points per instruction, and its end (where the
// terminator reads its operands and edge arguments).
type layout struct {
	order      []*ir.Block
	start, end []int // by block ID
	pos        []int // by value ID: instruction position
}

// interval is the single range [start, end] of program points covering
// every point where a value is live: coarser than true liveness across
// block boundaries, never finer. noRDX: an instruction that uses RDX as
// scratch lies in the range (an operand read after RDX is written, as
// memory.fill's slow path does, counts too).
type interval struct {
	v          *ir.Value
	start, end int
	noRDX      bool
}

// usesRDX reports whether v's lowering writes RDX: division (CQO, DIV)
// and the inline memory.fill and memory.copy.
func usesRDX(v *ir.Value) bool {
	switch v.Op {
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU, ir.OpMemoryFill, ir.OpMemoryCopy:
		return true
	}
	return false
}

type bitset []uint64

func newBitset(n int) bitset       { return make(bitset, (n+63)/64) }
func (s bitset) set(i int)         { s[i/64] |= 1 << (i % 64) }
func (s bitset) clear(i int)       { s[i/64] &^= 1 << (i % 64) }
func (s bitset) copyFrom(o bitset) { copy(s, o) }
func (s bitset) each(f func(i int)) {
	for w, word := range s {
		for word != 0 {
			i := bits.TrailingZeros64(word)
			f(w*64 + i)
			word &^= 1 << i
		}
	}
}

func (s bitset) orInto(o bitset) bool { // s |= o, reports change
	changed := false
	for i, w := range o {
		if s[i]|w != s[i] {
			s[i] |= w
			changed = true
		}
	}
	return changed
}

// liveness computes the values live on entry to and exit from every
// reachable block (block parameters are defined at the block's start; a
// terminator's edge arguments are uses in its block). Only values used
// outside the block defining them can be live across a block boundary,
// so the sets range over those alone: bit i of a set is globals[i].
func liveness(f *ir.Func, cfg *ir.CFG) (liveIn, liveOut []bitset, globals []*ir.Value) {
	n, nv := len(f.Blocks), f.NumValues()
	defBlock := make([]int32, nv)
	for _, b := range cfg.RPO {
		for _, p := range b.Params {
			defBlock[p.ID] = int32(b.ID)
		}
		for _, in := range b.Insts {
			defBlock[in.ID] = int32(b.ID)
		}
	}
	dense := make([]int32, nv) // by value ID: 1 + index in globals, 0 when local
	for _, b := range cfg.RPO {
		b.Uses(func(v *ir.Value) {
			if defBlock[v.ID] != int32(b.ID) && dense[v.ID] == 0 {
				globals = append(globals, v)
				dense[v.ID] = int32(len(globals))
			}
		})
	}
	liveIn, liveOut = make([]bitset, n), make([]bitset, n)
	use, def := make([]bitset, n), make([]bitset, n)
	words := (len(globals) + 63) / 64
	backing := make([]uint64, 4*words*len(cfg.RPO)) // one allocation for every set
	next := func() bitset {
		s := bitset(backing[:words:words])
		backing = backing[words:]
		return s
	}
	for _, b := range cfg.RPO {
		u, d := next(), next()
		for _, p := range b.Params {
			if g := dense[p.ID]; g > 0 {
				d.set(int(g - 1))
			}
		}
		for _, in := range b.Insts {
			if g := dense[in.ID]; g > 0 {
				d.set(int(g - 1))
			}
		}
		// A global used in b is either defined in b (after its
		// definition: SSA) or live on entry.
		b.Uses(func(v *ir.Value) {
			if g := dense[v.ID]; g > 0 && defBlock[v.ID] != int32(b.ID) {
				u.set(int(g - 1))
			}
		})
		use[b.ID], def[b.ID] = u, d
		liveIn[b.ID], liveOut[b.ID] = next(), next()
	}
	tmp := newBitset(len(globals))
	for changed := true; changed; {
		changed = false
		for i := len(cfg.RPO) - 1; i >= 0; i-- {
			b := cfg.RPO[i]
			out := liveOut[b.ID]
			for _, e := range b.Term.Succs {
				tmp.copyFrom(liveIn[e.To.ID])
				for _, p := range e.To.Params {
					if g := dense[p.ID]; g > 0 {
						tmp.clear(int(g - 1))
					}
				}
				out.orInto(tmp)
			}
			for w := range tmp {
				tmp[w] = use[b.ID][w] | out[w]&^def[b.ID][w]
			}
			if liveIn[b.ID].orInto(tmp) {
				changed = true
			}
		}
	}
	return liveIn, liveOut, globals
}

// intervals numbers the program points and builds every value's interval.
func intervals(f *ir.Func, cfg *ir.CFG) (*layout, []interval) {
	lay := &layout{order: cfg.RPO, start: make([]int, len(f.Blocks)), end: make([]int, len(f.Blocks)), pos: make([]int, f.NumValues())}
	ivs := make([]interval, f.NumValues())
	for i := range ivs {
		ivs[i] = interval{start: -1, end: -1}
	}
	extend := func(v *ir.Value, p int) {
		iv := &ivs[v.ID]
		iv.v = v
		if iv.start < 0 || p < iv.start {
			iv.start = p
		}
		if p > iv.end {
			iv.end = p
		}
	}
	liveIn, liveOut, globals := liveness(f, cfg)
	p := 0
	for _, b := range cfg.RPO {
		lay.start[b.ID] = p
		for _, v := range b.Params {
			extend(v, p)
		}
		for _, in := range b.Insts {
			p += 2
			lay.pos[in.ID] = p
			for _, a := range in.Args {
				extend(a, p)
			}
			extend(in, p)
		}
		p += 2
		lay.end[b.ID] = p
		termUses(&b.Term, func(v *ir.Value) { extend(v, p) })
		p += 2
	}
	for _, b := range cfg.RPO {
		liveIn[b.ID].each(func(i int) { extend(globals[i], lay.start[b.ID]) })
		liveOut[b.ID].each(func(i int) { extend(globals[i], lay.end[b.ID]) })
	}
	var rdx []int // positions, ascending
	for _, b := range cfg.RPO {
		for _, in := range b.Insts {
			if usesRDX(in) {
				rdx = append(rdx, lay.pos[in.ID])
			}
		}
	}
	if len(rdx) > 0 {
		for i := range ivs {
			iv := &ivs[i]
			k := sort.SearchInts(rdx, iv.start)
			iv.noRDX = iv.v != nil && k < len(rdx) && rdx[k] <= iv.end
		}
	}
	return lay, ivs
}

// termUses calls f for every operand a terminator reads at its block's
// end: its condition or index, edge arguments and returned values. An
// instruction's operands end at the instruction: extending them to the
// block's end would keep every temporary of a long block (a loop body)
// live at once and spill most of them.
func termUses(t *ir.Term, f func(v *ir.Value)) {
	if t.Cond != nil {
		f(t.Cond)
	}
	for _, e := range t.Succs {
		for _, a := range e.Args {
			f(a)
		}
	}
	for _, a := range t.Rets {
		f(a)
	}
}

// reusesFirst reports whether v's lowering computes in place over a
// copy of its first operand (op d, y after d = x) and reads nothing
// after writing d: then v may take x's register when x's interval ends
// at v, and the copy disappears.
func reusesFirst(v *ir.Value) bool {
	_, alu := aluOps[v.Op]
	_, shift := shiftOps[v.Op]
	_, fl := floatOps[v.Op]
	return alu || shift || fl
}

// handOff gives iv the register of its first operand when that
// operand's interval ends where iv starts (iv's instruction is its last
// use) and iv's lowering allows it (reusesFirst); it reports whether it
// did, replacing the operand in active by iv.
func handOff(iv *interval, active []*interval, locs []loc) bool {
	if !reusesFirst(iv.v) {
		return false
	}
	x := iv.v.Args[0]
	for i, a := range active {
		if a.v == x && a.end == iv.start && isVec(x.Type) == isVec(iv.v.Type) &&
			!(iv.noRDX && locs[x.ID] == gprLoc(amd64.RDX)) {
			locs[iv.v.ID] = locs[x.ID]
			active[i] = iv
			return true
		}
	}
	return false
}

// rematerialised reports whether v is an integer constant that gets no
// register or slot: every use takes it as an immediate or loads it where
// needed. Its 64-bit image must be a sign-extended 32-bit immediate in
// 64-bit instructions; an i32 is used by 32-bit instructions only.
func rematerialised(v *ir.Value) bool {
	return v.Op == ir.OpConst && (v.Type == ir.I32 || v.Type == ir.I64 && v.Aux >= -1<<31 && v.Aux < 1<<31)
}

// allocate assigns every value with a result a register or a stack slot
// by linear scan over the intervals; when registers run out, the value
// whose interval ends last is spilled for its whole lifetime. Integer
// constants are rematerialised (locImm). newSlot returns the offset of a
// fresh 8-byte slot; a v128 takes two consecutive ones.
func allocate(ivs []interval, newSlot func() int32) []loc {
	slotFor := func(t ir.Type) loc {
		if t == ir.V128 {
			return slotLoc(vecSlot(newSlot))
		}
		return slotLoc(newSlot())
	}
	locs := make([]loc, len(ivs))
	var order []*interval
	for i := range ivs {
		if v := ivs[i].v; v != nil && rematerialised(v) {
			imm := v.Aux
			if v.Type == ir.I32 { // zero-extended, as an i32 in a register
				imm = int64(uint32(imm))
			}
			locs[v.ID] = immLoc(imm)
			continue
		}
		if ivs[i].v != nil && ivs[i].v.Type != ir.None {
			order = append(order, &ivs[i])
		}
	}
	sort.Slice(order, func(i, j int) bool {
		if order[i].start != order[j].start {
			return order[i].start < order[j].start
		}
		return order[i].v.ID < order[j].v.ID
	})
	var active []*interval
	freeG := append([]amd64.Reg(nil), gprs...)
	freeX := append([]amd64.VReg(nil), xmms...)
	release := func(iv *interval) {
		l := locs[iv.v.ID]
		switch l.kind {
		case locGPR:
			freeG = append(freeG, l.gpr())
		case locXMM:
			freeX = append(freeX, l.xmm())
		}
	}
	for _, iv := range order {
		kept := active[:0]
		for _, a := range active {
			if a.end < iv.start {
				release(a)
			} else {
				kept = append(kept, a)
			}
		}
		active = kept
		if handOff(iv, active, locs) {
			continue
		}
		fl := isVec(iv.v.Type)
		fg := -1 // index of the free general register to take
		for i := len(freeG) - 1; !fl && i >= 0; i-- {
			if freeG[i] != amd64.RDX || !iv.noRDX {
				fg = i
				break
			}
		}
		switch {
		case fg >= 0:
			locs[iv.v.ID] = gprLoc(freeG[fg])
			freeG = append(freeG[:fg], freeG[fg+1:]...)
		case fl && len(freeX) > 0:
			locs[iv.v.ID] = xmmLoc(freeX[len(freeX)-1])
			freeX = freeX[:len(freeX)-1]
		default:
			vi := -1
			for i, a := range active {
				if isVec(a.v.Type) == fl && (vi < 0 || a.end > active[vi].end) &&
					!(iv.noRDX && locs[a.v.ID] == gprLoc(amd64.RDX)) {
					vi = i
				}
			}
			if vi >= 0 && active[vi].end > iv.end {
				victim := active[vi]
				locs[iv.v.ID] = locs[victim.v.ID]
				locs[victim.v.ID] = slotFor(victim.v.Type)
				active = append(active[:vi], active[vi+1:]...)
			} else {
				locs[iv.v.ID] = slotFor(iv.v.Type)
			}
		}
		// active holds only intervals in registers: a spilled one frees
		// nothing when it ends, and keeping it would make every step
		// scan all the spilled values still live.
		if locs[iv.v.ID].isReg() {
			active = append(active, iv)
		}
	}
	return locs
}
