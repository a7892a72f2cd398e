package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// aluKind says how an integer binary operation is lowered.
type aluKind uint8

const (
	aluAdd   aluKind = iota // ADD/SUB: an immediate of 12 bits (shifted or not), either sign
	aluLogic                // AND/ORR/EOR: a bitmask immediate
	aluMul                  // MUL: registers only
	aluShift                // LSLV/LSRV/ASRV/RORV, or a constant shift
)

// aluOps are the integer operations that are one instruction.
var aluOps = map[ir.Op]struct {
	kind  aluKind
	add   arm64.AddOp
	logic arm64.LogicOp
	shift arm64.Shift
	dp2   arm64.DP2Op
}{
	ir.OpAdd: {kind: aluAdd, add: arm64.ADD}, ir.OpSub: {kind: aluAdd, add: arm64.SUB},
	ir.OpMul: {kind: aluMul},
	ir.OpAnd: {kind: aluLogic, logic: arm64.AND}, ir.OpOr: {kind: aluLogic, logic: arm64.ORR}, ir.OpXor: {kind: aluLogic, logic: arm64.EOR},
	ir.OpShl:  {kind: aluShift, shift: arm64.LSL, dp2: arm64.LSLV},
	ir.OpShrS: {kind: aluShift, shift: arm64.ASR, dp2: arm64.ASRV},
	ir.OpShrU: {kind: aluShift, shift: arm64.LSR, dp2: arm64.LSRV},
	ir.OpRotr: {kind: aluShift, shift: arm64.ROR, dp2: arm64.RORV},
}

// compareConds are the flags after CMP a, b for which an integer
// comparison holds.
var compareConds = map[ir.Op]arm64.Cond{
	ir.OpEq: arm64.EQ, ir.OpNe: arm64.NE,
	ir.OpLtS: arm64.LT, ir.OpLtU: arm64.LO, ir.OpGtS: arm64.GT, ir.OpGtU: arm64.HI,
	ir.OpLeS: arm64.LE, ir.OpLeU: arm64.LS, ir.OpGeS: arm64.GE, ir.OpGeU: arm64.HS,
}

// lowered reports whether inst knows op.
func lowered(op ir.Op) bool {
	if _, ok := aluOps[op]; ok {
		return true
	}
	if _, ok := compareConds[op]; ok {
		return true
	}
	if _, ok := floatOps[op]; ok {
		return true
	}
	if _, ok := floatUnary[op]; ok {
		return true
	}
	if _, ok := regalloc.RuntimeExits[op]; ok || op == ir.OpCallResult || isSIMDOp(op) {
		return true
	}
	switch op {
	case ir.OpConst, ir.OpRotl, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU, ir.OpClz, ir.OpCtz, ir.OpPopcnt, ir.OpEqz,
		ir.OpWrap, ir.OpExtendS, ir.OpExtendU, ir.OpExt8S, ir.OpExt16S, ir.OpExt32S,
		ir.OpFCopysign, ir.OpFEq, ir.OpFNe, ir.OpFLt, ir.OpFGt, ir.OpFLe, ir.OpFGe,
		ir.OpTruncS, ir.OpTruncU, ir.OpTruncSatS, ir.OpTruncSatU, ir.OpConvertS, ir.OpConvertU,
		ir.OpDemote, ir.OpPromote, ir.OpReinterpret,
		ir.OpSelect, ir.OpGlobalGet, ir.OpGlobalSet, ir.OpCall,
		ir.OpLoad, ir.OpStore, ir.OpMemorySize, ir.OpMemoryGrow, ir.OpCallIndirect:
		return true
	}
	return false
}

// inst emits one instruction.
func (g *gen) inst(v *ir.Value) {
	if _, ok := aluOps[v.Op]; ok {
		g.alu(v)
		return
	}
	if _, ok := compareConds[v.Op]; ok {
		g.setcc(v, g.compareFlags(v))
		return
	}
	if _, ok := floatOps[v.Op]; ok {
		g.floatOp(v)
		return
	}
	if code, ok := regalloc.RuntimeExits[v.Op]; ok {
		if v.Op == ir.OpMemoryFill || v.Op == ir.OpMemoryCopy {
			g.memoryBulk(v, code)
			return
		}
		g.runtimeExit(v, code)
		return
	}
	if isSIMDOp(v.Op) {
		g.simd(v)
		return
	}
	a := g.a
	switch v.Op {
	case ir.OpCallResult:
		g.callResult(v)
	case ir.OpConst:
		g.constant(v)
	case ir.OpRotl:
		g.rotl(v)
	case ir.OpEqz:
		g.setcc(v, g.compareFlags(v))
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU:
		g.divide(v)
	case ir.OpClz, ir.OpCtz, ir.OpPopcnt:
		g.bitCount(v)
	case ir.OpWrap, ir.OpExtendU:
		r := g.useG(v.Args[0], rTmp)
		d := g.dstG(v)
		a.Mov(arm64.W32, d, r)
		g.defG(v, d)
	case ir.OpExtendS, ir.OpExt32S, ir.OpExt8S, ir.OpExt16S:
		e := map[ir.Op]arm64.Extend{ir.OpExtendS: arm64.SXTW, ir.OpExt32S: arm64.SXTW, ir.OpExt8S: arm64.SXTB, ir.OpExt16S: arm64.SXTH}[v.Op]
		r := g.useG(v.Args[0], rTmp)
		d := g.dstG(v)
		a.ExtendReg(e, width(v.Type), d, r)
		g.defG(v, d)
	case ir.OpSelect:
		g.sel(v)
	case ir.OpGlobalGet, ir.OpGlobalSet:
		g.global(v)
	case ir.OpCall, ir.OpCallIndirect:
		g.call(v)
	case ir.OpLoad:
		g.load(v)
	case ir.OpStore:
		g.store(v)
	case ir.OpMemorySize:
		a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxMemLen))
		d := g.dstG(v)
		a.ShiftImm(arm64.LSR, arm64.W64, d, rTmp, 16)
		g.defG(v, d)
	case ir.OpMemoryGrow:
		g.memoryGrow(v)
	default:
		g.floatInst(v)
	}
}

// constant materialises a constant that is not rematerialised (floats).
func (g *gen) constant(v *ir.Value) {
	l := g.locs[v.ID]
	switch l.Kind {
	case regalloc.LocImm: // loaded at its uses
	case regalloc.LocGPR:
		g.a.MovImm(arm64.W64, gpr(l), uint64(v.Aux))
	case regalloc.LocVec:
		r := arm64.ZR
		if v.Aux != 0 {
			g.a.MovImm(arm64.W64, rTmp, uint64(v.Aux))
			r = rTmp
		}
		g.a.FmovFromGP(arm64.W64, vreg(l), r)
	default:
		g.move(l, regalloc.Imm(v.Aux), ir.I64)
	}
}

// constOf reports v's bits as an operand of width w when v is a constant.
func constOf(v *ir.Value, w arm64.Width) (uint64, bool) {
	if v.Op != ir.OpConst {
		return 0, false
	}
	c := uint64(v.Aux)
	if w == arm64.W32 {
		c &= 0xFFFFFFFF
	}
	return c, true
}

// addImm reports whether c fits ADD/SUB's immediate.
func addImm(c uint64) bool { return c < 1<<12 || c&0xFFF == 0 && c < 1<<24 }

func (g *gen) alu(v *ir.Value) {
	a := g.a
	op := aluOps[v.Op]
	x, y := v.Args[0], v.Args[1]
	w := width(v.Type)
	xr := g.useG(x, rTmp)
	d := g.dstG(v)
	c, isConst := constOf(y, w)
	switch op.kind {
	case aluAdd:
		neg := -c
		if w == arm64.W32 {
			neg &= 0xFFFFFFFF
		}
		switch {
		case isConst && addImm(c):
			a.AddImm(op.add, w, d, xr, uint32(c))
		case isConst && addImm(neg):
			a.AddImm(op.add^arm64.SUB, w, d, xr, uint32(neg)) // ADD <-> SUB
		default:
			a.AddReg(op.add, w, d, xr, g.useG(y, rTmp2), arm64.LSL, 0)
		}
	case aluLogic:
		if isConst && arm64.LogicalImm(w, c) {
			a.LogicImm(op.logic, w, d, xr, c)
		} else {
			a.LogicReg(op.logic, w, d, xr, g.useG(y, rTmp2), arm64.LSL, 0)
		}
	case aluMul:
		a.Mul(w, d, xr, g.useG(y, rTmp2))
	case aluShift:
		if isConst {
			a.ShiftImm(op.shift, w, d, xr, uint8(c&uint64(v.Type.Bits()-1)))
		} else {
			a.DataProc2(op.dp2, w, d, xr, g.useG(y, rTmp2))
		}
	}
	g.defG(v, d)
}

// rotl is a rotation right by the negated count.
func (g *gen) rotl(v *ir.Value) {
	a := g.a
	x, y := v.Args[0], v.Args[1]
	w := width(v.Type)
	bits := uint64(v.Type.Bits())
	xr := g.useG(x, rTmp)
	d := g.dstG(v)
	if c, ok := constOf(y, w); ok {
		a.ShiftImm(arm64.ROR, w, d, xr, uint8((bits-c%bits)%bits))
	} else {
		a.Neg(w, rTmp2, g.useG(y, rTmp2))
		a.DataProc2(arm64.RORV, w, d, xr, rTmp2)
	}
	g.defG(v, d)
}

// compareFlags emits the comparison v (integer compare or eqz) as flags
// and returns the condition under which v is 1.
func (g *gen) compareFlags(v *ir.Value) arm64.Cond {
	a := g.a
	x := v.Args[0]
	w := width(x.Type)
	r := g.useG(x, rTmp)
	if v.Op == ir.OpEqz {
		a.CmpImm(w, r, 0)
		return arm64.EQ
	}
	y := v.Args[1]
	c, isConst := constOf(y, w)
	neg := -c
	if w == arm64.W32 {
		neg &= 0xFFFFFFFF
	}
	switch {
	case isConst && addImm(c):
		a.CmpImm(w, r, uint32(c))
	case isConst && c != 0 && addImm(neg):
		a.CmnImm(w, r, uint32(neg))
	default:
		a.Cmp(w, r, g.useG(y, rTmp2))
	}
	return compareConds[v.Op]
}

// setcc materialises condition cc as v's 0 or 1.
func (g *gen) setcc(v *ir.Value, cc arm64.Cond) {
	d := g.dstG(v)
	g.a.Cset(arm64.W32, d, cc)
	g.defG(v, d)
}

// divide lowers the four divisions with WebAssembly's traps: divide by
// zero, and MIN / -1 for div_s. SDIV does not fault on it, and the
// remainder x - (x/y)*y of MIN by -1 wraps to 0 as rem_s wants.
func (g *gen) divide(v *ir.Value) {
	a := g.a
	w := width(v.Type)
	xr := g.useG(v.Args[0], rTmp)
	yr := g.useG(v.Args[1], rTmp2)
	a.CBZ(w, yr, g.trap(rt.TrapDivideByZero))
	if v.Op == ir.OpDivS {
		normal := a.NewLabel()
		a.CmnImm(w, yr, 1)
		a.BCond(arm64.NE, normal)
		a.CmpImm(w, xr, 1) // overflows (V) exactly for MIN
		a.BCond(arm64.VS, g.trap(rt.TrapIntegerOverflow))
		a.Bind(normal)
	}
	d := g.dstG(v)
	div := arm64.UDIV
	if v.Op == ir.OpDivS || v.Op == ir.OpRemS {
		div = arm64.SDIV
	}
	if v.Op == ir.OpDivS || v.Op == ir.OpDivU {
		a.DataProc2(div, w, d, xr, yr)
	} else {
		a.DataProc2(div, w, rAddr, xr, yr)
		a.DataProc3(arm64.MSUB, w, d, rAddr, yr, xr)
	}
	g.defG(v, d)
}

// bitCount lowers clz (CLZ), ctz (RBIT, CLZ) and popcnt (CNT and ADDV on
// a vector register: the baseline has no scalar popcount).
func (g *gen) bitCount(v *ir.Value) {
	a := g.a
	w := width(v.Type)
	xr := g.useG(v.Args[0], rTmp)
	d := g.dstG(v)
	switch v.Op {
	case ir.OpClz:
		a.DataProc1(arm64.CLZ, w, d, xr)
	case ir.OpCtz:
		a.DataProc1(arm64.RBIT, w, rTmp2, xr)
		a.DataProc1(arm64.CLZ, w, d, rTmp2)
	default:
		a.FmovFromGP(w, vTmp, xr)
		a.Vec2(arm64.VCNT, arm64.B8, vTmp, vTmp)
		a.Vec2(arm64.VADDV, arm64.B8, vTmp, vTmp)
		a.FmovToGP(arm64.W32, d, vTmp)
	}
	g.defG(v, d)
}

// sel lowers select(x, y, cond) with CSEL or FCSEL.
func (g *gen) sel(v *ir.Value) {
	a := g.a
	x, y, c := v.Args[0], v.Args[1], v.Args[2]
	if v.Type == ir.V128 {
		g.selV128(v)
		return
	}
	cr := g.useG(c, rAddr)
	if regalloc.IsVec(v.Type) {
		xr, yr := g.useX(x, vTmp), g.useX(y, vTmp2)
		a.CmpImm(arm64.W32, cr, 0)
		d := g.dstX(v)
		a.Fcsel(ftype(v.Type), d, xr, yr, arm64.NE)
		g.defX(v, d)
		return
	}
	xr, yr := g.useG(x, rTmp), g.useG(y, rTmp2)
	a.CmpImm(arm64.W32, cr, 0)
	d := g.dstG(v)
	a.CondSel(arm64.CSEL, arm64.W64, d, xr, yr, arm64.NE)
	g.defG(v, d)
}

// global reads or writes a global: Ctx.Globals holds rt.GlobalWords
// words each, the value in the low bytes of the first.
func (g *gen) global(v *ir.Value) {
	a := g.a
	t := v.Type
	if v.Op == ir.OpGlobalSet {
		t = v.Args[0].Type
	}
	size := arm64.S64
	if t == ir.I32 || t == ir.F32 {
		size = arm64.S32
	} else if t == ir.V128 {
		size = arm64.S128
	}
	var val arm64.Reg
	var fval arm64.VReg
	if v.Op == ir.OpGlobalSet { // the value first: the address takes rAddr
		if regalloc.IsVec(t) {
			fval = g.useX(v.Args[0], vTmp)
		} else {
			val = g.useG(v.Args[0], rTmp)
		}
	}
	a.LoadStore(arm64.LDR, arm64.S64, rAddr, ctxMem(rt.CtxGlobals))
	off := uint64(8 * rt.GlobalWords * v.Aux)
	var m arm64.Mem
	if off < uint64(size.Bytes())<<12 {
		m = arm64.Ptr(rAddr, int64(off))
	} else {
		g.addConst(rAddr, rAddr, off)
		m = arm64.Ptr(rAddr, 0)
	}
	switch {
	case v.Op == ir.OpGlobalSet && regalloc.IsVec(t):
		a.FLoadStore(arm64.STR, size, fval, m)
	case v.Op == ir.OpGlobalSet:
		a.LoadStore(arm64.STR, size, val, m)
	case regalloc.IsVec(t):
		d := g.dstX(v)
		a.FLoadStore(arm64.LDR, size, d, m)
		g.defX(v, d)
	default:
		d := g.dstG(v)
		a.LoadStore(arm64.LDR, size, d, m)
		g.defG(v, d)
	}
}
