package amd64

import (
	"bytes"
	"testing"
)

// TestFastMovMatchesTable: MovRM and MovMR give the table's bytes for
// every register, base and displacement size, at both widths.
func TestFastMovMatchesTable(t *testing.T) {
	for _, w := range []Width{W32, W64} {
		for r := Reg(0); r < NumRegs; r++ {
			for base := Reg(0); base < NumRegs; base++ {
				for _, disp := range []int32{0, 8, -8, 127, 128, -128, -129, 1 << 20, -1 << 31} {
					m := Ptr(base, disp)
					for _, load := range []bool{true, false} {
						fast, slow := NewAssembler(Baseline), NewAssembler(Baseline)
						if load {
							fast.MovRM(w, r, m)
							slow.RM(MOV, w, r, m)
						} else {
							fast.MovMR(w, m, r)
							slow.MR(MOV, w, m, r)
						}
						fb, err1 := fast.Finish()
						sb, err2 := slow.Finish()
						if err1 != nil || err2 != nil || !bytes.Equal(fb, sb) {
							t.Fatalf("w %v r %v %v load %v: fast % x (%v), table % x (%v)", w, r, m, load, fb, err1, sb, err2)
						}
					}
				}
			}
		}
	}
}

// TestFastAluMatchesTable: AluRM and MovRR give the table's bytes.
func TestFastAluMatchesTable(t *testing.T) {
	for _, w := range []Width{W32, W64} {
		for r := Reg(0); r < NumRegs; r++ {
			for src := Reg(0); src < NumRegs; src++ {
				fast, slow := NewAssembler(Baseline), NewAssembler(Baseline)
				fast.MovRR(w, r, src)
				slow.RR(MOV, w, r, src)
				fb, _ := fast.Finish()
				sb, _ := slow.Finish()
				if !bytes.Equal(fb, sb) {
					t.Fatalf("mov %v %v, %v: fast % x, table % x", w, r, src, fb, sb)
				}
			}
			for op := range aluLoads {
				for _, base := range []Reg{RAX, RSP, RBP, R12, R13, R15} {
					for _, disp := range []int32{0, 100, 1000} {
						fast, slow := NewAssembler(Baseline), NewAssembler(Baseline)
						fast.AluRM(op, w, r, Ptr(base, disp))
						slow.RM(op, w, r, Ptr(base, disp))
						fb, _ := fast.Finish()
						sb, _ := slow.Finish()
						if !bytes.Equal(fb, sb) {
							t.Fatalf("%v %v %v, [%v+%d]: fast % x, table % x", op, w, r, base, disp, fb, sb)
						}
					}
				}
			}
		}
	}
}
