//go:build linux

package rt

import (
	"fmt"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

// farHops are the conditional branches of farProgram and when each is
// taken, by X1 (after CMP X1, #0).
var farHops = []struct {
	emit  func(a *A.Assembler, l A.Label)
	taken func(sel uint64) bool
}{
	{func(a *A.Assembler, l A.Label) { a.BCond(A.EQ, l) }, func(s uint64) bool { return s == 0 }},
	{func(a *A.Assembler, l A.Label) { a.CBZ(A.W64, A.R1, l) }, func(s uint64) bool { return s == 0 }},
	{func(a *A.Assembler, l A.Label) { a.CBNZ(A.W32, A.R1, l) }, func(s uint64) bool { return uint32(s) != 0 }},
	{func(a *A.Assembler, l A.Label) { a.TBZ(A.R1, 0, l) }, func(s uint64) bool { return s&1 == 0 }},
	{func(a *A.Assembler, l A.Label) { a.TBNZ(A.R1, 33, l) }, func(s uint64) bool { return s>>33&1 != 0 }},
}

// Data the program loads across its gap, in bits no hop sets.
const (
	farBack  = 0x00a5 << 48 // before the gap, loaded from after it
	farAhead = 0x3c << 32   // after the gap, loaded (ADR) from before it
	farTail  = 0x0f << 40   // after the gap, loaded (LDR literal) from before it
)

// farProgram assembles, with the arm64 package's assembler, code whose
// every kind of label reference crosses gap words of NOPs, forward and
// backward, so that Finish must lengthen what cannot reach: hop i (taken
// or not by X1, see farHops) sets bit 2i+1 of X0 on its far side or bit
// 2i where it falls through, a BL each way sets bits 10 and 11, and data
// loaded across the gap by ADR and LDR (literal) fills high bits.
func farProgram(t *testing.T, gap int) []byte {
	a := A.NewAssembler(A.Baseline)
	orr := func(v uint64) { a.LogicImm(A.ORR, A.W64, A.R0, A.R0, v) }
	dword := func(v uint64) { a.Word(uint32(v)); a.Word(uint32(v >> 32)) }
	orrReg := func(r A.Reg) { a.LogicReg(A.ORR, A.W64, A.R0, A.R0, r, A.LSL, 0) }
	entry, calleeBack, back := a.NewLabel(), a.NewLabel(), a.NewLabel()
	calleeAhead, ahead, tail, after := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.B(entry)
	a.Bind(calleeBack)
	orr(1 << 11)
	a.RET(A.LR)
	a.Bind(back)
	dword(farBack)

	a.Bind(entry)
	a.Mov(A.W64, A.R9, A.LR) // CallLeaf code has no stack: keep LR in X9
	a.MovImm(A.W64, A.R0, 0)
	a.CmpImm(A.W64, A.R1, 0)
	var farSide []func()
	for i, h := range farHops {
		taken, cont := a.NewLabel(), a.NewLabel()
		h.emit(a, taken)
		orr(1 << (2 * i))
		a.Bind(cont)
		farSide = append(farSide, func() {
			a.Bind(taken)
			orr(1 << (2*i + 1))
			a.B(cont)
		})
	}
	a.BL(calleeAhead)
	a.ADR(A.R2, ahead)
	a.LoadStore(A.LDR, A.S64, A.R3, A.Ptr(A.R2, 0))
	orrReg(A.R3)
	a.LdrLiteral(A.W64, A.R4, tail)
	orrReg(A.R4)
	a.B(after)

	for i := 0; i < gap; i++ {
		a.Nop()
	}

	for _, f := range farSide {
		f()
	}
	a.Bind(calleeAhead)
	orr(1 << 10)
	a.RET(A.LR)
	a.Bind(ahead)
	dword(farAhead)
	a.Bind(tail)
	dword(farTail)
	a.Bind(after)
	a.BL(calleeBack)
	a.LdrLiteral(A.W64, A.R5, back)
	orrReg(A.R5)
	a.Mov(A.W64, A.LR, A.R9)
	a.RET(A.LR)
	code, err := a.Finish()
	if err != nil {
		t.Fatalf("gap of %d words: %v", gap, err)
	}
	return code
}

// Code with gaps just beyond TBZ's reach (32 KiB), B.cond's (1 MiB) and
// B's (128 MiB) runs correctly: every lengthened or far reference,
// conditional or not, lands where its label is.
func TestArm64FarBranches(t *testing.T) {
	for _, gap := range []int{1<<13 + 4, 1<<18 + 4, 1<<25 + 4} {
		code := farProgram(t, gap)
		c, err := Map(code)
		if err != nil {
			t.Fatal(err)
		}
		for _, sel := range []uint64{0, 1, 2, 1 << 33, 1<<33 | 1} {
			want := uint64(1<<10 | 1<<11 | farBack | farAhead | farTail)
			for i, h := range farHops {
				if h.taken(sel) {
					want |= 1 << (2*i + 1)
				} else {
					want |= 1 << (2 * i)
				}
			}
			if got := CallLeaf(c.Addr(), 0, sel); got != want {
				t.Errorf("gap of %d words, X1 = %#x: %#x, want %#x", gap, sel, got, want)
			}
		}
		t.Logf("gap of %d words: %d bytes of code", gap, len(code))
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// Functions assembled separately and linked by arm64.Link with 129 MiB
// between them call each other in both directions through veneers, and
// their neighbours directly: the result has the bit of every callee.
func TestArm64LinkFarCalls(t *testing.T) {
	const (
		symA, symC, symD = 1, 2, 3 // A and C after the gap, D before it
		gap              = 129 << 20
	)
	first := A.NewAssembler(A.Baseline) // the entry, and D
	d := first.NewLabel()
	first.Mov(A.W64, A.R9, A.LR)
	first.MovImm(A.W64, A.R0, 0)
	first.CallExtern(symA)
	first.CallExtern(symC)
	first.Mov(A.W64, A.LR, A.R9)
	first.RET(A.LR)
	first.Bind(d)
	first.LogicImm(A.ORR, A.W64, A.R0, A.R0, 8)
	first.RET(A.LR)
	a := A.NewAssembler(A.Baseline) // A: calls D back across the gap, then C next to it
	a.Mov(A.W64, A.R10, A.LR)
	a.LogicImm(A.ORR, A.W64, A.R0, A.R0, 1)
	a.CallExtern(symD)
	a.CallExtern(symC)
	a.Mov(A.W64, A.LR, A.R10)
	a.RET(A.LR)
	c := A.NewAssembler(A.Baseline)
	c.LogicImm(A.ORR, A.W64, A.R0, A.R0, 4)
	c.RET(A.LR)
	var pieces []A.Piece
	for _, asm := range []*A.Assembler{first, nil, a, c} {
		if asm == nil {
			pieces = append(pieces, A.Piece{Code: make([]byte, gap)})
			continue
		}
		code, err := asm.Finish()
		if err != nil {
			t.Fatal(err)
		}
		pieces = append(pieces, A.Piece{Code: code, Externs: asm.Externs()})
	}
	dOff, _ := first.Offset(d)
	image, offs, err := A.Link(pieces, 16, func(sym int) (int, int, error) {
		switch sym {
		case symA:
			return 2, 0, nil
		case symC:
			return 3, 0, nil
		case symD:
			return 0, dOff, nil
		}
		return 0, 0, fmt.Errorf("no symbol %d", sym)
	})
	if err != nil {
		t.Fatal(err)
	}
	veneers := len(image) - offs[3] - len(pieces[3].Code) + (offs[3] - offs[2] - len(pieces[2].Code)) + (offs[1] - len(pieces[0].Code))
	m, err := Map(image)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Close()
	if got := CallLeaf(m.Addr(), 0, 0); got != 1|4|8 {
		t.Errorf("linked calls returned %#x, want %#x", got, 1|4|8)
	}
	t.Logf("%d-byte image, pieces at %#x, %d bytes of veneers and padding", len(image), offs, veneers)
}
