package codegen

import (
	"fmt"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// v128 values live in vector registers and in 16-byte slots aligned to
// 16 (regalloc.VecSlot: RSP is 16-aligned inside a frame), so a spilled
// v128 can be a legacy SSE instruction's memory operand. Argument and result
// slots of calls hold a v128 in two 8-byte slots, low half first, and
// are only moved with MOVUPS.

// moveV128 copies a v128 between registers and slots.
func (g *gen) moveV128(dst, src loc) {
	a := g.a
	switch {
	case dst.Kind == locXMM && src.Kind == locXMM:
		a.VV(amd64.MOVAPS, dst.xmm(), src.xmm())
	case dst.Kind == locXMM && src.Kind == locSlot:
		a.VM(amd64.MOVUPS, dst.xmm(), src.mem())
	case dst.Kind == locSlot && src.Kind == locXMM:
		a.MV(amd64.MOVUPS, dst.mem(), src.xmm())
	case dst.Kind == locSlot && src.Kind == locSlot:
		for _, off := range []int32{0, 8} {
			a.RM(amd64.MOV, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, src.Off+off))
			a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, dst.Off+off), rTmp)
		}
	default:
		a.Op0(amd64.UD2, amd64.WNone) // not a v128 location: fails loudly
	}
}

// vbin is a v128 binary operation lowered to one SSE instruction: op
// first, second (swap: the operands reversed; imm: the predicate of
// CMPPS/CMPPD), then optionally an equality with the first operand (eq:
// ge/le through max/min) and an inversion (not).
type vbin struct {
	op   amd64.Op
	swap bool
	imm  int16 // -1: none
	eq   amd64.Op
	not  bool
}

func bin(op amd64.Op) vbin { return vbin{op: op, imm: -1} }

// vun is a v128 unary operation lowered to one SSE instruction op dst,
// src (imm: its immediate; high: on the high half, moved down first).
type vun struct {
	op   amd64.Op
	imm  int16
	high bool
}

var (
	simdBinary = map[wasm.Opcode]vbin{}
	simdUnary  = map[wasm.Opcode]vun{}
	// simdSpecial are the operations with their own sequences.
	simdSpecial map[wasm.Opcode]func(g *gen, v *ir.Value)
)

func init() {
	for op, ins := range map[wasm.Opcode]amd64.Op{
		wasm.OpV128And: amd64.PAND, wasm.OpV128Or: amd64.POR, wasm.OpV128Xor: amd64.PXOR,
		wasm.OpI8x16Add: amd64.PADDB, wasm.OpI8x16Sub: amd64.PSUBB,
		wasm.OpI8x16AddSatS: amd64.PADDSB, wasm.OpI8x16AddSatU: amd64.PADDUSB,
		wasm.OpI8x16SubSatS: amd64.PSUBSB, wasm.OpI8x16SubSatU: amd64.PSUBUSB,
		wasm.OpI8x16MinS: amd64.PMINSB, wasm.OpI8x16MinU: amd64.PMINUB,
		wasm.OpI8x16MaxS: amd64.PMAXSB, wasm.OpI8x16MaxU: amd64.PMAXUB,
		wasm.OpI8x16AvgrU: amd64.PAVGB, wasm.OpI8x16Eq: amd64.PCMPEQB, wasm.OpI8x16GtS: amd64.PCMPGTB,
		wasm.OpI8x16NarrowI16x8S: amd64.PACKSSWB, wasm.OpI8x16NarrowI16x8U: amd64.PACKUSWB,
		wasm.OpI16x8Add: amd64.PADDW, wasm.OpI16x8Sub: amd64.PSUBW, wasm.OpI16x8Mul: amd64.PMULLW,
		wasm.OpI16x8AddSatS: amd64.PADDSW, wasm.OpI16x8AddSatU: amd64.PADDUSW,
		wasm.OpI16x8SubSatS: amd64.PSUBSW, wasm.OpI16x8SubSatU: amd64.PSUBUSW,
		wasm.OpI16x8MinS: amd64.PMINSW, wasm.OpI16x8MinU: amd64.PMINUW,
		wasm.OpI16x8MaxS: amd64.PMAXSW, wasm.OpI16x8MaxU: amd64.PMAXUW,
		wasm.OpI16x8AvgrU: amd64.PAVGW, wasm.OpI16x8Eq: amd64.PCMPEQW, wasm.OpI16x8GtS: amd64.PCMPGTW,
		wasm.OpI16x8NarrowI32x4S: amd64.PACKSSDW, wasm.OpI16x8NarrowI32x4U: amd64.PACKUSDW,
		wasm.OpI32x4Add: amd64.PADDD, wasm.OpI32x4Sub: amd64.PSUBD, wasm.OpI32x4Mul: amd64.PMULLD,
		wasm.OpI32x4MinS: amd64.PMINSD, wasm.OpI32x4MinU: amd64.PMINUD,
		wasm.OpI32x4MaxS: amd64.PMAXSD, wasm.OpI32x4MaxU: amd64.PMAXUD,
		wasm.OpI32x4Eq: amd64.PCMPEQD, wasm.OpI32x4GtS: amd64.PCMPGTD,
		wasm.OpI32x4DotI16x8S: amd64.PMADDWD,
		wasm.OpI64x2Add:       amd64.PADDQ, wasm.OpI64x2Sub: amd64.PSUBQ,
		wasm.OpI64x2Eq: amd64.PCMPEQQ, wasm.OpI64x2GtS: amd64.PCMPGTQ,
		wasm.OpF32x4Add: amd64.ADDPS, wasm.OpF32x4Sub: amd64.SUBPS, wasm.OpF32x4Mul: amd64.MULPS, wasm.OpF32x4Div: amd64.DIVPS,
		wasm.OpF64x2Add: amd64.ADDPD, wasm.OpF64x2Sub: amd64.SUBPD, wasm.OpF64x2Mul: amd64.MULPD, wasm.OpF64x2Div: amd64.DIVPD,
	} {
		simdBinary[op] = bin(ins)
	}
	// Integer comparisons: lt is gt reversed; ne inverts eq; signed and
	// unsigned ge/le compare max/min with the first operand (i64x2, with
	// no 64-bit min/max, inverts gt and lt).
	for _, s := range []struct {
		eq, ne, ltS, ltU, gtS, gtU, leS, leU, geS, geU wasm.Opcode
		cmpEq, cmpGt, minS, minU, maxS, maxU           amd64.Op
	}{
		{wasm.OpI8x16Eq, wasm.OpI8x16Ne, wasm.OpI8x16LtS, wasm.OpI8x16LtU, wasm.OpI8x16GtS, wasm.OpI8x16GtU, wasm.OpI8x16LeS, wasm.OpI8x16LeU, wasm.OpI8x16GeS, wasm.OpI8x16GeU,
			amd64.PCMPEQB, amd64.PCMPGTB, amd64.PMINSB, amd64.PMINUB, amd64.PMAXSB, amd64.PMAXUB},
		{wasm.OpI16x8Eq, wasm.OpI16x8Ne, wasm.OpI16x8LtS, wasm.OpI16x8LtU, wasm.OpI16x8GtS, wasm.OpI16x8GtU, wasm.OpI16x8LeS, wasm.OpI16x8LeU, wasm.OpI16x8GeS, wasm.OpI16x8GeU,
			amd64.PCMPEQW, amd64.PCMPGTW, amd64.PMINSW, amd64.PMINUW, amd64.PMAXSW, amd64.PMAXUW},
		{wasm.OpI32x4Eq, wasm.OpI32x4Ne, wasm.OpI32x4LtS, wasm.OpI32x4LtU, wasm.OpI32x4GtS, wasm.OpI32x4GtU, wasm.OpI32x4LeS, wasm.OpI32x4LeU, wasm.OpI32x4GeS, wasm.OpI32x4GeU,
			amd64.PCMPEQD, amd64.PCMPGTD, amd64.PMINSD, amd64.PMINUD, amd64.PMAXSD, amd64.PMAXUD},
	} {
		simdBinary[s.ne] = vbin{op: s.cmpEq, imm: -1, not: true}
		simdBinary[s.ltS] = vbin{op: s.cmpGt, imm: -1, swap: true}
		simdBinary[s.leS] = vbin{op: s.minS, imm: -1, eq: s.cmpEq}
		simdBinary[s.geS] = vbin{op: s.maxS, imm: -1, eq: s.cmpEq}
		simdBinary[s.leU] = vbin{op: s.minU, imm: -1, eq: s.cmpEq}
		simdBinary[s.geU] = vbin{op: s.maxU, imm: -1, eq: s.cmpEq}
		simdBinary[s.gtU] = vbin{op: s.minU, imm: -1, eq: s.cmpEq, not: true}
		simdBinary[s.ltU] = vbin{op: s.maxU, imm: -1, eq: s.cmpEq, not: true}
	}
	simdBinary[wasm.OpI64x2Ne] = vbin{op: amd64.PCMPEQQ, imm: -1, not: true}
	simdBinary[wasm.OpI64x2LtS] = vbin{op: amd64.PCMPGTQ, imm: -1, swap: true}
	simdBinary[wasm.OpI64x2LeS] = vbin{op: amd64.PCMPGTQ, imm: -1, not: true}
	simdBinary[wasm.OpI64x2GeS] = vbin{op: amd64.PCMPGTQ, imm: -1, swap: true, not: true}
	simdBinary[wasm.OpV128Andnot] = vbin{op: amd64.PANDN, imm: -1, swap: true}
	// Float comparisons: CMPPS/CMPPD predicates EQ 0, LT 1, LE 2, NEQ
	// (unordered: true on NaN) 4; gt and ge reverse lt and le.
	for _, s := range []struct {
		eq, ne, lt, gt, le, ge wasm.Opcode
		cmp                    amd64.Op
	}{
		{wasm.OpF32x4Eq, wasm.OpF32x4Ne, wasm.OpF32x4Lt, wasm.OpF32x4Gt, wasm.OpF32x4Le, wasm.OpF32x4Ge, amd64.CMPPS},
		{wasm.OpF64x2Eq, wasm.OpF64x2Ne, wasm.OpF64x2Lt, wasm.OpF64x2Gt, wasm.OpF64x2Le, wasm.OpF64x2Ge, amd64.CMPPD},
	} {
		simdBinary[s.eq] = vbin{op: s.cmp, imm: 0}
		simdBinary[s.ne] = vbin{op: s.cmp, imm: 4}
		simdBinary[s.lt] = vbin{op: s.cmp, imm: 1}
		simdBinary[s.le] = vbin{op: s.cmp, imm: 2}
		simdBinary[s.gt] = vbin{op: s.cmp, imm: 1, swap: true}
		simdBinary[s.ge] = vbin{op: s.cmp, imm: 2, swap: true}
	}
	// pmin(a, b) = b < a ? b : a is MINPS b, a; pmax likewise.
	simdBinary[wasm.OpF32x4Pmin] = vbin{op: amd64.MINPS, imm: -1, swap: true}
	simdBinary[wasm.OpF32x4Pmax] = vbin{op: amd64.MAXPS, imm: -1, swap: true}
	simdBinary[wasm.OpF64x2Pmin] = vbin{op: amd64.MINPD, imm: -1, swap: true}
	simdBinary[wasm.OpF64x2Pmax] = vbin{op: amd64.MAXPD, imm: -1, swap: true}

	for op, u := range map[wasm.Opcode]vun{
		wasm.OpI8x16Abs: {op: amd64.PABSB}, wasm.OpI16x8Abs: {op: amd64.PABSW}, wasm.OpI32x4Abs: {op: amd64.PABSD},
		wasm.OpF32x4Sqrt: {op: amd64.SQRTPS}, wasm.OpF64x2Sqrt: {op: amd64.SQRTPD},
		// ROUNDPS/ROUNDPD modes: nearest-even 0, down 1, up 2, toward zero 3.
		wasm.OpF32x4Nearest: {op: amd64.ROUNDPS, imm: 0}, wasm.OpF32x4Floor: {op: amd64.ROUNDPS, imm: 1},
		wasm.OpF32x4Ceil: {op: amd64.ROUNDPS, imm: 2}, wasm.OpF32x4Trunc: {op: amd64.ROUNDPS, imm: 3},
		wasm.OpF64x2Nearest: {op: amd64.ROUNDPD, imm: 0}, wasm.OpF64x2Floor: {op: amd64.ROUNDPD, imm: 1},
		wasm.OpF64x2Ceil: {op: amd64.ROUNDPD, imm: 2}, wasm.OpF64x2Trunc: {op: amd64.ROUNDPD, imm: 3},
		wasm.OpI16x8ExtendLowI8x16S: {op: amd64.PMOVSXBW}, wasm.OpI16x8ExtendLowI8x16U: {op: amd64.PMOVZXBW},
		wasm.OpI32x4ExtendLowI16x8S: {op: amd64.PMOVSXWD}, wasm.OpI32x4ExtendLowI16x8U: {op: amd64.PMOVZXWD},
		wasm.OpI64x2ExtendLowI32x4S: {op: amd64.PMOVSXDQ}, wasm.OpI64x2ExtendLowI32x4U: {op: amd64.PMOVZXDQ},
		wasm.OpI16x8ExtendHighI8x16S: {op: amd64.PMOVSXBW, high: true}, wasm.OpI16x8ExtendHighI8x16U: {op: amd64.PMOVZXBW, high: true},
		wasm.OpI32x4ExtendHighI16x8S: {op: amd64.PMOVSXWD, high: true}, wasm.OpI32x4ExtendHighI16x8U: {op: amd64.PMOVZXWD, high: true},
		wasm.OpI64x2ExtendHighI32x4S: {op: amd64.PMOVSXDQ, high: true}, wasm.OpI64x2ExtendHighI32x4U: {op: amd64.PMOVZXDQ, high: true},
		wasm.OpF32x4ConvertI32x4S:    {op: amd64.CVTDQ2PS},
		wasm.OpF64x2ConvertLowI32x4S: {op: amd64.CVTDQ2PD},
		wasm.OpF32x4DemoteF64x2Zero:  {op: amd64.CVTPD2PS},
		wasm.OpF64x2PromoteLowF32x4:  {op: amd64.CVTPS2PD},
	} {
		if u.op != amd64.ROUNDPS && u.op != amd64.ROUNDPD {
			u.imm = -1
		}
		simdUnary[op] = u
	}
	simdSpecial = simdSpecials()
}

// simdLowered reports whether the back end lowers OpSIMD of op.
func simdLowered(op wasm.Opcode) bool {
	op = ir.SIMDAlias(op)
	_, b := simdBinary[op]
	_, u := simdUnary[op]
	_, s := simdSpecial[op]
	return b || u || s
}

// checkSIMD reports the SIMD operations Compile does not lower.
func checkSIMD(v *ir.Value) error {
	switch {
	case v.Op == ir.OpSIMD:
		if op, _ := v.SIMDOp(); !simdLowered(op) {
			return fmt.Errorf("%w: %v", ErrUnsupported, op)
		} else if op == wasm.OpI8x16Shuffle && ir.ShuffleLanes(v) == nil {
			return fmt.Errorf("%w: i8x16.shuffle with lane indices not constant", ErrUnsupported)
		}
	}
	return nil
}

// simd emits a SIMD operation.
func (g *gen) simd(v *ir.Value) {
	switch v.Op {
	case ir.OpV128Make:
		g.v128Make(v)
	case ir.OpSIMDLoad:
		g.simdLoad(v)
	case ir.OpSIMDStore:
		g.simdStore(v)
	default:
		op, _ := v.SIMDOp()
		op = ir.SIMDAlias(op)
		if b, ok := simdBinary[op]; ok {
			g.vbinary(v, b)
		} else if u, ok := simdUnary[op]; ok {
			g.vunary(v, u)
		} else {
			simdSpecial[op](g, v)
		}
	}
}

// vdst is the register to compute v in when first is copied there
// before second is read: v's own, or xTmp when v lives in a slot or its
// register holds second.
func (g *gen) vdst(v, first, second *ir.Value) amd64.VReg {
	l := g.locs[v.ID]
	if l.Kind != locXMM || second != nil && g.locs[second.ID].sameReg(l) && !g.locs[first.ID].sameReg(l) {
		return xTmp
	}
	return l.xmm()
}

// vop emits op d, x (imm >= 0: with that immediate) for a vector x in a
// register or an (aligned) slot.
func (g *gen) vop(op amd64.Op, d amd64.VReg, x *ir.Value, imm int16) {
	l := g.locs[x.ID]
	switch {
	case l.Kind == locXMM && imm >= 0:
		g.a.VVI(op, d, l.xmm(), uint8(imm))
	case l.Kind == locXMM:
		g.a.VV(op, d, l.xmm())
	case imm >= 0:
		g.a.Inst(op, amd64.WNone, d, l.mem(), amd64.Imm(imm))
	default:
		g.a.VM(op, d, l.mem())
	}
}

// vnot inverts d (uses xTmp2).
func (g *gen) vnot(d amd64.VReg) {
	g.a.VV(amd64.PCMPEQD, xTmp2, xTmp2)
	g.a.VV(amd64.PXOR, d, xTmp2)
}

func (g *gen) vbinary(v *ir.Value, b vbin) {
	x, y := v.Args[0], v.Args[1]
	if b.swap {
		x, y = y, x
	}
	d := g.vdst(v, x, y)
	g.move(xmmLoc(d), g.locs[x.ID], ir.V128)
	g.vop(b.op, d, y, b.imm)
	if b.eq != 0 {
		g.vop(b.eq, d, x, -1)
	}
	if b.not {
		g.vnot(d)
	}
	g.defX(v, d)
}

func (g *gen) vunary(v *ir.Value, u vun) {
	x := v.Args[0]
	d := g.vdst(v, x, nil)
	if u.high {
		g.vop(amd64.PSHUFD, d, x, 0xEE)
		g.a.VV(u.op, d, d)
	} else {
		g.vop(u.op, d, x, u.imm)
	}
	g.defX(v, d)
}

// v128Make builds a v128 from two i64 halves.
func (g *gen) v128Make(v *ir.Value) {
	a := g.a
	lo, hi := v.Args[0], v.Args[1]
	d := g.vdst(v, v, nil)
	if lo.Op == ir.OpConst && hi.Op == ir.OpConst && lo.Aux == 0 && hi.Aux == 0 {
		a.VV(amd64.PXOR, d, d)
		g.defX(v, d)
		return
	}
	g.vmovq(d, lo)
	if l := g.locs[hi.ID]; l.Kind == locGPR {
		a.Inst(amd64.PINSRQ, amd64.W64, d, l.gpr(), amd64.Imm(1))
	} else {
		a.Inst(amd64.PINSRQ, amd64.W64, d, g.useG(hi, rTmp2), amd64.Imm(1))
	}
	g.defX(v, d)
}

// vmovq loads 64-bit x into the low half of d, zeroing the high half.
func (g *gen) vmovq(d amd64.VReg, x *ir.Value) {
	g.a.VR(amd64.MOVQ, amd64.W64, d, g.useG(x, rTmp2))
}

// simdLoad lowers the v128 loads: bounds-checked like a scalar load
// (address), then read whole, widened, splatted, zero-extended or into
// one lane.
func (g *gen) simdLoad(v *ir.Value) {
	a := g.a
	op, lane := v.SIMDOp()
	d := g.vdst(v, v, nil)
	if ir.IsSIMDLaneMem(op) {
		g.move(xmmLoc(d), g.locs[v.Args[1].ID], ir.V128)
	}
	m := g.address(v)
	switch op {
	case wasm.OpV128Load:
		a.VM(amd64.MOVUPS, d, m)
	case wasm.OpV128Load8x8S:
		a.VM(amd64.PMOVSXBW, d, m)
	case wasm.OpV128Load8x8U:
		a.VM(amd64.PMOVZXBW, d, m)
	case wasm.OpV128Load16x4S:
		a.VM(amd64.PMOVSXWD, d, m)
	case wasm.OpV128Load16x4U:
		a.VM(amd64.PMOVZXWD, d, m)
	case wasm.OpV128Load32x2S:
		a.VM(amd64.PMOVSXDQ, d, m)
	case wasm.OpV128Load32x2U:
		a.VM(amd64.PMOVZXDQ, d, m)
	case wasm.OpV128Load8Splat:
		a.Inst(amd64.PINSRB, amd64.W32, d, m, amd64.Imm(0))
		a.VV(amd64.PXOR, xTmp2, xTmp2)
		a.VV(amd64.PSHUFB, d, xTmp2)
	case wasm.OpV128Load16Splat:
		a.Inst(amd64.PINSRW, amd64.W32, d, m, amd64.Imm(0))
		a.VVI(amd64.PSHUFLW, d, d, 0)
		a.VVI(amd64.PSHUFD, d, d, 0)
	case wasm.OpV128Load32Splat:
		a.Inst(amd64.MOVD, amd64.W32, d, m)
		a.VVI(amd64.PSHUFD, d, d, 0)
	case wasm.OpV128Load64Splat:
		a.VM(amd64.MOVQ, d, m)
		a.VV(amd64.PUNPCKLQDQ, d, d)
	case wasm.OpV128Load32Zero:
		a.Inst(amd64.MOVD, amd64.W32, d, m)
	case wasm.OpV128Load64Zero:
		a.VM(amd64.MOVQ, d, m)
	case wasm.OpV128Load8Lane:
		a.Inst(amd64.PINSRB, amd64.W32, d, m, amd64.Imm(lane))
	case wasm.OpV128Load16Lane:
		a.Inst(amd64.PINSRW, amd64.W32, d, m, amd64.Imm(lane))
	case wasm.OpV128Load32Lane:
		a.Inst(amd64.PINSRD, amd64.W32, d, m, amd64.Imm(lane))
	case wasm.OpV128Load64Lane:
		a.Inst(amd64.PINSRQ, amd64.W64, d, m, amd64.Imm(lane))
	}
	g.defX(v, d)
}

// simdStore lowers v128.store and the lane stores.
func (g *gen) simdStore(v *ir.Value) {
	a := g.a
	op, lane := v.SIMDOp()
	x := g.useX(v.Args[1], xTmp)
	m := g.address(v)
	switch op {
	case wasm.OpV128Store:
		a.MV(amd64.MOVUPS, m, x)
	case wasm.OpV128Store8Lane:
		a.Inst(amd64.PEXTRB, amd64.W32, m, x, amd64.Imm(lane))
	case wasm.OpV128Store16Lane:
		a.Inst(amd64.PEXTRW, amd64.W32, rTmp, x, amd64.Imm(lane))
		a.MR(amd64.MOV, amd64.W16, m, rTmp)
	case wasm.OpV128Store32Lane:
		a.Inst(amd64.PEXTRD, amd64.W32, m, x, amd64.Imm(lane))
	case wasm.OpV128Store64Lane:
		a.Inst(amd64.PEXTRQ, amd64.W64, m, x, amd64.Imm(lane))
	}
}

// usesSIMD reports whether f has an OpSIMD (which may need g.vtemp).
func usesSIMD(f *ir.Func) bool {
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			if v.Op == ir.OpSIMD {
				return true
			}
		}
	}
	return false
}
