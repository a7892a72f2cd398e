package disasmtest

import (
	"fmt"
	"testing"

	A "github.com/kilnrt/kiln/arm64"
)

func TestNEON(t *testing.T) { runForms(t, neonForms()) }

var arrNames = []string{"8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"}

func vv(v A.VReg, r A.Arrangement) string { return fmt.Sprintf("v%d.%s", v, arrNames[r]) }

// Accepted arrangements per kind of instruction.
var (
	intArrs   = []A.Arrangement{A.B8, A.B16, A.H4, A.H8, A.S2, A.S4}
	int64Arrs = []A.Arrangement{A.B8, A.B16, A.H4, A.H8, A.S2, A.S4, A.D2}
	byteArrs  = []A.Arrangement{A.B8, A.B16}
	fltArrs   = []A.Arrangement{A.S2, A.S4, A.D2}
	acrArrs   = []A.Arrangement{A.B8, A.B16, A.H4, A.H8, A.S4}
)

func neonForms() []form {
	var fs []form
	type v3 struct {
		op   A.VecOp
		name string
		arrs []A.Arrangement
	}
	rows := []v3{
		{A.VADD, "add", int64Arrs}, {A.VSUB, "sub", int64Arrs}, {A.VMUL, "mul", intArrs},
		{A.VCMEQ, "cmeq", int64Arrs}, {A.VCMGT, "cmgt", int64Arrs}, {A.VCMGE, "cmge", int64Arrs},
		{A.VCMHI, "cmhi", int64Arrs}, {A.VCMHS, "cmhs", int64Arrs},
		{A.VSMAX, "smax", intArrs}, {A.VSMIN, "smin", intArrs}, {A.VUMAX, "umax", intArrs}, {A.VUMIN, "umin", intArrs},
		{A.VSQADD, "sqadd", int64Arrs}, {A.VUQADD, "uqadd", int64Arrs}, {A.VSQSUB, "sqsub", int64Arrs}, {A.VUQSUB, "uqsub", int64Arrs},
		{A.VURHADD, "urhadd", intArrs}, {A.VSSHL, "sshl", int64Arrs}, {A.VUSHL, "ushl", int64Arrs}, {A.VADDP, "addp", int64Arrs},
		{A.VAND, "and", byteArrs}, {A.VBIC, "bic", byteArrs}, {A.VORR, "orr", byteArrs}, {A.VORN, "orn", byteArrs},
		{A.VEOR, "eor", byteArrs}, {A.VBSL, "bsl", byteArrs}, {A.VBIT, "bit", byteArrs}, {A.VBIF, "bif", byteArrs},
		{A.VFADD, "fadd", fltArrs}, {A.VFSUB, "fsub", fltArrs}, {A.VFMUL, "fmul", fltArrs}, {A.VFDIV, "fdiv", fltArrs},
		{A.VFMAX, "fmax", fltArrs}, {A.VFMIN, "fmin", fltArrs}, {A.VFMAXNM, "fmaxnm", fltArrs}, {A.VFMINNM, "fminnm", fltArrs},
		{A.VFCMEQ, "fcmeq", fltArrs}, {A.VFCMGE, "fcmge", fltArrs}, {A.VFCMGT, "fcmgt", fltArrs}, {A.VFADDP, "faddp", fltArrs},
		{A.VSQRDMULH, "sqrdmulh", []A.Arrangement{A.H4, A.H8, A.S2, A.S4}},
	}
	var cs []tcase
	for _, r := range rows {
		for _, arr := range r.arrs {
			for _, d := range vregs {
				for _, n := range vregs {
					for _, m := range []A.VReg{A.V1, A.V31} {
						r, arr, d, n, m := r, arr, d, n, m
						want := fmt.Sprintf("%s %s, %s, %s", r.name, vv(d, arr), vv(n, arr), vv(m, arr))
						if r.op == A.VORR && n == m {
							want = fmt.Sprintf("mov %s, %s", vv(d, arr), vv(n, arr))
						}
						cs = append(cs, tcase{func(a *A.Assembler) { a.Vec3(r.op, arr, d, n, m) }, want})
					}
				}
			}
		}
	}
	fs = append(fs, form{"neon three-same", cs})

	type v2 struct {
		op   A.Vec2Op
		name string
		arrs []A.Arrangement
	}
	rows2 := []v2{
		{A.VCNT, "cnt", byteArrs}, {A.VNOT, "mvn", byteArrs}, {A.VNEG, "neg", int64Arrs}, {A.VABS, "abs", int64Arrs},
		{A.VREV64, "rev64", intArrs}, {A.VCMEQZ, "cmeq", int64Arrs},
		{A.VFABS, "fabs", fltArrs}, {A.VFNEG, "fneg", fltArrs}, {A.VFSQRT, "fsqrt", fltArrs},
		{A.VFRINTN, "frintn", fltArrs}, {A.VFRINTM, "frintm", fltArrs}, {A.VFRINTP, "frintp", fltArrs}, {A.VFRINTZ, "frintz", fltArrs},
		{A.VFCVTZS, "fcvtzs", fltArrs}, {A.VFCVTZU, "fcvtzu", fltArrs}, {A.VSCVTF, "scvtf", fltArrs}, {A.VUCVTF, "ucvtf", fltArrs},
		{A.VSADDLP, "saddlp", intArrs}, {A.VUADDLP, "uaddlp", intArrs},
		{A.VADDV, "addv", acrArrs}, {A.VSMAXV, "smaxv", acrArrs}, {A.VUMAXV, "umaxv", acrArrs}, {A.VSMINV, "sminv", acrArrs}, {A.VUMINV, "uminv", acrArrs},
	}
	cs = nil
	for _, r := range rows2 {
		for _, arr := range r.arrs {
			for _, d := range vregs {
				for _, n := range vregs {
					r, arr, d, n := r, arr, d, n
					want := fmt.Sprintf("%s %s, %s", r.name, vv(d, arr), vv(n, arr))
					switch {
					case r.op >= A.VADDV:
						want = fmt.Sprintf("%s %s%d, %s", r.name, []string{"b", "h", "s"}[arr>>1], d, vv(n, arr))
					case r.op == A.VCMEQZ:
						want += ", #0"
					case r.op == A.VSADDLP || r.op == A.VUADDLP:
						want = fmt.Sprintf("%s %s, %s", r.name, vv(d, arr+2), vv(n, arr))
					}
					cs = append(cs, tcase{func(a *A.Assembler) { a.Vec2(r.op, arr, d, n) }, want})
				}
			}
		}
	}
	fs = append(fs, form{"neon two-register and across", cs})

	cs = nil
	lane := []string{"b", "h", "s", "d"}
	for es := A.S8; es <= A.S64; es++ {
		es := es
		n := uint8(16 >> es)
		for _, i := range []uint8{0, 1, n - 1} {
			i := i
			for _, arr := range int64Arrs {
				if A.Size(arr>>1) != es {
					continue
				}
				arr := arr
				cs = append(cs, tcase{func(a *A.Assembler) { a.DupElem(arr, A.V3, A.V30, i) }, fmt.Sprintf("dup %s, v30.%s[%d]", vv(A.V3, arr), lane[es], i)})
				gw := A.W32
				if es == A.S64 {
					gw = A.W64
				}
				cs = append(cs, tcase{func(a *A.Assembler) { a.DupGP(arr, A.V3, A.R9) }, fmt.Sprintf("dup %s, %s", vv(A.V3, arr), reg(A.R9, gw))})
			}
			gw := A.W32
			if es == A.S64 {
				gw = A.W64
			}
			for _, r := range []A.Reg{A.R2, A.ZR} {
				r := r
				cs = append(cs, tcase{func(a *A.Assembler) { a.InsGP(es, A.V17, i, r) }, fmt.Sprintf("mov v17.%s[%d], %s", lane[es], i, reg(r, gw))})
				um := "umov"
				if es >= A.S32 {
					um = "mov"
				}
				cs = append(cs, tcase{func(a *A.Assembler) { a.Umov(es, r, A.V6, i) }, fmt.Sprintf("%s %s, v6.%s[%d]", um, reg(r, gw), lane[es], i)})
				if es < A.S64 {
					for _, w := range widths {
						if es == A.S32 && w == A.W32 {
							continue
						}
						w := w
						cs = append(cs, tcase{func(a *A.Assembler) { a.Smov(es, w, r, A.V6, i) }, fmt.Sprintf("smov %s, v6.%s[%d]", reg(r, w), lane[es], i)})
					}
				}
			}
			cs = append(cs, tcase{func(a *A.Assembler) { a.InsElem(es, A.V24, i, A.V16, n-1-i) }, fmt.Sprintf("mov v24.%s[%d], v16.%s[%d]", lane[es], i, lane[es], n-1-i)})
		}
	}
	fs = append(fs, form{"neon lanes (dup, ins, umov, smov)", cs})

	cs = nil
	for arr := A.B8; arr <= A.D2; arr++ {
		for _, rn := range []A.Reg{A.R25, A.RSP} {
			for _, post := range []bool{false, true} {
				arr, rn, post := arr, rn, post
				suffix := ""
				if post {
					suffix = fmt.Sprintf(",#%d", 8<<(arr&1))
				}
				cs = append(cs,
					tcase{func(a *A.Assembler) { a.Ld1(arr, A.V8, rn, post) }, fmt.Sprintf("ld1 {%s}, [%s]%s", vv(A.V8, arr), x(rn), suffix)},
					tcase{func(a *A.Assembler) { a.St1(arr, A.V31, rn, post) }, fmt.Sprintf("st1 {%s}, [%s]%s", vv(A.V31, arr), x(rn), suffix)})
			}
		}
	}
	for arr := A.B8; arr <= A.D2; arr++ {
		for _, rn := range []A.Reg{A.R3, A.RSP} {
			arr, rn := arr, rn
			cs = append(cs, tcase{func(a *A.Assembler) { a.Ld1R(arr, A.V30, rn) }, fmt.Sprintf("ld1r {%s}, [%s]", vv(A.V30, arr), x(rn))})
		}
	}
	for es := A.S8; es <= A.S64; es++ {
		for i := uint8(0); i < uint8(16>>es); i++ {
			for _, rn := range []A.Reg{A.R3, A.RSP} {
				es, i, rn := es, i, rn
				cs = append(cs,
					tcase{func(a *A.Assembler) { a.Ld1Lane(es, A.V1, i, rn) }, fmt.Sprintf("ld1 {v1.%s}[%d], [%s]", lane[es], i, x(rn))},
					tcase{func(a *A.Assembler) { a.St1Lane(es, A.V31, i, rn) }, fmt.Sprintf("st1 {v31.%s}[%d], [%s]", lane[es], i, x(rn))})
			}
		}
	}
	for _, arr := range byteArrs {
		for nregs := 1; nregs <= 4; nregs++ {
			for _, rn := range []A.VReg{A.V4, A.V30} {
				arr, nregs, rn := arr, nregs, rn
				var list string
				switch {
				case nregs == 1:
					list = fmt.Sprintf("{v%d.16b}", rn)
				case nregs == 2:
					list = fmt.Sprintf("{v%d.16b, v%d.16b}", rn, (rn+1)%32)
				case int(rn)+nregs-1 < 32:
					list = fmt.Sprintf("{v%d.16b-v%d.16b}", rn, int(rn)+nregs-1)
				default: // a list wrapping past v31 is spelled out
					list = "{"
					for k := 0; k < nregs; k++ {
						if k > 0 {
							list += ", "
						}
						list += fmt.Sprintf("v%d.16b", (int(rn)+k)%32)
					}
					list += "}"
				}
				cs = append(cs, tcase{func(a *A.Assembler) { a.Tbl(arr, A.V0, rn, nregs, A.V9) }, fmt.Sprintf("tbl %s, %s, %s", vv(A.V0, arr), list, vv(A.V9, arr))})
			}
		}
		for _, i := range []uint8{0, 1, uint8(8<<(arr&1)) - 1} {
			arr, i := arr, i
			cs = append(cs, tcase{func(a *A.Assembler) { a.Ext(arr, A.V1, A.V2, A.V31, i) }, fmt.Sprintf("ext %s, %s, %s, #%d", vv(A.V1, arr), vv(A.V2, arr), vv(A.V31, arr), i)})
		}
	}
	for _, arr := range int64Arrs {
		es := uint8(8) << (arr >> 1)
		for _, amt := range []uint8{1, es / 2, es - 1} {
			arr, amt := arr, amt
			cs = append(cs, tcase{func(a *A.Assembler) { a.VecShift(A.VSHL, arr, A.V3, A.V4, amt) }, fmt.Sprintf("shl %s, %s, #%d", vv(A.V3, arr), vv(A.V4, arr), amt)})
		}
		for _, amt := range []uint8{1, es / 2, es} {
			arr, amt := arr, amt
			cs = append(cs,
				tcase{func(a *A.Assembler) { a.VecShift(A.VSSHR, arr, A.V3, A.V4, amt) }, fmt.Sprintf("sshr %s, %s, #%d", vv(A.V3, arr), vv(A.V4, arr), amt)},
				tcase{func(a *A.Assembler) { a.VecShift(A.VUSHR, arr, A.V3, A.V4, amt) }, fmt.Sprintf("ushr %s, %s, #%d", vv(A.V3, arr), vv(A.V4, arr), amt)})
		}
	}
	cs = append(cs, tcase{func(a *A.Assembler) { a.MoviZero(A.V30) }, "movi v30.2d, #0x0"})
	fs = append(fs, form{"neon ld1/st1, tbl, ext, shifts", cs})
	return append(fs, form{"neon widening, narrowing, permutes", neonWidthCases()})
}

// neonWidthCases covers the instructions whose lanes change width; wide(r)
// is the arrangement with lanes twice as wide filling a whole register.
func neonWidthCases() []tcase {
	wide := func(r A.Arrangement) A.Arrangement { return r | 1 + 2 }
	two := func(r A.Arrangement) string {
		if r&1 == 1 {
			return "2"
		}
		return ""
	}
	var cs []tcase
	for _, src := range intArrs {
		src := src
		es := uint8(8) << (src >> 1)
		for _, sh := range []uint8{0, 1, es - 1} {
			sh := sh
			for _, op := range []A.WidenOp{A.SSHLL, A.USHLL} {
				op := op
				p := map[A.WidenOp]string{A.SSHLL: "s", A.USHLL: "u"}[op]
				want := fmt.Sprintf("%sshll%s %s, %s, #%d", p, two(src), vv(A.V0, wide(src)), vv(A.V31, src), sh)
				if sh == 0 {
					want = fmt.Sprintf("%sxtl%s %s, %s", p, two(src), vv(A.V0, wide(src)), vv(A.V31, src))
				}
				cs = append(cs, tcase{func(a *A.Assembler) { a.Widen(op, src, A.V0, A.V31, sh) }, want})
			}
		}
		for _, op := range []A.NarrowOp{A.XTN, A.SQXTN, A.UQXTN, A.SQXTUN} {
			op := op
			name := map[A.NarrowOp]string{A.XTN: "xtn", A.SQXTN: "sqxtn", A.UQXTN: "uqxtn", A.SQXTUN: "sqxtun"}[op]
			cs = append(cs, tcase{func(a *A.Assembler) { a.Narrow(op, src, A.V7, A.V8) }, fmt.Sprintf("%s%s %s, %s", name, two(src), vv(A.V7, src), vv(A.V8, wide(src)))})
		}
		for _, op := range []A.MulLongOp{A.SMULL, A.UMULL} {
			op := op
			name := map[A.MulLongOp]string{A.SMULL: "smull", A.UMULL: "umull"}[op]
			cs = append(cs, tcase{func(a *A.Assembler) { a.MulLong(op, src, A.V1, A.V2, A.V3) }, fmt.Sprintf("%s%s %s, %s, %s", name, two(src), vv(A.V1, wide(src)), vv(A.V2, src), vv(A.V3, src))})
		}
	}
	for _, r := range []A.Arrangement{A.S2, A.S4} {
		r := r
		cs = append(cs,
			tcase{func(a *A.Assembler) { a.Fcvtl(r, A.V4, A.V5) }, fmt.Sprintf("fcvtl%s v4.2d, %s", two(r), vv(A.V5, r))},
			tcase{func(a *A.Assembler) { a.Fcvtn(r, A.V4, A.V5) }, fmt.Sprintf("fcvtn%s %s, v5.2d", two(r), vv(A.V4, r))})
	}
	names := map[A.PermOp]string{A.UZP1: "uzp1", A.TRN1: "trn1", A.ZIP1: "zip1", A.UZP2: "uzp2", A.TRN2: "trn2", A.ZIP2: "zip2"}
	for op := A.UZP1; op <= A.ZIP2; op++ {
		for _, r := range int64Arrs {
			op, r := op, r
			cs = append(cs, tcase{func(a *A.Assembler) { a.Permute(op, r, A.V10, A.V11, A.V12) }, fmt.Sprintf("%s %s, %s, %s", names[op], vv(A.V10, r), vv(A.V11, r), vv(A.V12, r))})
		}
	}
	return cs
}
