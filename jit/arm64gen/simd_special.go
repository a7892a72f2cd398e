package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// The v128 operations of more than one instruction, or of another form
// than three-same and two-register. d is distinct from every operand's
// register (vdst): a sequence may write it before it has read them all.

// laneBits is the width of arr's lanes.
func laneBits(arr arm64.Arrangement) uint64 { return 8 << (arr >> 1) }

// shiftKind is a v128 shift.
type shiftKind uint8

const (
	shiftLeft shiftKind = iota
	shiftRightS
	shiftRightU
)

// extend is a widening of the lower or upper half (the arrangement
// picks which: B8, H4, S2 lower, B16, H8, S4 upper).
type extend struct {
	op  arm64.WidenOp
	arr arm64.Arrangement
}

func addSpecials() {
	m := simdSpecial
	lane := func(v *ir.Value) uint8 { _, l := v.SIMDOp(); return l }

	for op, arr := range map[wasm.Opcode]arm64.Arrangement{
		wasm.OpI8x16Splat: arm64.B16, wasm.OpI16x8Splat: arm64.H8, wasm.OpI32x4Splat: arm64.S4, wasm.OpI64x2Splat: arm64.D2,
	} {
		arr := arr
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.DupGP(arr, d, g.useG(v.Args[0], rTmp)) }
	}
	for op, arr := range map[wasm.Opcode]arm64.Arrangement{wasm.OpF32x4Splat: arm64.S4, wasm.OpF64x2Splat: arm64.D2} {
		arr := arr
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.DupElem(arr, d, g.useX(v.Args[0], vTmp), 0) }
	}
	// Integer lanes to a general register: SMOV sign-extends into W
	// (an i32's upper half stays zero), UMOV zero-extends.
	for op, e := range map[wasm.Opcode]struct {
		es     arm64.Size
		signed bool
	}{
		wasm.OpI8x16ExtractLaneS: {arm64.S8, true}, wasm.OpI8x16ExtractLaneU: {arm64.S8, false},
		wasm.OpI16x8ExtractLaneS: {arm64.S16, true}, wasm.OpI16x8ExtractLaneU: {arm64.S16, false},
		wasm.OpI32x4ExtractLane: {arm64.S32, false}, wasm.OpI64x2ExtractLane: {arm64.S64, false},
	} {
		e := e
		m[op] = func(g *gen, v *ir.Value, _ arm64.VReg) {
			xr := g.useX(v.Args[0], vTmp)
			r := g.dstG(v)
			if e.signed {
				g.a.Smov(e.es, arm64.W32, r, xr, lane(v))
			} else {
				g.a.Umov(e.es, r, xr, lane(v))
			}
			g.defG(v, r)
		}
	}
	for op, arr := range map[wasm.Opcode]arm64.Arrangement{wasm.OpF32x4ExtractLane: arm64.S4, wasm.OpF64x2ExtractLane: arm64.D2} {
		arr := arr
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.DupElem(arr, d, g.useX(v.Args[0], vTmp), lane(v)) }
	}
	for op, es := range map[wasm.Opcode]arm64.Size{
		wasm.OpI8x16ReplaceLane: arm64.S8, wasm.OpI16x8ReplaceLane: arm64.S16,
		wasm.OpI32x4ReplaceLane: arm64.S32, wasm.OpI64x2ReplaceLane: arm64.S64,
	} {
		es := es
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.vinto(d, v.Args[0])
			g.a.InsGP(es, d, lane(v), g.useG(v.Args[1], rTmp))
		}
	}
	for op, es := range map[wasm.Opcode]arm64.Size{wasm.OpF32x4ReplaceLane: arm64.S32, wasm.OpF64x2ReplaceLane: arm64.S64} {
		es := es
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.vinto(d, v.Args[0])
			g.a.InsElem(es, d, lane(v), g.useX(v.Args[1], vTmp2), 0)
		}
	}

	// bitselect(x, y, c) = x where c is set, y elsewhere: BSL with the
	// mask in the destination.
	m[wasm.OpV128Bitselect] = func(g *gen, v *ir.Value, d arm64.VReg) {
		g.vinto(d, v.Args[2])
		g.a.Vec3(arm64.VBSL, arm64.B16, d, g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2))
	}
	// Swizzle: TBL gives 0 for indices beyond the table, as wasm wants.
	m[wasm.OpI8x16Swizzle] = func(g *gen, v *ir.Value, d arm64.VReg) {
		g.a.Tbl(arm64.B16, d, g.useX(v.Args[0], vTmp), 1, g.useX(v.Args[1], vTmp2))
	}
	// Shuffle: TBL with the constant indices, on one register when
	// every index picks from the same operand (or both are one value),
	// else on the table V30:V31.
	m[wasm.OpI8x16Shuffle] = func(g *gen, v *ir.Value, d arm64.VReg) {
		lanes := ir.ShuffleLanes(v)
		x, y := v.Args[0], v.Args[1]
		low, high := true, true
		for _, l := range lanes {
			low, high = low && l < 16, high && l >= 16
		}
		var lo, hi uint64
		for i := 0; i < 8; i++ {
			lo |= uint64(lanes[i]) << (8 * i)
			hi |= uint64(lanes[i+8]) << (8 * i)
		}
		table, n := vTmp, 2
		switch {
		case x == y || low:
			lo, hi = lo&0x0F0F0F0F0F0F0F0F, hi&0x0F0F0F0F0F0F0F0F
			table, n = g.useX(x, vTmp), 1
		case high:
			lo, hi = lo&0x0F0F0F0F0F0F0F0F, hi&0x0F0F0F0F0F0F0F0F
			table, n = g.useX(y, vTmp), 1
		default:
			g.vinto(vTmp, x)
			g.vinto(vTmp2, y)
		}
		g.v128Imm(d, lo, hi)
		g.a.Tbl(arm64.B16, d, table, n, d)
	}

	// any_true: the largest word is not zero.
	m[wasm.OpV128AnyTrue] = func(g *gen, v *ir.Value, _ arm64.VReg) {
		g.a.Vec2(arm64.VUMAXV, arm64.S4, vTmp, g.useX(v.Args[0], vTmp))
		g.testScalar(v, arm64.NE)
	}
	// all_true: the smallest lane is not zero (i64x2, with no 64-bit
	// reduction: no lane equals zero).
	for op, arr := range map[wasm.Opcode]arm64.Arrangement{
		wasm.OpI8x16AllTrue: arm64.B16, wasm.OpI16x8AllTrue: arm64.H8, wasm.OpI32x4AllTrue: arm64.S4,
	} {
		arr := arr
		m[op] = func(g *gen, v *ir.Value, _ arm64.VReg) {
			g.a.Vec2(arm64.VUMINV, arr, vTmp, g.useX(v.Args[0], vTmp))
			g.testScalar(v, arm64.NE)
		}
	}
	m[wasm.OpI64x2AllTrue] = func(g *gen, v *ir.Value, _ arm64.VReg) {
		g.a.Vec2(arm64.VCMEQZ, arm64.D2, vTmp, g.useX(v.Args[0], vTmp))
		g.a.Vec2(arm64.VUMAXV, arm64.S4, vTmp, vTmp)
		g.testScalar(v, arm64.EQ)
	}

	// Bitmasks: each lane's sign spread over the lane (SSHR), ANDed
	// with its bit's weight, summed across (the bits are distinct).
	for op, b := range map[wasm.Opcode]struct {
		arr     arm64.Arrangement
		es      arm64.Size
		weights [2]uint64
	}{
		wasm.OpI16x8Bitmask: {arm64.H8, arm64.S16, [2]uint64{0x0008000400020001, 0x0080004000200010}},
		wasm.OpI32x4Bitmask: {arm64.S4, arm64.S32, [2]uint64{0x0000000200000001, 0x0000000800000004}},
	} {
		b := b
		m[op] = func(g *gen, v *ir.Value, _ arm64.VReg) {
			a := g.a
			a.VecShift(arm64.VSSHR, b.arr, vTmp, g.useX(v.Args[0], vTmp), uint8(laneBits(b.arr)))
			g.v128Imm(vTmp2, b.weights[0], b.weights[1])
			a.Vec3(arm64.VAND, arm64.B16, vTmp, vTmp, vTmp2)
			a.Vec2(arm64.VADDV, b.arr, vTmp, vTmp)
			r := g.dstG(v)
			a.Umov(b.es, r, vTmp, 0)
			g.defG(v, r)
		}
	}
	// i8x16: the two halves summed apart (ADDV of 8 bytes each).
	m[wasm.OpI8x16Bitmask] = func(g *gen, v *ir.Value, _ arm64.VReg) {
		a := g.a
		a.VecShift(arm64.VSSHR, arm64.B16, vTmp, g.useX(v.Args[0], vTmp), 8)
		g.v128Imm(vTmp2, 0x8040201008040201, 0x8040201008040201)
		a.Vec3(arm64.VAND, arm64.B16, vTmp, vTmp, vTmp2)
		a.Vec2(arm64.VADDV, arm64.B8, vTmp2, vTmp)
		a.Ext(arm64.B16, vTmp, vTmp, vTmp, 8)
		a.Vec2(arm64.VADDV, arm64.B8, vTmp, vTmp)
		a.Umov(arm64.S8, rTmp, vTmp2, 0)
		a.Umov(arm64.S8, rTmp2, vTmp, 0)
		r := g.dstG(v)
		a.LogicReg(arm64.ORR, arm64.W32, r, rTmp, rTmp2, arm64.LSL, 8)
		g.defG(v, r)
	}
	m[wasm.OpI64x2Bitmask] = func(g *gen, v *ir.Value, _ arm64.VReg) {
		a := g.a
		xr := g.useX(v.Args[0], vTmp)
		a.Umov(arm64.S64, rTmp, xr, 0)
		a.Umov(arm64.S64, rTmp2, xr, 1)
		a.ShiftImm(arm64.LSR, arm64.W64, rTmp, rTmp, 63)
		a.ShiftImm(arm64.LSR, arm64.W64, rTmp2, rTmp2, 63)
		r := g.dstG(v)
		a.LogicReg(arm64.ORR, arm64.W32, r, rTmp, rTmp2, arm64.LSL, 1)
		g.defG(v, r)
	}

	// Shifts: the count modulo the lane width; by a constant an
	// immediate shift, else SSHL/USHL by the count (negated: right)
	// in every lane.
	for op, s := range map[wasm.Opcode]struct {
		arr  arm64.Arrangement
		kind shiftKind
	}{
		wasm.OpI8x16Shl: {arm64.B16, shiftLeft}, wasm.OpI8x16ShrS: {arm64.B16, shiftRightS}, wasm.OpI8x16ShrU: {arm64.B16, shiftRightU},
		wasm.OpI16x8Shl: {arm64.H8, shiftLeft}, wasm.OpI16x8ShrS: {arm64.H8, shiftRightS}, wasm.OpI16x8ShrU: {arm64.H8, shiftRightU},
		wasm.OpI32x4Shl: {arm64.S4, shiftLeft}, wasm.OpI32x4ShrS: {arm64.S4, shiftRightS}, wasm.OpI32x4ShrU: {arm64.S4, shiftRightU},
		wasm.OpI64x2Shl: {arm64.D2, shiftLeft}, wasm.OpI64x2ShrS: {arm64.D2, shiftRightS}, wasm.OpI64x2ShrU: {arm64.D2, shiftRightU},
	} {
		s := s
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) { g.vshift(v, d, s.arr, s.kind) }
	}

	// Narrowing with saturation: the first operand to the lower half,
	// the second to the upper.
	for op, n := range map[wasm.Opcode]struct {
		op  arm64.NarrowOp
		arr arm64.Arrangement
	}{
		wasm.OpI8x16NarrowI16x8S: {arm64.SQXTN, arm64.B8}, wasm.OpI8x16NarrowI16x8U: {arm64.SQXTUN, arm64.B8},
		wasm.OpI16x8NarrowI32x4S: {arm64.SQXTN, arm64.H4}, wasm.OpI16x8NarrowI32x4U: {arm64.SQXTUN, arm64.H4},
	} {
		n := n
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.a.Narrow(n.op, n.arr, d, g.useX(v.Args[0], vTmp))
			g.a.Narrow(n.op, n.arr|1, d, g.useX(v.Args[1], vTmp2))
		}
	}
	for op, e := range map[wasm.Opcode]extend{
		wasm.OpI16x8ExtendLowI8x16S: {arm64.SSHLL, arm64.B8}, wasm.OpI16x8ExtendHighI8x16S: {arm64.SSHLL, arm64.B16},
		wasm.OpI16x8ExtendLowI8x16U: {arm64.USHLL, arm64.B8}, wasm.OpI16x8ExtendHighI8x16U: {arm64.USHLL, arm64.B16},
		wasm.OpI32x4ExtendLowI16x8S: {arm64.SSHLL, arm64.H4}, wasm.OpI32x4ExtendHighI16x8S: {arm64.SSHLL, arm64.H8},
		wasm.OpI32x4ExtendLowI16x8U: {arm64.USHLL, arm64.H4}, wasm.OpI32x4ExtendHighI16x8U: {arm64.USHLL, arm64.H8},
		wasm.OpI64x2ExtendLowI32x4S: {arm64.SSHLL, arm64.S2}, wasm.OpI64x2ExtendHighI32x4S: {arm64.SSHLL, arm64.S4},
		wasm.OpI64x2ExtendLowI32x4U: {arm64.USHLL, arm64.S2}, wasm.OpI64x2ExtendHighI32x4U: {arm64.USHLL, arm64.S4},
	} {
		e := e
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.Widen(e.op, e.arr, d, g.useX(v.Args[0], vTmp), 0) }
	}
	for op, x := range map[wasm.Opcode]struct {
		op  arm64.MulLongOp
		arr arm64.Arrangement
	}{
		wasm.OpI16x8ExtmulLowI8x16S: {arm64.SMULL, arm64.B8}, wasm.OpI16x8ExtmulHighI8x16S: {arm64.SMULL, arm64.B16},
		wasm.OpI16x8ExtmulLowI8x16U: {arm64.UMULL, arm64.B8}, wasm.OpI16x8ExtmulHighI8x16U: {arm64.UMULL, arm64.B16},
		wasm.OpI32x4ExtmulLowI16x8S: {arm64.SMULL, arm64.H4}, wasm.OpI32x4ExtmulHighI16x8S: {arm64.SMULL, arm64.H8},
		wasm.OpI32x4ExtmulLowI16x8U: {arm64.UMULL, arm64.H4}, wasm.OpI32x4ExtmulHighI16x8U: {arm64.UMULL, arm64.H8},
		wasm.OpI64x2ExtmulLowI32x4S: {arm64.SMULL, arm64.S2}, wasm.OpI64x2ExtmulHighI32x4S: {arm64.SMULL, arm64.S4},
		wasm.OpI64x2ExtmulLowI32x4U: {arm64.UMULL, arm64.S2}, wasm.OpI64x2ExtmulHighI32x4U: {arm64.UMULL, arm64.S4},
	} {
		x := x
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.a.MulLong(x.op, x.arr, d, g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2))
		}
	}
	// dot: the products of the lower and upper halves, added in pairs.
	m[wasm.OpI32x4DotI16x8S] = func(g *gen, v *ir.Value, d arm64.VReg) {
		g.mulPairs(v, d, arm64.H4)
		g.a.Vec3(arm64.VADDP, arm64.S4, d, d, vTmp)
	}
	// i64x2.mul: NEON has no 64-bit lane multiply; each lane through
	// the general registers.
	m[wasm.OpI64x2Mul] = func(g *gen, v *ir.Value, d arm64.VReg) {
		a := g.a
		xr, yr := g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2)
		for i := uint8(0); i < 2; i++ {
			a.Umov(arm64.S64, rTmp, xr, i)
			a.Umov(arm64.S64, rTmp2, yr, i)
			a.Mul(arm64.W64, rTmp, rTmp, rTmp2)
			a.InsGP(arm64.S64, d, i, rTmp)
		}
	}
	// pmin(a, b) = b < a ? b : a; pmax(a, b) = a < b ? b : a: the mask,
	// then BSL.
	for op, p := range map[wasm.Opcode]struct {
		arr arm64.Arrangement
		max bool
	}{
		wasm.OpF32x4Pmin: {arm64.S4, false}, wasm.OpF32x4Pmax: {arm64.S4, true},
		wasm.OpF64x2Pmin: {arm64.D2, false}, wasm.OpF64x2Pmax: {arm64.D2, true},
	} {
		p := p
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			ar, br := g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2)
			if p.max {
				g.a.Vec3(arm64.VFCMGT, p.arr, d, br, ar)
			} else {
				g.a.Vec3(arm64.VFCMGT, p.arr, d, ar, br)
			}
			g.a.Vec3(arm64.VBSL, arm64.B16, d, br, ar)
		}
	}
	// Conversions between lane shapes.
	for op, c := range map[wasm.Opcode]struct {
		widen arm64.WidenOp
		cvt   arm64.Vec2Op
	}{
		wasm.OpF64x2ConvertLowI32x4S: {arm64.SSHLL, arm64.VSCVTF}, wasm.OpF64x2ConvertLowI32x4U: {arm64.USHLL, arm64.VUCVTF},
	} {
		c := c
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.a.Widen(c.widen, arm64.S2, d, g.useX(v.Args[0], vTmp), 0)
			g.a.Vec2(c.cvt, arm64.D2, d, d)
		}
	}
	// trunc_sat of f64x2 to the lower i32 lanes: saturated to 64 bits,
	// narrowed with saturation, the upper half zero.
	for op, c := range map[wasm.Opcode]struct {
		cvt    arm64.Vec2Op
		narrow arm64.NarrowOp
	}{
		wasm.OpI32x4TruncSatF64x2SZero: {arm64.VFCVTZS, arm64.SQXTN}, wasm.OpI32x4TruncSatF64x2UZero: {arm64.VFCVTZU, arm64.UQXTN},
	} {
		c := c
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			g.a.Vec2(c.cvt, arm64.D2, d, g.useX(v.Args[0], vTmp))
			g.a.Narrow(c.narrow, arm64.S2, d, d)
		}
	}
	m[wasm.OpF64x2PromoteLowF32x4] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.Fcvtl(arm64.S2, d, g.useX(v.Args[0], vTmp)) }
	m[wasm.OpF32x4DemoteF64x2Zero] = func(g *gen, v *ir.Value, d arm64.VReg) { g.a.Fcvtn(arm64.S2, d, g.useX(v.Args[0], vTmp)) }

	// Relaxed madd and nmadd as internal/numeric defines them: unfused,
	// nmadd = -(a*b) + c.
	for op, x := range map[wasm.Opcode]struct {
		arr arm64.Arrangement
		neg bool
	}{
		wasm.OpF32x4RelaxedMadd: {arm64.S4, false}, wasm.OpF32x4RelaxedNmadd: {arm64.S4, true},
		wasm.OpF64x2RelaxedMadd: {arm64.D2, false}, wasm.OpF64x2RelaxedNmadd: {arm64.D2, true},
	} {
		x := x
		m[op] = func(g *gen, v *ir.Value, d arm64.VReg) {
			a := g.a
			a.Vec3(arm64.VFMUL, x.arr, d, g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2))
			if x.neg {
				a.Vec2(arm64.VFNEG, x.arr, d, d)
			}
			a.Vec3(arm64.VFADD, x.arr, d, d, g.useX(v.Args[2], vTmp))
		}
	}
	// Relaxed dot products, both operands signed (internal/numeric):
	// byte products, pairs added in 16 bits (wrapping), or in 32 bits
	// and pairs again, plus c.
	m[wasm.OpI16x8RelaxedDotI8x16I7x16S] = func(g *gen, v *ir.Value, d arm64.VReg) {
		g.mulPairs(v, d, arm64.B8)
		g.a.Vec3(arm64.VADDP, arm64.H8, d, d, vTmp)
	}
	m[wasm.OpI32x4RelaxedDotI8x16I7x16AddS] = func(g *gen, v *ir.Value, d arm64.VReg) {
		a := g.a
		g.mulPairs(v, d, arm64.B8)
		a.Vec2(arm64.VSADDLP, arm64.H8, d, d)
		a.Vec2(arm64.VSADDLP, arm64.H8, vTmp, vTmp)
		a.Vec3(arm64.VADDP, arm64.S4, d, d, vTmp)
		a.Vec3(arm64.VADD, arm64.S4, d, d, g.useX(v.Args[2], vTmp))
	}
}

// mulPairs sets d to the signed long products of the lower halves of
// v's two operands (lanes arr: B8 or H4) and vTmp to those of the upper
// halves.
func (g *gen) mulPairs(v *ir.Value, d arm64.VReg, arr arm64.Arrangement) {
	xr, yr := g.useX(v.Args[0], vTmp), g.useX(v.Args[1], vTmp2)
	g.a.MulLong(arm64.SMULL, arr, d, xr, yr)
	g.a.MulLong(arm64.SMULL, arr|1, vTmp, xr, yr) // reads xr (maybe vTmp) first
}

// testScalar sets integer v to whether the reduction in vTmp's low word
// satisfies cc against zero.
func (g *gen) testScalar(v *ir.Value, cc arm64.Cond) {
	a := g.a
	a.FmovToGP(arm64.W32, rTmp, vTmp)
	a.CmpImm(arm64.W32, rTmp, 0)
	r := g.dstG(v)
	a.Cset(arm64.W32, r, cc)
	g.defG(v, r)
}

// v128Imm sets x to the v128 with halves lo and hi (through rTmp).
func (g *gen) v128Imm(x arm64.VReg, lo, hi uint64) {
	g.a.MovImm(arm64.W64, rTmp, lo)
	g.a.FmovFromGP(arm64.W64, x, rTmp)
	if hi != lo {
		g.a.MovImm(arm64.W64, rTmp, hi)
	}
	g.a.InsGP(arm64.S64, x, 1, rTmp)
}

// vshift lowers a v128 shift of lanes arr.
func (g *gen) vshift(v *ir.Value, d arm64.VReg, arr arm64.Arrangement, kind shiftKind) {
	a := g.a
	x, c := v.Args[0], v.Args[1]
	bits := laneBits(arr)
	if k, ok := constOf(c, arm64.W32); ok {
		n := uint8(k & (bits - 1))
		xr := g.useX(x, vTmp)
		switch {
		case kind == shiftLeft:
			a.VecShift(arm64.VSHL, arr, d, xr, n)
		case n == 0:
			a.Vec3(arm64.VORR, arm64.B16, d, xr, xr)
		case kind == shiftRightS:
			a.VecShift(arm64.VSSHR, arr, d, xr, n)
		default:
			a.VecShift(arm64.VUSHR, arr, d, xr, n)
		}
		return
	}
	a.LogicImm(arm64.AND, arm64.W32, rTmp, g.useG(c, rTmp), bits-1)
	if kind != shiftLeft {
		a.Neg(arm64.W32, rTmp, rTmp) // SSHL/USHL read the lane's low byte, signed
	}
	a.DupGP(arr, vTmp2, rTmp)
	op := arm64.VUSHL
	if kind == shiftRightS {
		op = arm64.VSSHL
	}
	a.Vec3(op, arr, d, g.useX(x, vTmp), vTmp2)
}
