package codegen

import (
	"math"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// floatOps are the float operations that are one SSE instruction
// ({f32, f64} forms).
var floatOps = map[ir.Op][2]amd64.Op{
	ir.OpFAdd: {amd64.ADDSS, amd64.ADDSD}, ir.OpFSub: {amd64.SUBSS, amd64.SUBSD},
	ir.OpFMul: {amd64.MULSS, amd64.MULSD}, ir.OpFDiv: {amd64.DIVSS, amd64.DIVSD},
}

// pick chooses the f32 or f64 form.
func pick(t ir.Type, ops [2]amd64.Op) amd64.Op {
	if t == ir.F32 {
		return ops[0]
	}
	return ops[1]
}

var (
	ucomis = [2]amd64.Op{amd64.UCOMISS, amd64.UCOMISD}
	cvtsi  = [2]amd64.Op{amd64.CVTSI2SS, amd64.CVTSI2SD}
	cvtt   = [2]amd64.Op{amd64.CVTTSS2SI, amd64.CVTTSD2SI}
)

func (g *gen) floatBinary(ops [2]amd64.Op, v *ir.Value) {
	x, y := v.Args[0], v.Args[1]
	d := g.dstX(v, y)
	g.move(xmmLoc(d), g.locs[x.ID], v.Type)
	g.operandX(pick(v.Type, ops), d, y)
	g.defX(v, d)
}

// loadFloat puts the constant f (as type t) in x through rTmp.
func (g *gen) loadFloat(x amd64.VReg, t ir.Type, f float64) {
	if t == ir.F32 {
		g.a.MovImm(amd64.W32, rTmp, int64(math.Float32bits(float32(f))))
		g.a.VR(amd64.MOVD, amd64.W32, x, rTmp)
		return
	}
	g.a.MovImm(amd64.W64, rTmp, int64(math.Float64bits(f)))
	g.a.VR(amd64.MOVQ, amd64.W64, x, rTmp)
}

// fcmp are the float comparisons: operands swapped or not, and the
// condition(s) after UCOMIS for which the comparison holds (unordered
// sets ZF, PF and CF, so A and AE are false on NaN; E needs NP, NE is
// true with P).
var fcmp = map[ir.Op]struct {
	swap bool
	cc   amd64.Cond
}{
	ir.OpFGt: {false, amd64.CondA}, ir.OpFGe: {false, amd64.CondAE},
	ir.OpFLt: {true, amd64.CondA}, ir.OpFLe: {true, amd64.CondAE},
	ir.OpFEq: {false, amd64.CondE}, ir.OpFNe: {false, amd64.CondNE},
}

func (g *gen) floatInst(v *ir.Value) {
	a := g.a
	x := v.Args[0]
	switch v.Op {
	case ir.OpFMin, ir.OpFMax:
		g.minMax(v)
	case ir.OpFCopysign, ir.OpFAbs, ir.OpFNeg:
		g.signBits(v)
	case ir.OpFSqrt:
		d := g.dstX(v, nil)
		g.operandX(pick(v.Type, [2]amd64.Op{amd64.SQRTSS, amd64.SQRTSD}), d, x)
		g.defX(v, d)
	case ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest:
		mode := map[ir.Op]uint8{ir.OpFNearest: 0, ir.OpFFloor: 1, ir.OpFCeil: 2, ir.OpFTrunc: 3}[v.Op]
		d := g.dstX(v, nil)
		g.a.VVI(pick(v.Type, [2]amd64.Op{amd64.ROUNDSS, amd64.ROUNDSD}), d, g.useX(x, xTmp2), mode|8)
		g.defX(v, d)
	case ir.OpFEq, ir.OpFNe, ir.OpFLt, ir.OpFGt, ir.OpFLe, ir.OpFGe:
		c := fcmp[v.Op]
		l, r := x, v.Args[1]
		if c.swap {
			l, r = r, l
		}
		g.operandX(pick(x.Type, ucomis), g.useX(l, xTmp), r)
		a.SetCC(c.cc, rTmp)
		a.RR(amd64.MOVZXB, amd64.W32, rTmp, rTmp)
		switch v.Op {
		case ir.OpFEq:
			a.SetCC(amd64.CondNP, rTmp2)
			a.RR(amd64.MOVZXB, amd64.W32, rTmp2, rTmp2)
			a.RR(amd64.AND, amd64.W32, rTmp, rTmp2)
		case ir.OpFNe:
			a.SetCC(amd64.CondP, rTmp2)
			a.RR(amd64.MOVZXB, amd64.W32, rTmp2, rTmp2)
			a.RR(amd64.OR, amd64.W32, rTmp, rTmp2)
		}
		g.defG(v, rTmp)
	case ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU:
		g.truncate(v)
	case ir.OpConvertS, ir.OpConvertU:
		g.convert(v)
	case ir.OpDemote, ir.OpPromote:
		op := amd64.CVTSD2SS
		if v.Op == ir.OpPromote {
			op = amd64.CVTSS2SD
		}
		d := g.dstX(v, nil)
		g.operandX(op, d, x)
		g.defX(v, d)
	case ir.OpReinterpret:
		if isFloat(v.Type) {
			op := amd64.MOVQ
			if v.Type == ir.F32 {
				op = amd64.MOVD
			}
			a.VR(op, width(v.Type), xTmp, g.useG(x, rTmp2))
			g.defX(v, xTmp)
		} else {
			op := amd64.MOVQ
			if v.Type == ir.I32 {
				op = amd64.MOVD
			}
			a.RV(op, width(v.Type), rTmp, g.useX(x, xTmp2))
			g.defG(v, rTmp)
		}
	}
}

// minMax implements WebAssembly's fmin/fmax: NaN if either operand is
// NaN, and -0 < +0 (MINSS/MAXSS return their second operand in both
// cases, so those are handled first).
func (g *gen) minMax(v *ir.Value) {
	a := g.a
	x, y := v.Args[0], v.Args[1]
	d := g.dstX(v, y)
	g.move(xmmLoc(d), g.locs[x.ID], v.Type)
	yr := g.useX(y, xTmp2)
	nan, equal, done := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.VV(pick(v.Type, ucomis), d, yr)
	a.Jcc(amd64.CondP, nan)
	a.Jcc(amd64.CondE, equal)
	if v.Op == ir.OpFMin {
		a.VV(pick(v.Type, [2]amd64.Op{amd64.MINSS, amd64.MINSD}), d, yr)
	} else {
		a.VV(pick(v.Type, [2]amd64.Op{amd64.MAXSS, amd64.MAXSD}), d, yr)
	}
	a.Jmp(done)
	a.Bind(equal) // equal values differ at most in the sign of zero
	if v.Op == ir.OpFMin {
		a.VV(amd64.ORPS, d, yr)
	} else {
		a.VV(amd64.ANDPS, d, yr)
	}
	a.Jmp(done)
	a.Bind(nan)
	a.VV(pick(v.Type, floatOps[ir.OpFAdd]), d, yr)
	a.Bind(done)
	g.defX(v, d)
}

// signBits lowers abs, neg and copysign on the bits in general
// registers.
func (g *gen) signBits(v *ir.Value) {
	a := g.a
	w := width(v.Type)
	mov := amd64.MOVQ
	if v.Type == ir.F32 {
		mov = amd64.MOVD
	}
	a.RV(mov, w, rTmp, g.useX(v.Args[0], xTmp2))
	sign := int64(-1) << 63
	if v.Type == ir.F32 {
		sign = 1 << 31
	}
	a.MovImm(w, amd64.RCX, sign) // the sign bit
	switch v.Op {
	case ir.OpFNeg:
		a.RR(amd64.XOR, w, rTmp, amd64.RCX)
	case ir.OpFAbs:
		a.R(amd64.NOT, w, amd64.RCX)
		a.RR(amd64.AND, w, rTmp, amd64.RCX)
	case ir.OpFCopysign:
		a.RV(mov, w, rTmp2, g.useX(v.Args[1], xTmp2))
		a.RR(amd64.AND, w, rTmp2, amd64.RCX)
		a.R(amd64.NOT, w, amd64.RCX)
		a.RR(amd64.AND, w, rTmp, amd64.RCX)
		a.RR(amd64.OR, w, rTmp, rTmp2)
	}
	a.VR(mov, w, xTmp, rTmp)
	g.defX(v, xTmp)
}

// truncate lowers float-to-integer truncation, trapping (NaN: invalid
// conversion; out of range: integer overflow) or saturating.
func (g *gen) truncate(v *ir.Value) {
	a := g.a
	x := v.Args[0]
	from, to := x.Type, v.Type
	sat := v.Op == ir.OpTruncSatS || v.Op == ir.OpTruncSatU
	signed := v.Op == ir.OpTruncS || v.Op == ir.OpTruncSatS
	lo, loIncl, hi := regalloc.TruncBounds(signed, to, from)
	cmp := pick(from, ucomis)
	g.move(xmmLoc(xTmp), g.locs[x.ID], from)
	nan, low, high, done := a.NewLabel(), a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.VV(cmp, xTmp, xTmp)
	a.Jcc(amd64.CondP, nan)
	g.loadFloat(xTmp2, from, lo)
	a.VV(cmp, xTmp, xTmp2)
	if loIncl {
		a.Jcc(amd64.CondB, low)
	} else {
		a.Jcc(amd64.CondBE, low)
	}
	g.loadFloat(xTmp2, from, hi)
	a.VV(cmp, xTmp, xTmp2)
	a.Jcc(amd64.CondAE, high)
	switch {
	case signed:
		a.RV(pick(from, cvtt), width(to), rTmp, xTmp)
	case to == ir.I32:
		a.RV(pick(from, cvtt), amd64.W64, rTmp, xTmp)
		a.RR(amd64.MOV, amd64.W32, rTmp, rTmp)
	default:
		// below 2^63 directly; above, convert x - 2^63 and set bit 63.
		big := a.NewLabel()
		g.loadFloat(xTmp2, from, 1<<63)
		a.VV(cmp, xTmp, xTmp2)
		a.Jcc(amd64.CondAE, big)
		a.RV(pick(from, cvtt), amd64.W64, rTmp, xTmp)
		a.Jmp(done)
		a.Bind(big)
		a.VV(pick(from, floatOps[ir.OpFSub]), xTmp, xTmp2)
		a.RV(pick(from, cvtt), amd64.W64, rTmp, xTmp)
		a.RI(amd64.MOVABS, amd64.W64, amd64.RCX, -1<<63)
		a.RR(amd64.XOR, amd64.W64, rTmp, amd64.RCX)
	}
	a.Bind(done)
	g.defG(v, rTmp)
	w := width(to)
	minV, maxV := int64(0), int64(-1)
	if signed {
		minV, maxV = int64(-1)<<(to.Bits()-1), int64(1)<<(to.Bits()-1)-1
	}
	g.addLate(func() {
		if !sat {
			a.Bind(nan)
			a.Jmp(g.trap(rt.TrapInvalidConversion))
			a.Bind(low)
			a.Bind(high)
			a.Jmp(g.trap(rt.TrapIntegerOverflow))
			return
		}
		a.Bind(nan)
		a.RR(amd64.XOR, amd64.W32, rTmp, rTmp)
		a.Jmp(done)
		a.Bind(low)
		a.MovImm(w, rTmp, minV)
		a.Jmp(done)
		a.Bind(high)
		a.MovImm(w, rTmp, maxV)
		a.Jmp(done)
	})
}

// convert lowers integer-to-float conversion; unsigned 64-bit values
// with the top bit set are halved (keeping the low bit, so rounding is
// unchanged) and doubled after.
func (g *gen) convert(v *ir.Value) {
	a := g.a
	x := v.Args[0]
	op := pick(v.Type, cvtsi)
	d := g.dstX(v, nil)
	switch {
	case v.Op == ir.OpConvertS:
		r := g.useG(x, rTmp2)
		a.VR(op, width(x.Type), d, r)
	case x.Type == ir.I32:
		r := g.useG(x, rTmp2)
		a.RR(amd64.MOV, amd64.W32, rTmp, r)
		a.VR(op, amd64.W64, d, rTmp)
	default:
		big, done := a.NewLabel(), a.NewLabel()
		g.move(gprLoc(rTmp), g.locs[x.ID], x.Type)
		a.RR(amd64.TEST, amd64.W64, rTmp, rTmp)
		a.Jcc(amd64.CondS, big)
		a.VR(op, amd64.W64, d, rTmp)
		a.Jmp(done)
		a.Bind(big)
		a.RR(amd64.MOV, amd64.W64, amd64.RCX, rTmp)
		a.RI(amd64.SHR, amd64.W64, amd64.RCX, 1)
		a.RI(amd64.AND, amd64.W32, rTmp, 1)
		a.RR(amd64.OR, amd64.W64, amd64.RCX, rTmp)
		a.VR(op, amd64.W64, d, amd64.RCX)
		a.VV(pick(v.Type, floatOps[ir.OpFAdd]), d, d)
		a.Bind(done)
	}
	g.defX(v, d)
}
