package disasmtest

import (
	"fmt"
	"math"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

func TestFloat(t *testing.T) { runForms(t, floatForms()) }

var vregs = []A.VReg{A.V0, A.V7, A.V31}

// fr names register v viewed at precision t.
func fr(t A.FType, v A.VReg) string {
	return fmt.Sprintf("%s%d", map[A.FType]string{A.Single: "s", A.Double: "d", A.Half: "h"}[t], v)
}

var fp2Names = map[A.FP2Op]string{A.FMUL: "fmul", A.FDIV: "fdiv", A.FADD: "fadd", A.FSUB: "fsub", A.FMAX: "fmax",
	A.FMIN: "fmin", A.FMAXNM: "fmaxnm", A.FMINNM: "fminnm", A.FNMUL: "fnmul"}

var fp1Names = map[A.FP1Op]string{A.FMOV: "fmov", A.FABS: "fabs", A.FNEG: "fneg", A.FSQRT: "fsqrt", A.FRINTN: "frintn",
	A.FRINTP: "frintp", A.FRINTM: "frintm", A.FRINTZ: "frintz", A.FRINTA: "frinta", A.FRINTX: "frintx", A.FRINTI: "frinti"}

var fpIntNames = map[A.FPIntOp]string{A.FCVTNS: "fcvtns", A.FCVTNU: "fcvtnu", A.FCVTPS: "fcvtps", A.FCVTPU: "fcvtpu",
	A.FCVTMS: "fcvtms", A.FCVTMU: "fcvtmu", A.FCVTZS: "fcvtzs", A.FCVTZU: "fcvtzu", A.FCVTAS: "fcvtas", A.FCVTAU: "fcvtau",
	A.SCVTF: "scvtf", A.UCVTF: "ucvtf"}

// fpArith lists the scalar arithmetic forms at precisions ts; zero is how
// the reference writes the immediate of a compare with zero.
// conds names the conditions.
func fpArith(ts []A.FType, zero string, conds []string) []form {
	var fs []form
	var cs []tcase
	for op := A.FMUL; op <= A.FNMUL; op++ {
		for _, t := range ts {
			for _, d := range vregs {
				for _, n := range vregs {
					for _, m := range vregs {
						op, t, d, n, m := op, t, d, n, m
						cs = append(cs, tcase{func(a *A.Assembler) { a.FP2(op, t, d, n, m) }, fmt.Sprintf("%s %s, %s, %s", fp2Names[op], fr(t, d), fr(t, n), fr(t, m))})
					}
				}
			}
		}
	}
	fs = append(fs, form{"fp two-source", cs})
	cs = nil
	for op := A.FMOV; op <= A.FRINTI; op++ {
		for _, t := range ts {
			for _, d := range vregs {
				for _, n := range vregs {
					op, t, d, n := op, t, d, n
					cs = append(cs, tcase{func(a *A.Assembler) { a.FP1(op, t, d, n) }, fmt.Sprintf("%s %s, %s", fp1Names[op], fr(t, d), fr(t, n))})
				}
			}
		}
	}
	fs = append(fs, form{"fp one-source", cs})
	cs = nil
	names := map[A.FP3Op]string{A.FMADD: "fmadd", A.FMSUB: "fmsub", A.FNMADD: "fnmadd", A.FNMSUB: "fnmsub"}
	for op := A.FMADD; op <= A.FNMSUB; op++ {
		for _, t := range ts {
			for _, d := range vregs {
				for _, n := range vregs {
					op, t, d, n := op, t, d, n
					cs = append(cs, tcase{func(a *A.Assembler) { a.FP3(op, t, d, n, A.V9, A.V30) }, fmt.Sprintf("%s %s, %s, %s, %s", names[op], fr(t, d), fr(t, n), fr(t, A.V9), fr(t, A.V30))})
				}
			}
		}
	}
	fs = append(fs, form{"fp fused multiply-add", cs})
	cs = nil
	for _, t := range ts {
		for _, n := range vregs {
			for _, m := range vregs {
				t, n, m := t, n, m
				cs = append(cs, tcase{func(a *A.Assembler) { a.Fcmp(t, n, m) }, fmt.Sprintf("fcmp %s, %s", fr(t, n), fr(t, m))})
				for c := A.EQ; c <= A.NV; c++ {
					c := c
					cs = append(cs, tcase{func(a *A.Assembler) { a.Fcsel(t, A.V3, n, m, c) }, fmt.Sprintf("fcsel %s, %s, %s, %s", fr(t, A.V3), fr(t, n), fr(t, m), conds[c])})
				}
			}
			cs = append(cs, tcase{func(a *A.Assembler) { a.FcmpZero(t, n) }, fmt.Sprintf("fcmp %s, %s", fr(t, n), zero)})
		}
	}
	fs = append(fs, form{"fcmp/fcsel", cs})
	cs = nil
	for op := A.FCVTNS; op <= A.UCVTF; op++ {
		for _, t := range ts {
			for _, w := range widths {
				for _, r := range []A.Reg{A.R0, A.ZR} {
					for _, v := range []A.VReg{A.V1, A.V31} {
						op, t, w, r, v := op, t, w, r, v
						if op >= A.SCVTF {
							cs = append(cs, tcase{func(a *A.Assembler) { a.IntToFP(op, t, w, v, r) }, fmt.Sprintf("%s %s, %s", fpIntNames[op], fr(t, v), reg(r, w))})
						} else {
							cs = append(cs, tcase{func(a *A.Assembler) { a.FcvtToInt(op, w, t, r, v) }, fmt.Sprintf("%s %s, %s", fpIntNames[op], reg(r, w), fr(t, v))})
						}
					}
				}
			}
		}
	}
	fs = append(fs, form{"fp<->int conversions", cs})
	return fs
}

func floatForms() []form {
	fs := fpArith([]A.FType{A.Single, A.Double}, "#0", condNames)
	var cs []tcase
	for _, to := range []A.FType{A.Single, A.Double, A.Half} {
		for _, from := range []A.FType{A.Single, A.Double, A.Half} {
			if to == from {
				continue
			}
			for _, d := range vregs {
				for _, n := range vregs {
					to, from, d, n := to, from, d, n
					cs = append(cs, tcase{func(a *A.Assembler) { a.Fcvt(to, from, d, n) }, fmt.Sprintf("fcvt %s, %s", fr(to, d), fr(from, n))})
				}
			}
		}
	}
	for _, w := range widths {
		t := A.Single
		if w == A.W64 {
			t = A.Double
		}
		for _, r := range []A.Reg{A.R0, A.R30, A.ZR} {
			for _, v := range vregs {
				w, r, v := w, r, v
				cs = append(cs,
					tcase{func(a *A.Assembler) { a.FmovToGP(w, r, v) }, fmt.Sprintf("fmov %s, %s", reg(r, w), fr(t, v))},
					tcase{func(a *A.Assembler) { a.FmovFromGP(w, v, r) }, fmt.Sprintf("fmov %s, %s", fr(t, v), reg(r, w))})
			}
		}
	}
	// Every encodable FMOV immediate: the 256 values ±(16+m)/16 * 2^e.
	for s := 0; s < 2; s++ {
		for e := -3; e <= 4; e++ {
			for m := 0; m < 16; m++ {
				f := math.Ldexp(float64(16+m)/16, e)
				if s == 1 {
					f = -f
				}
				for _, t := range []A.FType{A.Single, A.Double} {
					f, t := f, t
					cs = append(cs, tcase{func(a *A.Assembler) { a.FmovImm(t, A.V5, f) }, fmt.Sprintf("fmov %s, #%.18e", fr(t, A.V5), f)})
				}
			}
		}
	}
	fs = append(fs, form{"fcvt/fmov", cs})
	return fs
}

// llvmCondNames are the conditions as LLVM's assembler spells them.
var llvmCondNames = []string{"eq", "ne", "hs", "lo", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "nv"}

// llvmFPCases are the floating-point forms arm64asm does not decode:
// half-precision arithmetic (FP16) and FJCVTZS.
func llvmFPCases() []form {
	fs := fpArith([]A.FType{A.Half}, "#0.0", llvmCondNames)
	for i := range fs {
		fs[i].name = "half " + fs[i].name
	}
	var cs []tcase
	for _, r := range []A.Reg{A.R0, A.ZR} {
		for _, v := range vregs {
			r, v := r, v
			cs = append(cs, tcase{func(a *A.Assembler) { a.Fjcvtzs(r, v) }, fmt.Sprintf("fjcvtzs %s, d%d", reg(r, A.W32), v)})
		}
	}
	for _, f := range []float64{1, -0.125, 31} {
		f := f
		cs = append(cs, tcase{func(a *A.Assembler) { a.FmovImm(A.Half, A.V2, f) }, fmt.Sprintf("fmov h2, #%g", f)})
	}
	return append(fs, form{"fjcvtzs, half fmov", cs})
}
