//go:build linux

package rt

import (
	"math"
	"math/bits"
	"testing"

	"github.com/kilnrt/kiln/amd64"
)

// assemble finishes a, maps the code and returns it.
func assemble(t *testing.T, emit func(a *amd64.Assembler)) *Code {
	t.Helper()
	a := amd64.NewAssembler(amd64.Detect())
	emit(a)
	code, err := a.Finish()
	if err != nil {
		t.Fatal(err)
	}
	c, err := Map(code)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := c.Close(); err != nil {
			t.Error(err)
		}
	})
	return c
}

func TestRunEncodedCode(t *testing.T) {
	host := amd64.Detect()
	inputs := []uint64{0, 1, 2, 3, 7, 100, 1 << 31, 1<<32 + 5, math.MaxUint64, 1 << 63, 0xdeadbeefcafe}

	lea := assemble(t, func(a *amd64.Assembler) {
		a.RM(amd64.LEA, amd64.W64, amd64.RAX, amd64.Indexed(amd64.RDI, amd64.RSI, 2, 7))
		a.Op0(amd64.RET, amd64.WNone)
	})
	// sum of 1..n by a counted loop: labels and a backward branch.
	sum := assemble(t, func(a *amd64.Assembler) {
		loop, done := a.NewLabel(), a.NewLabel()
		a.RR(amd64.XOR, amd64.W32, amd64.RAX, amd64.RAX)
		a.RR(amd64.TEST, amd64.W64, amd64.RDI, amd64.RDI)
		a.Jcc(amd64.CondE, done)
		a.Bind(loop)
		a.RR(amd64.ADD, amd64.W64, amd64.RAX, amd64.RDI)
		a.R(amd64.DEC, amd64.W64, amd64.RDI)
		a.Jcc(amd64.CondNE, loop)
		a.Bind(done)
		a.Op0(amd64.RET, amd64.WNone)
	})
	// unsigned division, with a branch around the divide-by-zero case.
	div := assemble(t, func(a *amd64.Assembler) {
		zero := a.NewLabel()
		a.RR(amd64.TEST, amd64.W64, amd64.RSI, amd64.RSI)
		a.Jcc(amd64.CondE, zero)
		a.RR(amd64.MOV, amd64.W64, amd64.RAX, amd64.RDI)
		a.RR(amd64.XOR, amd64.W32, amd64.RDX, amd64.RDX)
		a.R(amd64.DIV, amd64.W64, amd64.RSI)
		a.Op0(amd64.RET, amd64.WNone)
		a.Bind(zero)
		a.MovImm(amd64.W64, amd64.RAX, -1)
		a.Op0(amd64.RET, amd64.WNone)
	})
	// unsigned max with cmp + cmov, and (a < b) with setcc.
	maxU := assemble(t, func(a *amd64.Assembler) {
		a.RR(amd64.MOV, amd64.W64, amd64.RAX, amd64.RDI)
		a.RR(amd64.CMP, amd64.W64, amd64.RDI, amd64.RSI)
		a.CMov(amd64.CondB, amd64.W64, amd64.RAX, amd64.RSI)
		a.Op0(amd64.RET, amd64.WNone)
	})
	// float64 addition through SSE registers.
	fadd := assemble(t, func(a *amd64.Assembler) {
		a.VR(amd64.MOVQ, amd64.W64, amd64.X0, amd64.RDI)
		a.VR(amd64.MOVQ, amd64.W64, amd64.X9, amd64.RSI)
		a.VV(amd64.ADDSD, amd64.X0, amd64.X9)
		a.RV(amd64.MOVQ, amd64.W64, amd64.RAX, amd64.X0)
		a.Op0(amd64.RET, amd64.WNone)
	})
	// a jump table: RIP-relative table address, Diff32 entries.
	table := assemble(t, func(a *amd64.Assembler) {
		tab, def := a.NewLabel(), a.NewLabel()
		cases := []amd64.Label{a.NewLabel(), a.NewLabel(), a.NewLabel()}
		a.RI(amd64.CMP, amd64.W64, amd64.RDI, int64(len(cases)))
		a.Jcc(amd64.CondAE, def)
		a.RM(amd64.LEA, amd64.W64, amd64.RCX, amd64.LabelRef(tab, 0))
		a.RM(amd64.MOVSXD, amd64.W64, amd64.RDX, amd64.Indexed(amd64.RCX, amd64.RDI, 4, 0))
		a.RR(amd64.ADD, amd64.W64, amd64.RCX, amd64.RDX)
		a.R(amd64.JMPIND, amd64.W64, amd64.RCX)
		for i, l := range cases {
			a.Bind(l)
			a.MovImm(amd64.W64, amd64.RAX, int64(100+i))
			a.Op0(amd64.RET, amd64.WNone)
		}
		a.Bind(def)
		a.MovImm(amd64.W64, amd64.RAX, 999)
		a.Op0(amd64.RET, amd64.WNone)
		a.Bind(tab)
		for _, l := range cases {
			a.Diff32(l, tab, 0)
		}
	})
	for _, x := range inputs {
		for _, y := range inputs {
			if got, want := CallLeaf(lea.Addr(), x, y), x+2*y+7; got != want {
				t.Errorf("lea(%#x, %#x) = %#x, want %#x", x, y, got, want)
			}
			want := ^uint64(0)
			if y != 0 {
				want = x / y
			}
			if got := CallLeaf(div.Addr(), x, y); got != want {
				t.Errorf("div(%#x, %#x) = %#x, want %#x", x, y, got, want)
			}
			if got := CallLeaf(maxU.Addr(), x, y); got != max(x, y) {
				t.Errorf("maxu(%#x, %#x) = %#x", x, y, got)
			}
			fx, fy := float64(x)/3, -float64(y)/7
			if got := CallLeaf(fadd.Addr(), math.Float64bits(fx), math.Float64bits(fy)); got != math.Float64bits(fx+fy) {
				t.Errorf("fadd(%v, %v) = %v", fx, fy, math.Float64frombits(got))
			}
		}
	}
	for n := uint64(0); n < 2000; n += 37 {
		if got := CallLeaf(sum.Addr(), n, 0); got != n*(n+1)/2 {
			t.Errorf("sum(%d) = %d", n, got)
		}
	}
	for i, want := range []uint64{100, 101, 102, 999, 999} {
		if got := CallLeaf(table.Addr(), uint64(i)+uint64(i/4)*1000, 0); got != want {
			t.Errorf("table(%d) = %d, want %d", i, got, want)
		}
	}
	if host.Has(amd64.FeatPOPCNT | amd64.FeatLZCNT | amd64.FeatBMI1) {
		bitsCode := assemble(t, func(a *amd64.Assembler) {
			a.RR(amd64.POPCNT, amd64.W64, amd64.RAX, amd64.RDI)
			a.RR(amd64.LZCNT, amd64.W64, amd64.RCX, amd64.RDI)
			a.RR(amd64.TZCNT, amd64.W64, amd64.RDX, amd64.RDI)
			a.RI(amd64.SHL, amd64.W64, amd64.RCX, 8)
			a.RI(amd64.SHL, amd64.W64, amd64.RDX, 16)
			a.RR(amd64.OR, amd64.W64, amd64.RAX, amd64.RCX)
			a.RR(amd64.OR, amd64.W64, amd64.RAX, amd64.RDX)
			a.Op0(amd64.RET, amd64.WNone)
		})
		for _, x := range inputs {
			want := uint64(bits.OnesCount64(x)) | uint64(bits.LeadingZeros64(x))<<8 | uint64(bits.TrailingZeros64(x))<<16
			if got := CallLeaf(bitsCode.Addr(), x, 0); got != want {
				t.Errorf("bits(%#x) = %#x, want %#x", x, got, want)
			}
		}
	} else {
		t.Logf("host %v lacks popcnt/lzcnt/bmi1: their execution check did not run", host)
	}
}

// Machine code called in a loop on several goroutines while the garbage
// collector runs: nothing in it may disturb the runtime.
func TestCallLeafUnderGC(t *testing.T) {
	c := assemble(t, func(a *amd64.Assembler) {
		a.RR(amd64.MOV, amd64.W64, amd64.RAX, amd64.RDI)
		a.RR(amd64.XOR, amd64.W64, amd64.RAX, amd64.RSI)
		a.Op0(amd64.RET, amd64.WNone)
	})
	withGC(4, func(g uint64) {
		for i := uint64(0); i < 200_000; i++ {
			if got := CallLeaf(c.Addr(), i, g); got != i^g {
				t.Errorf("xor(%d, %d) = %d", i, g, got)
				return
			}
		}
	})
}
