package arm64gen

import (
	"math"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// floatOps are the float operations that are one instruction. FMIN and
// FMAX are WebAssembly's: NaN when either operand is, -0 < +0.
var floatOps = map[ir.Op]arm64.FP2Op{
	ir.OpFAdd: arm64.FADD, ir.OpFSub: arm64.FSUB, ir.OpFMul: arm64.FMUL, ir.OpFDiv: arm64.FDIV,
	ir.OpFMin: arm64.FMIN, ir.OpFMax: arm64.FMAX,
}

// floatUnary are the one-source float operations; FRINTN rounds to
// nearest, ties to even (nearest).
var floatUnary = map[ir.Op]arm64.FP1Op{
	ir.OpFAbs: arm64.FABS, ir.OpFNeg: arm64.FNEG, ir.OpFSqrt: arm64.FSQRT,
	ir.OpFCeil: arm64.FRINTP, ir.OpFFloor: arm64.FRINTM, ir.OpFTrunc: arm64.FRINTZ, ir.OpFNearest: arm64.FRINTN,
}

// fcmpConds are the conditions after FCMP x, y for which a float
// comparison holds: unordered sets C and V, so only NE holds for NaN.
var fcmpConds = map[ir.Op]arm64.Cond{
	ir.OpFEq: arm64.EQ, ir.OpFNe: arm64.NE, ir.OpFLt: arm64.MI, ir.OpFGt: arm64.GT, ir.OpFLe: arm64.LS, ir.OpFGe: arm64.GE,
}

func (g *gen) floatOp(v *ir.Value) {
	xr := g.useX(v.Args[0], vTmp)
	yr := g.useX(v.Args[1], vTmp2)
	d := g.dstX(v)
	g.a.FP2(floatOps[v.Op], ftype(v.Type), d, xr, yr)
	g.defX(v, d)
}

// loadFloat puts the constant f (as type t) in x through rTmp.
func (g *gen) loadFloat(x arm64.VReg, t ir.Type, f float64) {
	if t == ir.F32 {
		g.a.MovImm(arm64.W32, rTmp, uint64(math.Float32bits(float32(f))))
		g.a.FmovFromGP(arm64.W32, x, rTmp)
		return
	}
	g.a.MovImm(arm64.W64, rTmp, math.Float64bits(f))
	g.a.FmovFromGP(arm64.W64, x, rTmp)
}

func (g *gen) floatInst(v *ir.Value) {
	a := g.a
	x := v.Args[0]
	if op, ok := floatUnary[v.Op]; ok {
		xr := g.useX(x, vTmp)
		d := g.dstX(v)
		a.FP1(op, ftype(v.Type), d, xr)
		g.defX(v, d)
		return
	}
	if cc, ok := fcmpConds[v.Op]; ok {
		a.Fcmp(ftype(x.Type), g.useX(x, vTmp), g.useX(v.Args[1], vTmp2))
		g.setcc(v, cc)
		return
	}
	switch v.Op {
	case ir.OpFCopysign:
		// The sign bit of y inserted into x's bits.
		w := width(v.Type)
		top := uint8(v.Type.Bits() - 1)
		a.FmovToGP(w, rTmp, g.useX(x, vTmp))
		a.FmovToGP(w, rTmp2, g.useX(v.Args[1], vTmp2))
		a.ShiftImm(arm64.LSR, w, rTmp2, rTmp2, top)
		a.Bfi(w, rTmp, rTmp2, top, 1)
		d := g.dstX(v)
		a.FmovFromGP(w, d, rTmp)
		g.defX(v, d)
	case ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU:
		g.truncate(v)
	case ir.OpConvertS, ir.OpConvertU:
		op := arm64.SCVTF
		if v.Op == ir.OpConvertU {
			op = arm64.UCVTF
		}
		r := g.useG(x, rTmp)
		d := g.dstX(v)
		a.IntToFP(op, ftype(v.Type), width(x.Type), d, r)
		g.defX(v, d)
	case ir.OpDemote, ir.OpPromote:
		xr := g.useX(x, vTmp)
		d := g.dstX(v)
		a.Fcvt(ftype(v.Type), ftype(x.Type), d, xr)
		g.defX(v, d)
	case ir.OpReinterpret:
		if regalloc.IsVec(v.Type) {
			r := g.useG(x, rTmp)
			d := g.dstX(v)
			a.FmovFromGP(width(v.Type), d, r)
			g.defX(v, d)
		} else {
			xr := g.useX(x, vTmp)
			d := g.dstG(v)
			a.FmovToGP(width(v.Type), d, xr)
			g.defG(v, d)
		}
	default:
		g.a.Udf(0)
	}
}

// truncate lowers float-to-integer truncation. FCVTZS and FCVTZU
// saturate and map NaN to 0, which is trunc_sat; the trapping forms
// check NaN (invalid conversion) and the range (integer overflow) first.
func (g *gen) truncate(v *ir.Value) {
	a := g.a
	x := v.Args[0]
	from, to := x.Type, v.Type
	signed := v.Op == ir.OpTruncS || v.Op == ir.OpTruncSatS
	op := arm64.FCVTZU
	if signed {
		op = arm64.FCVTZS
	}
	xr := g.useX(x, vTmp)
	if v.Op == ir.OpTruncS || v.Op == ir.OpTruncU {
		t := ftype(from)
		lo, loIncl, hi := regalloc.TruncBounds(signed, to, from)
		a.Fcmp(t, xr, xr)
		a.BCond(arm64.VS, g.trap(rt.TrapInvalidConversion))
		overflow := g.trap(rt.TrapIntegerOverflow)
		g.loadFloat(vTmp2, from, lo)
		a.Fcmp(t, xr, vTmp2)
		if loIncl {
			a.BCond(arm64.LT, overflow)
		} else {
			a.BCond(arm64.LE, overflow)
		}
		g.loadFloat(vTmp2, from, hi)
		a.Fcmp(t, xr, vTmp2)
		a.BCond(arm64.GE, overflow)
	}
	d := g.dstG(v)
	a.FcvtToInt(op, width(to), ftype(from), d, xr)
	g.defG(v, d)
}
