package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// vbin is a v128 binary operation lowered to one NEON three-same
// instruction on the operands (swap: reversed), then optionally
// inverted (not).
type vbin struct {
	op   arm64.VecOp
	arr  arm64.Arrangement
	swap bool
	not  bool
}

// vun is a v128 unary operation lowered to one NEON two-register
// instruction.
type vun struct {
	op  arm64.Vec2Op
	arr arm64.Arrangement
}

// simdSpecial lowers an operation of its own sequence; d is where a
// v128 or float result goes (vdst), integer results are defined by the
// function itself.
type simdSpecialFunc func(g *gen, v *ir.Value, d arm64.VReg)

var (
	simdBinary  = map[wasm.Opcode]vbin{}
	simdUnary   = map[wasm.Opcode]vun{}
	simdSpecial = map[wasm.Opcode]simdSpecialFunc{}
)

// simdLowered reports whether the back end lowers OpSIMD of op (a
// relaxed one as its ir.SIMDAlias).
func simdLowered(op wasm.Opcode) bool {
	op = ir.SIMDAlias(op)
	_, b := simdBinary[op]
	_, u := simdUnary[op]
	_, s := simdSpecial[op]
	return b || u || s
}

// intShape is one integer lane shape's opcodes.
type intShape struct {
	arr                                            arm64.Arrangement
	eq, ne, ltS, ltU, gtS, gtU, leS, leU, geS, geU wasm.Opcode
}

func init() {
	for op, b := range map[wasm.Opcode]vbin{
		wasm.OpV128And: {op: arm64.VAND}, wasm.OpV128Or: {op: arm64.VORR}, wasm.OpV128Xor: {op: arm64.VEOR},
		wasm.OpV128Andnot: {op: arm64.VBIC},
		wasm.OpI8x16Add:   {op: arm64.VADD}, wasm.OpI8x16Sub: {op: arm64.VSUB},
		wasm.OpI8x16AddSatS: {op: arm64.VSQADD}, wasm.OpI8x16AddSatU: {op: arm64.VUQADD},
		wasm.OpI8x16SubSatS: {op: arm64.VSQSUB}, wasm.OpI8x16SubSatU: {op: arm64.VUQSUB},
		wasm.OpI8x16MinS: {op: arm64.VSMIN}, wasm.OpI8x16MinU: {op: arm64.VUMIN},
		wasm.OpI8x16MaxS: {op: arm64.VSMAX}, wasm.OpI8x16MaxU: {op: arm64.VUMAX},
		wasm.OpI8x16AvgrU: {op: arm64.VURHADD},
	} {
		b.arr = arm64.B16
		simdBinary[op] = b
	}
	for op, b := range map[wasm.Opcode]vbin{
		wasm.OpI16x8Add: {op: arm64.VADD}, wasm.OpI16x8Sub: {op: arm64.VSUB}, wasm.OpI16x8Mul: {op: arm64.VMUL},
		wasm.OpI16x8AddSatS: {op: arm64.VSQADD}, wasm.OpI16x8AddSatU: {op: arm64.VUQADD},
		wasm.OpI16x8SubSatS: {op: arm64.VSQSUB}, wasm.OpI16x8SubSatU: {op: arm64.VUQSUB},
		wasm.OpI16x8MinS: {op: arm64.VSMIN}, wasm.OpI16x8MinU: {op: arm64.VUMIN},
		wasm.OpI16x8MaxS: {op: arm64.VSMAX}, wasm.OpI16x8MaxU: {op: arm64.VUMAX},
		wasm.OpI16x8AvgrU: {op: arm64.VURHADD}, wasm.OpI16x8Q15mulrSatS: {op: arm64.VSQRDMULH},
	} {
		b.arr = arm64.H8
		simdBinary[op] = b
	}
	for op, b := range map[wasm.Opcode]vbin{
		wasm.OpI32x4Add: {op: arm64.VADD}, wasm.OpI32x4Sub: {op: arm64.VSUB}, wasm.OpI32x4Mul: {op: arm64.VMUL},
		wasm.OpI32x4MinS: {op: arm64.VSMIN}, wasm.OpI32x4MinU: {op: arm64.VUMIN},
		wasm.OpI32x4MaxS: {op: arm64.VSMAX}, wasm.OpI32x4MaxU: {op: arm64.VUMAX},
		// FMIN/FMAX are wasm's min/max: NaN if either is, -0 < +0.
		wasm.OpF32x4Add: {op: arm64.VFADD}, wasm.OpF32x4Sub: {op: arm64.VFSUB}, wasm.OpF32x4Mul: {op: arm64.VFMUL},
		wasm.OpF32x4Div: {op: arm64.VFDIV}, wasm.OpF32x4Min: {op: arm64.VFMIN}, wasm.OpF32x4Max: {op: arm64.VFMAX},
	} {
		b.arr = arm64.S4
		simdBinary[op] = b
	}
	for op, b := range map[wasm.Opcode]vbin{
		wasm.OpI64x2Add: {op: arm64.VADD}, wasm.OpI64x2Sub: {op: arm64.VSUB},
		wasm.OpF64x2Add: {op: arm64.VFADD}, wasm.OpF64x2Sub: {op: arm64.VFSUB}, wasm.OpF64x2Mul: {op: arm64.VFMUL},
		wasm.OpF64x2Div: {op: arm64.VFDIV}, wasm.OpF64x2Min: {op: arm64.VFMIN}, wasm.OpF64x2Max: {op: arm64.VFMAX},
	} {
		b.arr = arm64.D2
		simdBinary[op] = b
	}
	// Integer comparisons: CMEQ, CMGT/CMGE (signed), CMHI/CMHS
	// (unsigned); lt and le reverse gt and ge; ne inverts eq.
	for _, s := range []intShape{
		{arm64.B16, wasm.OpI8x16Eq, wasm.OpI8x16Ne, wasm.OpI8x16LtS, wasm.OpI8x16LtU, wasm.OpI8x16GtS, wasm.OpI8x16GtU, wasm.OpI8x16LeS, wasm.OpI8x16LeU, wasm.OpI8x16GeS, wasm.OpI8x16GeU},
		{arm64.H8, wasm.OpI16x8Eq, wasm.OpI16x8Ne, wasm.OpI16x8LtS, wasm.OpI16x8LtU, wasm.OpI16x8GtS, wasm.OpI16x8GtU, wasm.OpI16x8LeS, wasm.OpI16x8LeU, wasm.OpI16x8GeS, wasm.OpI16x8GeU},
		{arm64.S4, wasm.OpI32x4Eq, wasm.OpI32x4Ne, wasm.OpI32x4LtS, wasm.OpI32x4LtU, wasm.OpI32x4GtS, wasm.OpI32x4GtU, wasm.OpI32x4LeS, wasm.OpI32x4LeU, wasm.OpI32x4GeS, wasm.OpI32x4GeU},
		// i64x2 has no unsigned comparisons (the zero opcodes are
		// deleted below).
		{arm64.D2, wasm.OpI64x2Eq, wasm.OpI64x2Ne, wasm.OpI64x2LtS, 0, wasm.OpI64x2GtS, 0, wasm.OpI64x2LeS, 0, wasm.OpI64x2GeS, 0},
	} {
		r := s.arr
		simdBinary[s.eq] = vbin{op: arm64.VCMEQ, arr: r}
		simdBinary[s.ne] = vbin{op: arm64.VCMEQ, arr: r, not: true}
		simdBinary[s.gtS] = vbin{op: arm64.VCMGT, arr: r}
		simdBinary[s.ltS] = vbin{op: arm64.VCMGT, arr: r, swap: true}
		simdBinary[s.geS] = vbin{op: arm64.VCMGE, arr: r}
		simdBinary[s.leS] = vbin{op: arm64.VCMGE, arr: r, swap: true}
		simdBinary[s.gtU] = vbin{op: arm64.VCMHI, arr: r}
		simdBinary[s.ltU] = vbin{op: arm64.VCMHI, arr: r, swap: true}
		simdBinary[s.geU] = vbin{op: arm64.VCMHS, arr: r}
		simdBinary[s.leU] = vbin{op: arm64.VCMHS, arr: r, swap: true}
	}
	delete(simdBinary, 0)
	// Float comparisons: FCMEQ, FCMGT, FCMGE are false on NaN; ne
	// inverts eq (true on NaN).
	for _, s := range []struct {
		arr                    arm64.Arrangement
		eq, ne, lt, gt, le, ge wasm.Opcode
	}{
		{arm64.S4, wasm.OpF32x4Eq, wasm.OpF32x4Ne, wasm.OpF32x4Lt, wasm.OpF32x4Gt, wasm.OpF32x4Le, wasm.OpF32x4Ge},
		{arm64.D2, wasm.OpF64x2Eq, wasm.OpF64x2Ne, wasm.OpF64x2Lt, wasm.OpF64x2Gt, wasm.OpF64x2Le, wasm.OpF64x2Ge},
	} {
		r := s.arr
		simdBinary[s.eq] = vbin{op: arm64.VFCMEQ, arr: r}
		simdBinary[s.ne] = vbin{op: arm64.VFCMEQ, arr: r, not: true}
		simdBinary[s.gt] = vbin{op: arm64.VFCMGT, arr: r}
		simdBinary[s.lt] = vbin{op: arm64.VFCMGT, arr: r, swap: true}
		simdBinary[s.ge] = vbin{op: arm64.VFCMGE, arr: r}
		simdBinary[s.le] = vbin{op: arm64.VFCMGE, arr: r, swap: true}
	}

	for op, u := range map[wasm.Opcode]vun{
		wasm.OpV128Not: {arm64.VNOT, arm64.B16}, wasm.OpI8x16Popcnt: {arm64.VCNT, arm64.B16},
		wasm.OpI8x16Abs: {arm64.VABS, arm64.B16}, wasm.OpI16x8Abs: {arm64.VABS, arm64.H8},
		wasm.OpI32x4Abs: {arm64.VABS, arm64.S4}, wasm.OpI64x2Abs: {arm64.VABS, arm64.D2},
		wasm.OpI8x16Neg: {arm64.VNEG, arm64.B16}, wasm.OpI16x8Neg: {arm64.VNEG, arm64.H8},
		wasm.OpI32x4Neg: {arm64.VNEG, arm64.S4}, wasm.OpI64x2Neg: {arm64.VNEG, arm64.D2},
		wasm.OpF32x4Abs: {arm64.VFABS, arm64.S4}, wasm.OpF64x2Abs: {arm64.VFABS, arm64.D2},
		wasm.OpF32x4Neg: {arm64.VFNEG, arm64.S4}, wasm.OpF64x2Neg: {arm64.VFNEG, arm64.D2},
		wasm.OpF32x4Sqrt: {arm64.VFSQRT, arm64.S4}, wasm.OpF64x2Sqrt: {arm64.VFSQRT, arm64.D2},
		// FRINTN is nearest, ties to even.
		wasm.OpF32x4Ceil: {arm64.VFRINTP, arm64.S4}, wasm.OpF32x4Floor: {arm64.VFRINTM, arm64.S4},
		wasm.OpF32x4Trunc: {arm64.VFRINTZ, arm64.S4}, wasm.OpF32x4Nearest: {arm64.VFRINTN, arm64.S4},
		wasm.OpF64x2Ceil: {arm64.VFRINTP, arm64.D2}, wasm.OpF64x2Floor: {arm64.VFRINTM, arm64.D2},
		wasm.OpF64x2Trunc: {arm64.VFRINTZ, arm64.D2}, wasm.OpF64x2Nearest: {arm64.VFRINTN, arm64.D2},
		wasm.OpF32x4ConvertI32x4S: {arm64.VSCVTF, arm64.S4}, wasm.OpF32x4ConvertI32x4U: {arm64.VUCVTF, arm64.S4},
		// FCVTZS/FCVTZU saturate and give 0 for NaN: trunc_sat.
		wasm.OpI32x4TruncSatF32x4S: {arm64.VFCVTZS, arm64.S4}, wasm.OpI32x4TruncSatF32x4U: {arm64.VFCVTZU, arm64.S4},
		// The pairwise widening adds take the source's arrangement.
		wasm.OpI16x8ExtaddPairwiseI8x16S: {arm64.VSADDLP, arm64.B16}, wasm.OpI16x8ExtaddPairwiseI8x16U: {arm64.VUADDLP, arm64.B16},
		wasm.OpI32x4ExtaddPairwiseI16x8S: {arm64.VSADDLP, arm64.H8}, wasm.OpI32x4ExtaddPairwiseI16x8U: {arm64.VUADDLP, arm64.H8},
	} {
		simdUnary[op] = u
	}
	addSpecials()
}

func (g *gen) vbinary(v *ir.Value, d arm64.VReg, b vbin) {
	x, y := v.Args[0], v.Args[1]
	if b.swap {
		x, y = y, x
	}
	g.a.Vec3(b.op, b.arr, d, g.useX(x, vTmp), g.useX(y, vTmp2))
	if b.not {
		g.a.Vec2(arm64.VNOT, arm64.B16, d, d)
	}
}
