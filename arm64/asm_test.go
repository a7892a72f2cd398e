package arm64

import (
	"errors"
	"math"
	"math/rand"
	"strings"
	"testing"
)

// Every error path records a clear error that Finish returns; nothing
// panics and nothing is emitted after it.
func TestErrors(t *testing.T) {
	cases := []struct {
		name   string
		target Features
		emit   func(a *Assembler)
		want   string
	}{
		{"add imm not 12 bits", All, func(a *Assembler) { a.AddImm(ADD, W64, R0, R1, 0x1001) }, "not 12 bits"},
		{"add imm shifted too wide", All, func(a *Assembler) { a.AddImm(SUB, W32, R0, R1, 1<<24) }, "not 12 bits"},
		{"sp in a zr slot", All, func(a *Assembler) { a.AddReg(ADD, W64, R0, RSP, R1, LSL, 0) }, "sp cannot"},
		{"zr in an sp slot", All, func(a *Assembler) { a.AddImm(ADD, W64, R0, ZR, 1) }, "zero register cannot"},
		{"flag-setting into sp", All, func(a *Assembler) { a.AddImm(ADDS, W64, RSP, R0, 1) }, "sp cannot"},
		{"ror in add", All, func(a *Assembler) { a.AddReg(ADD, W64, R0, R1, R2, ROR, 1) }, "shift ror"},
		{"shift amount", All, func(a *Assembler) { a.AddReg(ADD, W32, R0, R1, R2, LSL, 32) }, "out of range"},
		{"extend amount", All, func(a *Assembler) { a.AddExt(ADD, W64, R0, R1, R2, UXTW, 5) }, "out of range"},
		{"bitmask zero", All, func(a *Assembler) { a.LogicImm(AND, W64, R0, R1, 0) }, "not a 64-bit bitmask"},
		{"bitmask ones", All, func(a *Assembler) { a.LogicImm(ORR, W32, R0, R1, 0xffffffff) }, "not a 32-bit bitmask"},
		{"bitmask not a run", All, func(a *Assembler) { a.LogicImm(EOR, W64, R0, R1, 0x12345) }, "bitmask"},
		{"bitmask above 32 bits", All, func(a *Assembler) { a.LogicImm(AND, W32, R0, R1, 1<<32|1) }, "wider than 32 bits"},
		{"movk shift", All, func(a *Assembler) { a.MoveWide(MOVK, W32, R0, 1, 32) }, "shift 32"},
		{"movk odd shift", All, func(a *Assembler) { a.MoveWide(MOVZ, W64, R0, 1, 8) }, "multiple of 16"},
		{"invalid move op", All, func(a *Assembler) { a.MoveWide(MoveOp(1), W64, R0, 1, 0) }, "invalid op"},
		{"invalid width", All, func(a *Assembler) { a.DataProc2(UDIV, Width(16), R0, R1, R2) }, "invalid width"},
		{"rev32 at 32 bits", All, func(a *Assembler) { a.DataProc1(REV32, W32, R0, R1) }, "64-bit only"},
		{"smulh with ra", All, func(a *Assembler) { a.DataProc3(SMULH, W64, R0, R1, R2, R3) }, "no accumulator"},
		{"long multiply at 32", All, func(a *Assembler) { a.DataProc3(UMADDL, W32, R0, R1, R2, R3) }, "64-bit only"},
		{"bitfield range", All, func(a *Assembler) { a.Bitfield(UBFM, W32, R0, R1, 32, 0) }, "out of range"},
		{"ubfx field", All, func(a *Assembler) { a.Ubfx(W32, R0, R1, 30, 3) }, "does not fit"},
		{"shift imm", All, func(a *Assembler) { a.ShiftImm(LSL, W64, R0, R1, 64) }, "out of range"},
		{"sxtw at 32", All, func(a *Assembler) { a.ExtendReg(SXTW, W32, R0, R1) }, "64-bit only"},
		{"cset al", All, func(a *Assembler) { a.Cset(W32, R0, AL) }, "cannot be inverted"},
		{"ccmp imm", All, func(a *Assembler) { a.CondCmpImm(CCMP, W64, R0, 32, 0, EQ) }, "out of range"},
		{"ccmp nzcv", All, func(a *Assembler) { a.CondCmp(CCMP, W64, R0, R1, 16, EQ) }, "out of range"},
		{"unscaled too far", All, func(a *Assembler) { a.LoadStore(LDR, S64, R0, Ptr(R1, -257)) }, "neither"},
		{"scaled too far", All, func(a *Assembler) { a.LoadStore(LDR, S32, R0, Ptr(R1, 4*4096)) }, "neither"},
		{"misaligned far", All, func(a *Assembler) { a.LoadStore(STR, S64, R0, Ptr(R1, 4097)) }, "neither"},
		{"write-back range", All, func(a *Assembler) { a.LoadStore(LDR, S64, R0, PreIndex(R1, 256)) }, "-256..255"},
		{"write-back into loaded", All, func(a *Assembler) { a.LoadStore(LDR, S64, R1, PostIndex(R1, 8)) }, "write-back base"},
		{"write-back of stored", All, func(a *Assembler) { a.LoadStore(STR, S32, R1, PreIndex(R1, 8)) }, "write-back base"},
		{"pair write-back of stored", All, func(a *Assembler) { a.Pair(STP, W64, R0, R1, PreIndex(R1, 16)) }, "write-back base"},
		{"ldrs 64", All, func(a *Assembler) { a.LoadStore(LDRS, S64, R0, Ptr(R1, 0)) }, "no 8-byte form"},
		{"ldrs32 word", All, func(a *Assembler) { a.LoadStore(LDRS32, S32, R0, Ptr(R1, 0)) }, "no 4-byte form"},
		{"index extend", All, func(a *Assembler) { a.LoadStore(LDR, S64, R0, Indexed(R1, R2, UXTB, false)) }, "index extend"},
		{"zr base", All, func(a *Assembler) { a.LoadStore(LDR, S64, R0, Ptr(ZR, 0)) }, "zero register cannot"},
		{"pair offset", All, func(a *Assembler) { a.Pair(LDP, W64, R0, R1, Ptr(RSP, 4)) }, "not a multiple of 8"},
		{"pair range", All, func(a *Assembler) { a.Pair(STP, W32, R0, R1, Ptr(RSP, 256)) }, "not a multiple of 4"},
		{"pair same", All, func(a *Assembler) { a.Pair(LDP, W64, R0, R0, Ptr(RSP, 0)) }, "both destinations"},
		{"pair register offset", All, func(a *Assembler) { a.Pair(STP, W64, R0, R1, Indexed(R2, R3, UXTX, false)) }, "register-offset"},
		{"ldpsw 32", All, func(a *Assembler) { a.Pair(LDPSW, W32, R0, R1, Ptr(RSP, 0)) }, "64-bit"},
		{"fp pair bytes", All, func(a *Assembler) { a.FPair(LDP, S16, V0, V1, Ptr(RSP, 0)) }, "no 2-byte"},
		{"stxr status overlap", All, func(a *Assembler) { a.StoreExclusive(STXR, S32, R1, R1, R2) }, "overlaps"},
		{"not a load", All, func(a *Assembler) { a.LoadOrdered(STLR, S32, R1, R2) }, "not an ordered load"},
		{"lse on baseline", Baseline, func(a *Assembler) { a.Atomic(LDADD, AcqRel, S64, R0, R1, R2) }, "needs lse"},
		{"cas on baseline", Baseline, func(a *Assembler) { a.Cas(Relaxed, S32, R0, R1, R2) }, "needs lse"},
		{"ldapr on baseline", FeatLSE, func(a *Assembler) { a.LoadOrdered(LDAPR, S64, R0, R1) }, "needs rcpc"},
		{"tbz bit", All, func(a *Assembler) { a.TBZ(R0, 64, a.NewLabel()) }, "bit 64"},
		{"b.nv", All, func(a *Assembler) { a.BCond(NV, a.NewLabel()) }, "cannot be used"},
		{"unknown label", All, func(a *Assembler) { a.B(Label{id: 9}) }, "unknown label"},
		{"unbound label", All, func(a *Assembler) { a.CBZ(W64, R0, a.NewLabel()) }, "not bound"},
		{"half precision without fp16", Baseline, func(a *Assembler) { a.FP2(FADD, Half, V0, V1, V2) }, "needs fp16"},
		{"invalid precision", All, func(a *Assembler) { a.FP1(FABS, FType(2), V0, V1) }, "invalid precision"},
		{"fcvt to itself", All, func(a *Assembler) { a.Fcvt(Double, Double, V0, V1) }, "to itself"},
		{"fjcvtzs on baseline", Baseline, func(a *Assembler) { a.Fjcvtzs(R0, V1) }, "needs jscvt"},
		{"fcvtzs as int to fp", All, func(a *Assembler) { a.IntToFP(FCVTZS, Double, W64, V0, R1) }, "converts to an integer"},
		{"scvtf as fp to int", All, func(a *Assembler) { a.FcvtToInt(SCVTF, W64, Double, R0, V1) }, "converts to floating point"},
		{"fmov imm", All, func(a *Assembler) { a.FmovImm(Double, V0, 0.1) }, "not an 8-bit"},
		{"fmov imm zero", All, func(a *Assembler) { a.FmovImm(Single, V0, 0) }, "not an 8-bit"},
		{"vector register", All, func(a *Assembler) { a.FP2(FADD, Single, V0, VReg(32), V1) }, "invalid vector register"},
		{"mul 2d", All, func(a *Assembler) { a.Vec3(VMUL, D2, V0, V1, V2) }, "arrangement 2d not allowed"},
		{"and 4s", All, func(a *Assembler) { a.Vec3(VAND, S4, V0, V1, V2) }, "arrangement 4s not allowed"},
		{"fadd 8h", All, func(a *Assembler) { a.Vec3(VFADD, H8, V0, V1, V2) }, "arrangement 8h not allowed"},
		{"addv 2s", All, func(a *Assembler) { a.Vec2(VADDV, S2, V0, V1) }, "arrangement 2s not allowed"},
		{"lane index", All, func(a *Assembler) { a.Umov(S32, R0, V1, 4) }, "lane 4"},
		{"smov into w", All, func(a *Assembler) { a.Smov(S32, W32, R0, V1, 0) }, "not allowed"},
		{"tbl registers", All, func(a *Assembler) { a.Tbl(B16, V0, V1, 5, V2) }, "5 table registers"},
		{"ext index", All, func(a *Assembler) { a.Ext(B8, V0, V1, V2, 8) }, "index 8"},
		{"shl amount", All, func(a *Assembler) { a.VecShift(VSHL, S4, V0, V1, 32) }, "out of range"},
		{"ushr zero", All, func(a *Assembler) { a.VecShift(VUSHR, H8, V0, V1, 0) }, "out of range"},
		{"widen 2d", All, func(a *Assembler) { a.Widen(SSHLL, D2, V0, V1, 0) }, "not allowed"},
		{"widen shift", All, func(a *Assembler) { a.Widen(USHLL, H4, V0, V1, 16) }, "shift 16"},
		{"narrow 2d", All, func(a *Assembler) { a.Narrow(XTN, D2, V0, V1) }, "not allowed"},
		{"mull 2d", All, func(a *Assembler) { a.MulLong(UMULL, D2, V0, V1, V2) }, "not allowed"},
		{"fcvtl 4h", All, func(a *Assembler) { a.Fcvtl(H4, V0, V1) }, "not allowed"},
		{"zip 1d", All, func(a *Assembler) { a.Permute(ZIP1, D1, V0, V1, V2) }, "not allowed"},
		{"ldr literal bytes", All, func(a *Assembler) { a.FLdrLiteral(S16, V0, a.NewLabel()) }, "no 2-byte"},
		{"ld1 lane index", All, func(a *Assembler) { a.Ld1Lane(S64, V0, 2, R1) }, "lane 2"},
		{"st1 lane zr", All, func(a *Assembler) { a.St1Lane(S8, V0, 0, ZR) }, "zero register cannot"},
		{"sqrdmulh bytes", All, func(a *Assembler) { a.Vec3(VSQRDMULH, B16, V0, V1, V2) }, "arrangement 16b not allowed"},
		{"adc sp", All, func(a *Assembler) { a.AddCarry(ADC, W64, RSP, R1, R2) }, "sp cannot"},
		{"bound twice", All, func(a *Assembler) { l := a.NewLabel(); a.Bind(l); a.Bind(l) }, "bound twice"},
	}
	for _, c := range cases {
		a := NewAssembler(c.target)
		c.emit(a)
		n := a.Len()
		a.Nop() // ignored after an error
		if a.Len() != n && a.Err() != nil {
			t.Errorf("%s: emitted after the error", c.name)
		}
		_, err := a.Finish()
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.HasPrefix(err.Error(), "arm64: ") {
			t.Errorf("%s: error %v, want one containing %q", c.name, err, c.want)
		}
	}
}

func TestFinishTwiceAndAfter(t *testing.T) {
	a := NewAssembler(Baseline)
	l := a.NewLabel()
	a.Bind(l)
	a.Nop()
	if _, err := a.Offset(l); err == nil {
		t.Error("Offset before Finish succeeded")
	}
	if _, err := a.Finish(); err != nil {
		t.Fatal(err)
	}
	if off, err := a.Offset(l); err != nil || off != 0 {
		t.Errorf("Offset = %d, %v", off, err)
	}
	if _, err := a.Finish(); err == nil {
		t.Error("second Finish succeeded")
	}
	a.Nop()
	if a.Err() == nil {
		t.Error("emitting after Finish is not an error")
	}
}

// Every label reference takes the shortest form that reaches: its own
// instruction, the opposite test around a B (conditional branches), or
// the far form through X16 (±2 GiB); beyond that Finish fails with
// ErrBranchRange. Forward labels are placed far by hand rather than by
// emitting gigabytes of code; backward ones only up to the short forms'
// reach (internal/disasmtest decodes real code past 128 MiB both ways).
func TestFormsByDistance(t *testing.T) {
	refs := []struct {
		name             string
		emit             func(a *Assembler, l Label)
		reach            int // words, each way
		short, long, far int // words of each form (long: 0 when none)
	}{
		{"b", func(a *Assembler, l Label) { a.B(l) }, 1 << 25, 1, 0, farWords},
		{"bl", func(a *Assembler, l Label) { a.BL(l) }, 1 << 25, 1, 0, farWords},
		{"b.cond", func(a *Assembler, l Label) { a.BCond(LT, l) }, 1 << 18, 1, 2, 1 + farWords},
		{"cbnz", func(a *Assembler, l Label) { a.CBNZ(W32, R3, l) }, 1 << 18, 1, 2, 1 + farWords},
		{"tbz", func(a *Assembler, l Label) { a.TBZ(R3, 40, l) }, 1 << 13, 1, 2, 1 + farWords},
		{"adr", func(a *Assembler, l Label) { a.ADR(R5, l) }, 1 << 18, 1, 0, farAddrWords},
		{"ldr literal", func(a *Assembler, l Label) { a.LdrLiteral(W64, R5, l) }, 1 << 18, 1, 0, farWords},
		{"ldr q literal", func(a *Assembler, l Label) { a.FLdrLiteral(S128, V5, l) }, 1 << 18, 1, 0, farWords},
	}
	const gib2 = 1 << 29 // words in 2 GiB
	for _, r := range refs {
		next := r.long // one word beyond the instruction's reach
		if next == 0 {
			next = r.far
		}
		cases := []struct {
			d     int // words from the reference to the label
			words int // of the reference's form; 0: ErrBranchRange
		}{
			{r.reach - 1, r.short}, {-r.reach, r.short}, {r.reach, next}, {-r.reach - 1, next},
			{1<<25 - 1, next}, {1 << 25, r.far}, {gib2 - 8, r.far}, {gib2 + 8, 0},
		}
		if r.reach == 1<<25 {
			cases[4].words = r.short
		}
		for _, c := range cases {
			if c.d < -(1<<18)-1 {
				continue // 128 MiB of code: internal/disasmtest's
			}
			a := NewAssembler(Baseline)
			l := a.NewLabel()
			if c.d <= 0 {
				a.Bind(l)
				for i := 0; i < -c.d; i++ {
					a.Nop()
				}
			}
			r.emit(a, l)
			a.Nop()
			if c.d > 0 {
				a.labels.Bind(l.id, len(a.words)-2+c.d) // placed by hand
			}
			code, err := a.Finish()
			if c.words == 0 {
				if !errors.Is(err, ErrBranchRange) {
					t.Errorf("%s over %d words: err %v, want ErrBranchRange", r.name, c.d, err)
				}
				continue
			}
			if err != nil {
				t.Errorf("%s over %d words: %v", r.name, c.d, err)
				continue
			}
			gap := 0
			if c.d < 0 {
				gap = -c.d
			}
			if got := len(code)/4 - 1 - gap; got != c.words {
				t.Errorf("%s over %d words: %d-word form, want %d", r.name, c.d, got, c.words)
			}
		}
	}
}

// Lengthened conditional branches move the labels after them, and a label
// table entry follows.
func TestRelaxMovesLabels(t *testing.T) {
	a := NewAssembler(Baseline)
	far, mid, table := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.BCond(EQ, far) // long: +1 word
	a.Bind(mid)
	for i := 0; i < 1<<18; i++ {
		a.Nop()
	}
	a.Bind(far)
	a.Bind(table)
	a.Diff32(mid, table)
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	if len(code) != 4*(2+1<<18+1) {
		t.Fatalf("code is %d bytes", len(code))
	}
	if off, _ := a.Offset(mid); off != 8 {
		t.Errorf("mid at %d, want 8", off)
	}
	if off, _ := a.Offset(far); off != 8+4<<18 {
		t.Errorf("far at %d", off)
	}
	entry := int32(uint32(code[len(code)-4]) | uint32(code[len(code)-3])<<8 | uint32(code[len(code)-2])<<16 | uint32(code[len(code)-1])<<24)
	if entry != -4<<18 {
		t.Errorf("table entry %d, want %d", entry, -4<<18)
	}
}

// Every encodable logical immediate decodes back to itself, and values
// that are not in the set are refused.
func TestBitmaskRoundTrip(t *testing.T) {
	for _, w := range []Width{W32, W64} {
		valid := map[uint64]bool{}
		for n := uint32(0); n < 2; n++ {
			for immr := uint32(0); immr < 64; immr++ {
				for imms := uint32(0); imms < 64; imms++ {
					v, ok := decodeBitmask(w, n, immr, imms)
					if !ok || (w == W32 && immr >= 32) {
						continue
					}
					valid[v] = true
					n2, r2, s2, ok := encodeBitmask(w, v)
					if !ok {
						t.Fatalf("%d bits: %#x (N=%d immr=%d imms=%d) not encodable", w, v, n, immr, imms)
					}
					if back, _ := decodeBitmask(w, n2, r2, s2); back != v {
						t.Fatalf("%d bits: %#x encodes to one decoding to %#x", w, v, back)
					}
				}
			}
		}
		want := map[Width]int{W32: 1302, W64: 5334}[w]
		if len(valid) != want {
			t.Errorf("%d bits: %d encodable values, want %d", w, len(valid), want)
		}
		r := rand.New(rand.NewSource(1))
		for i := 0; i < 100000; i++ {
			v := r.Uint64()
			switch i % 3 {
			case 1:
				v &= v >> uint(r.Intn(64)) // sparser
			case 2:
				v |= v << uint(r.Intn(64))
			}
			if w == W32 {
				v &= 0xffffffff
			}
			if LogicalImm(w, v) != valid[v] {
				t.Fatalf("%d bits: LogicalImm(%#x) = %v", w, v, !valid[v])
			}
		}
	}
}

// MovImm's sequence computes the value, and is as short as claimed.
func TestMovImmSequence(t *testing.T) {
	run := func(w Width, seq []movStep, v uint64) uint64 {
		var x uint64
		for _, s := range seq {
			switch {
			case s.orr:
				x = v // LogicImm encodes v itself; checked by TestBitmaskRoundTrip
			case s.op == MOVZ:
				x = uint64(s.imm) << s.shift
			case s.op == MOVN:
				x = ^(uint64(s.imm) << s.shift)
			case s.op == MOVK:
				x = x&^(0xffff<<s.shift) | uint64(s.imm)<<s.shift
			}
		}
		if w == W32 {
			x &= 0xffffffff
		}
		return x
	}
	fixed := []struct {
		w Width
		v uint64
		n int
	}{
		{W64, 0, 1}, {W64, ^uint64(0), 1}, {W32, 0xffffffff, 1}, {W64, 0xffffffff, 1},
		{W64, 0x12345678, 2}, {W64, 0xffff_ffff_ffff_1234, 1}, {W64, 0x5555555555555555, 1},
		{W64, 0x1234_0000_0000_5678, 2}, {W64, 0x1234_5678_9abc_def0, 4}, {W64, 0xffff_1234_ffff_5678, 2},
		{W32, 0x10000, 1}, {W32, 0xffff0000, 1}, {W32, 0x12345678, 2}, {W32, 0xff00ff00, 1},
	}
	for _, c := range fixed {
		seq := movImmSeq(c.w, c.v)
		if len(seq) != c.n || run(c.w, seq, c.v) != c.v&(^uint64(0)>>(64-uint(c.w))) {
			t.Errorf("%d bits %#x: %d steps %+v", c.w, c.v, len(seq), seq)
		}
	}
	r := rand.New(rand.NewSource(2))
	for i := 0; i < 100000; i++ {
		v := r.Uint64()
		for j := 0; j < 4; j++ {
			switch r.Intn(3) {
			case 0:
				v &^= 0xffff << (16 * j)
			case 1:
				v |= 0xffff << (16 * j)
			}
		}
		for _, w := range []Width{W32, W64} {
			seq := movImmSeq(w, v)
			want := v & (^uint64(0) >> (64 - uint(w)))
			if got := run(w, seq, v); got != want {
				t.Fatalf("%d bits %#x: sequence %+v gives %#x", w, v, seq, got)
			}
			if len(seq) > int(w)/16 || MovImmLen(w, v) != len(seq) {
				t.Fatalf("%d bits %#x: %d steps", w, v, len(seq))
			}
		}
	}
}

func TestFeatures(t *testing.T) {
	if s := (FeatLSE | FeatRCPC).String(); s != "lse,rcpc" {
		t.Errorf("String = %q", s)
	}
	if s := Baseline.String(); s != "baseline" {
		t.Errorf("String = %q", s)
	}
	if err := Check(FeatLSE, Baseline); !errors.Is(err, ErrUnsupportedCPU) || !strings.Contains(err.Error(), "lse") {
		t.Errorf("Check = %v", err)
	}
	if err := Check(FeatLSE, All); err != nil {
		t.Errorf("Check = %v", err)
	}
	if d := Detect(); d&^All != 0 {
		t.Errorf("Detect = %v", d)
	}
	a := NewAssembler(All)
	a.Atomic(SWP, Acquire, S32, R0, R1, R2)
	a.Mov(W64, R0, R1)
	if a.Used() != FeatLSE {
		t.Errorf("Used = %v", a.Used())
	}
}

// FPImm8 accepts exactly the 256 values ±(16+m)/16 * 2^e.
func TestFPImm8(t *testing.T) {
	seen := map[uint8]bool{}
	for s := 0; s < 2; s++ {
		for e := -3; e <= 4; e++ {
			for m := 0; m < 16; m++ {
				f := math.Ldexp(float64(16+m)/16, e)
				if s == 1 {
					f = -f
				}
				imm, ok := FPImm8(f)
				if !ok || seen[imm] {
					t.Fatalf("%v: %#x, %v", f, imm, ok)
				}
				seen[imm] = true
			}
		}
	}
	for _, f := range []float64{0, math.Copysign(0, -1), 0.1, 1.0 / 16, 32, 1 + 1.0/32, math.Inf(1), math.NaN(), 1e300} {
		if imm, ok := FPImm8(f); ok {
			t.Errorf("%v encodes as %#x", f, imm)
		}
	}
}

// Extern calls keep their final positions through branch lengthening, and
// PatchCall checks what it patches.
func TestExternCalls(t *testing.T) {
	a := NewAssembler(Baseline)
	far := a.NewLabel()
	a.CallExtern(7)
	a.CBZ(W64, R0, far) // lengthened: the next call moves by a word
	for i := 0; i < 1<<18; i++ {
		a.Nop()
	}
	a.Bind(far)
	a.CallExtern(9)
	if a.Externs() != nil {
		t.Error("Externs before Finish")
	}
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	refs := a.Externs()
	want := []ExternRef{{At: 0, Sym: 7}, {At: 4 * (3 + 1<<18), Sym: 9}}
	if len(refs) != 2 || refs[0] != want[0] || refs[1] != want[1] {
		t.Fatalf("Externs = %v, want %v", refs, want)
	}
	if err := PatchCall(code, refs[1].At, 0); err != nil {
		t.Fatal(err)
	}
	if err := PatchCall(code, 4, 0); err == nil || !strings.Contains(err.Error(), "not a BL") {
		t.Errorf("patching a non-call: %v", err)
	}
	if err := PatchCall(code, 2, 0); err == nil {
		t.Error("patching a misaligned offset succeeded")
	}
	if err := PatchCall(code, 0, 1<<27); !errors.Is(err, ErrBranchRange) {
		t.Errorf("patching beyond 128 MiB: %v", err)
	}
}
