package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// aluOps are the integer operations that are one two-operand instruction.
var aluOps = map[ir.Op]amd64.Op{
	ir.OpAdd: amd64.ADD, ir.OpSub: amd64.SUB, ir.OpAnd: amd64.AND,
	ir.OpOr: amd64.OR, ir.OpXor: amd64.XOR, ir.OpMul: amd64.IMUL,
}

var shiftOps = map[ir.Op]amd64.Op{
	ir.OpShl: amd64.SHL, ir.OpShrS: amd64.SAR, ir.OpShrU: amd64.SHR,
	ir.OpRotl: amd64.ROL, ir.OpRotr: amd64.ROR,
}

// compareConds are the flags after CMP a, b for which an integer
// comparison holds.
var compareConds = map[ir.Op]amd64.Cond{
	ir.OpEq: amd64.CondE, ir.OpNe: amd64.CondNE,
	ir.OpLtS: amd64.CondL, ir.OpLtU: amd64.CondB, ir.OpGtS: amd64.CondG, ir.OpGtU: amd64.CondA,
	ir.OpLeS: amd64.CondLE, ir.OpLeU: amd64.CondBE, ir.OpGeS: amd64.CondGE, ir.OpGeU: amd64.CondAE,
}

// lowers reports whether inst knows op (lowered answers from a table).
func lowers(op ir.Op) bool {
	if _, ok := aluOps[op]; ok {
		return true
	}
	if _, ok := shiftOps[op]; ok {
		return true
	}
	if _, ok := compareConds[op]; ok {
		return true
	}
	if _, ok := floatOps[op]; ok {
		return true
	}
	if _, ok := regalloc.RuntimeExits[op]; ok || op == ir.OpCallResult {
		return true
	}
	switch op {
	case ir.OpV128Make, ir.OpSIMD, ir.OpSIMDLoad, ir.OpSIMDStore:
		return true // simdLowered says which opcodes
	case ir.OpConst, ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU, ir.OpClz, ir.OpCtz, ir.OpPopcnt, ir.OpEqz,
		ir.OpWrap, ir.OpExtendS, ir.OpExtendU, ir.OpExt8S, ir.OpExt16S, ir.OpExt32S,
		ir.OpFMin, ir.OpFMax, ir.OpFCopysign, ir.OpFAbs, ir.OpFNeg, ir.OpFSqrt,
		ir.OpFCeil, ir.OpFFloor, ir.OpFTrunc, ir.OpFNearest,
		ir.OpFEq, ir.OpFNe, ir.OpFLt, ir.OpFGt, ir.OpFLe, ir.OpFGe,
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
	a := g.a
	if v.Op < ir.NumOps {
		switch opKinds[v.Op] {
		case kindALU:
			g.alu(opInsts[v.Op], v)
			return
		case kindShift:
			g.shift(opInsts[v.Op], v)
			return
		case kindCompare:
			g.setcc(v, g.compareFlags(v))
			return
		case kindFloat:
			g.floatBinary(opFloats[v.Op], v)
			return
		case kindExit:
			if v.Op == ir.OpMemoryFill || v.Op == ir.OpMemoryCopy {
				g.memoryBulk(v, opExits[v.Op])
				return
			}
			g.runtimeExit(v, opExits[v.Op])
			return
		}
	}
	switch v.Op {
	case ir.OpCallResult:
		g.callResult(v)
	case ir.OpConst:
		g.constant(v)
	case ir.OpEqz:
		g.setcc(v, g.compareFlags(v))
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU:
		g.divide(v)
	case ir.OpClz, ir.OpCtz, ir.OpPopcnt:
		g.bitCount(v)
	case ir.OpWrap, ir.OpExtendU:
		r, d := g.useG(v.Args[0], rTmp2), g.ownG(v)
		a.RR(amd64.MOV, amd64.W32, d, r)
		g.defG(v, d)
	case ir.OpExtendS, ir.OpExt32S:
		r, d := g.useG(v.Args[0], rTmp2), g.ownG(v)
		a.RR(amd64.MOVSXD, amd64.W64, d, r)
		g.defG(v, d)
	case ir.OpExt8S, ir.OpExt16S:
		op := amd64.MOVSXB
		if v.Op == ir.OpExt16S {
			op = amd64.MOVSXW
		}
		r, d := g.useG(v.Args[0], rTmp2), g.ownG(v)
		a.RR(op, width(v.Type), d, r)
		g.defG(v, d)
	case ir.OpSelect:
		g.sel(v)
	case ir.OpGlobalGet:
		a.RM(amd64.MOV, amd64.W64, rTmp2, ctxMem(rt.CtxGlobals))
		m := amd64.Ptr(rTmp2, int32(8*rt.GlobalWords*v.Aux))
		switch v.Type {
		case ir.V128:
			a.VM(amd64.MOVUPS, xTmp, m)
			g.defX(v, xTmp)
		case ir.F32:
			a.VM(amd64.MOVSS, xTmp, m)
			g.defX(v, xTmp)
		case ir.F64:
			a.VM(amd64.MOVSD, xTmp, m)
			g.defX(v, xTmp)
		default:
			d := g.ownG(v)
			a.RM(amd64.MOV, width(v.Type), d, m)
			g.defG(v, d)
		}
	case ir.OpGlobalSet:
		x := v.Args[0]
		a.RM(amd64.MOV, amd64.W64, rTmp2, ctxMem(rt.CtxGlobals))
		m := amd64.Ptr(rTmp2, int32(8*rt.GlobalWords*v.Aux))
		switch x.Type {
		case ir.V128:
			a.MV(amd64.MOVUPS, m, g.useX(x, xTmp))
		case ir.F32:
			a.MV(amd64.MOVSS, m, g.useX(x, xTmp))
		case ir.F64:
			a.MV(amd64.MOVSD, m, g.useX(x, xTmp))
		default:
			a.MR(amd64.MOV, width(x.Type), m, g.useG(x, rTmp))
		}
	case ir.OpCall, ir.OpCallIndirect:
		g.call(v)
	case ir.OpLoad:
		g.load(v)
	case ir.OpStore:
		g.store(v)
	case ir.OpMemorySize:
		g.memorySize(v)
	case ir.OpMemoryGrow:
		g.memoryGrow(v)
	case ir.OpV128Make, ir.OpSIMD, ir.OpSIMDLoad, ir.OpSIMDStore:
		g.simd(v)
	default:
		g.floatInst(v)
	}
}

func (g *gen) constant(v *ir.Value) {
	l := g.locs[v.ID]
	switch {
	case l.Kind == locImm: // loaded at its uses
	case l.Kind == locGPR:
		g.a.MovImm(width(v.Type), l.gpr(), v.Aux)
	case l.Kind == locXMM && v.Aux == 0:
		g.a.VV(amd64.XORPS, l.xmm(), l.xmm())
	default:
		g.a.MovImm(amd64.W64, rTmp, v.Aux)
		g.move(l, gprLoc(rTmp), ir.I64)
	}
}

func (g *gen) alu(op amd64.Op, v *ir.Value) {
	x, y := v.Args[0], v.Args[1]
	w := width(v.Type)
	d := g.dstG(v, y)
	g.move(gprLoc(d), g.locs[x.ID], v.Type)
	if op == amd64.IMUL && y.Op == ir.OpConst {
		c := y.Aux
		if w == amd64.W32 {
			c = int64(int32(c))
		}
		if c >= -1<<31 && c < 1<<31 {
			g.a.RRI(amd64.IMUL3, w, d, d, c)
			g.defG(v, d)
			return
		}
	}
	g.operand(op, w, d, y, op != amd64.IMUL)
	g.defG(v, d)
}

func (g *gen) shift(op amd64.Op, v *ir.Value) {
	x, y := v.Args[0], v.Args[1]
	w := width(v.Type)
	if y.Op == ir.OpConst {
		d := g.dstG(v, nil)
		g.move(gprLoc(d), g.locs[x.ID], v.Type)
		g.a.RI(op, w, d, y.Aux&int64(v.Type.Bits()-1))
		g.defG(v, d)
		return
	}
	g.move(gprLoc(amd64.RCX), g.locs[y.ID], y.Type)
	d := g.dstG(v, nil)
	g.move(gprLoc(d), g.locs[x.ID], v.Type)
	g.a.RR(op, w, d, amd64.RCX)
	g.defG(v, d)
}

// compareFlags emits the comparison v (integer compare or eqz) as flags
// and returns the condition under which v is 1.
func (g *gen) compareFlags(v *ir.Value) amd64.Cond {
	x := v.Args[0]
	w := width(x.Type)
	r := g.useG(x, rTmp2)
	if v.Op == ir.OpEqz {
		g.a.RR(amd64.TEST, w, r, r)
		return amd64.CondE
	}
	g.operand(amd64.CMP, w, r, v.Args[1], true)
	return opConds[v.Op]
}

// setcc materialises condition cc as v's 0 or 1.
func (g *gen) setcc(v *ir.Value, cc amd64.Cond) {
	d := g.ownG(v)
	g.a.SetCC(cc, d)
	g.a.RR(amd64.MOVZXB, amd64.W32, d, d)
	g.defG(v, d)
}

// ownG is the register to compute integer v in when its lowering reads
// all its operands before writing the result: its own, or rTmp when it
// lives in a slot.
func (g *gen) ownG(v *ir.Value) amd64.Reg {
	if l := g.locs[v.ID]; l.Kind == locGPR {
		return l.gpr()
	}
	return rTmp
}

// divide lowers the four divisions with WebAssembly's traps: divide by
// zero, and signed overflow (MIN / -1) for div_s; rem_s of MIN by -1 is 0
// (IDIV would fault).
func (g *gen) divide(v *ir.Value) {
	a := g.a
	w := width(v.Type)
	g.move(gprLoc(rTmp2), g.locs[v.Args[1].ID], v.Type)
	g.move(gprLoc(amd64.RAX), g.locs[v.Args[0].ID], v.Type)
	a.RR(amd64.TEST, w, rTmp2, rTmp2)
	a.Jcc(amd64.CondE, g.trap(rt.TrapDivideByZero))
	signed := v.Op == ir.OpDivS || v.Op == ir.OpRemS
	done := a.NewLabel()
	if signed {
		normal := a.NewLabel()
		a.RI(amd64.CMP, w, rTmp2, -1)
		a.Jcc(amd64.CondNE, normal)
		if v.Op == ir.OpDivS {
			a.R(amd64.NEG, w, amd64.RAX)
			a.Jcc(amd64.CondO, g.trap(rt.TrapIntegerOverflow))
		} else {
			a.RR(amd64.XOR, amd64.W32, amd64.RDX, amd64.RDX)
		}
		a.Jmp(done)
		a.Bind(normal)
		if w == amd64.W32 {
			a.Op0(amd64.CDQ, amd64.W32)
		} else {
			a.Op0(amd64.CQO, amd64.W64)
		}
		a.R(amd64.IDIV, w, rTmp2)
	} else {
		a.RR(amd64.XOR, amd64.W32, amd64.RDX, amd64.RDX)
		a.R(amd64.DIV, w, rTmp2)
	}
	a.Bind(done)
	if v.Op == ir.OpDivS || v.Op == ir.OpDivU {
		g.defG(v, amd64.RAX)
	} else {
		g.defG(v, amd64.RDX)
	}
}

// bitCount lowers clz, ctz (LZCNT/TZCNT when the target has them, else
// BSR/BSF with the zero case) and popcnt.
func (g *gen) bitCount(v *ir.Value) {
	a := g.a
	w := width(v.Type)
	bits := int64(v.Type.Bits())
	x := v.Args[0]
	switch {
	case v.Op == ir.OpPopcnt:
		g.operand(amd64.POPCNT, w, rTmp, x, false)
	case v.Op == ir.OpClz && a.Target().Has(amd64.FeatLZCNT):
		g.operand(amd64.LZCNT, w, rTmp, x, false)
	case v.Op == ir.OpCtz && a.Target().Has(amd64.FeatBMI1):
		g.operand(amd64.TZCNT, w, rTmp, x, false)
	case v.Op == ir.OpClz:
		// clz = (w-1) - bsr = bsr ^ (w-1); zero input: (2w-1) ^ (w-1) = w.
		nz := a.NewLabel()
		g.operand(amd64.BSR, w, rTmp, x, false)
		a.Jcc(amd64.CondNE, nz)
		a.MovImm(amd64.W32, rTmp, 2*bits-1)
		a.Bind(nz)
		a.RI(amd64.XOR, amd64.W32, rTmp, bits-1)
	default:
		nz := a.NewLabel()
		g.operand(amd64.BSF, w, rTmp, x, false)
		a.Jcc(amd64.CondNE, nz)
		a.MovImm(amd64.W32, rTmp, bits)
		a.Bind(nz)
	}
	g.defG(v, rTmp)
}

// sel lowers select(x, y, cond) with CMOV for integers, a branch for
// floats.
func (g *gen) sel(v *ir.Value) {
	a := g.a
	x, y, c := v.Args[0], v.Args[1], v.Args[2]
	cr := g.useG(c, rTmp2)
	if cr != rTmp2 {
		a.RR(amd64.MOV, amd64.W32, rTmp2, cr)
	}
	if regalloc.IsVec(v.Type) {
		done := a.NewLabel()
		g.move(xmmLoc(xTmp), g.locs[x.ID], v.Type)
		a.RR(amd64.TEST, amd64.W32, rTmp2, rTmp2)
		a.Jcc(amd64.CondNE, done)
		g.move(xmmLoc(xTmp), g.locs[y.ID], v.Type)
		a.Bind(done)
		g.defX(v, xTmp)
		return
	}
	g.move(gprLoc(rTmp), g.locs[x.ID], v.Type)
	a.RR(amd64.TEST, amd64.W32, rTmp2, rTmp2)
	l := g.locs[y.ID]
	if l.Kind == locImm { // MOV leaves the flags alone
		a.MovImm(amd64.W64, rTmp2, l.Imm)
		l = gprLoc(rTmp2)
	}
	if l.Kind == locGPR {
		a.CMov(amd64.CondE, amd64.W64, rTmp, l.gpr())
	} else {
		a.InstCC(amd64.CMOVCC, amd64.CondE, amd64.W64, rTmp, l.mem())
	}
	g.defG(v, rTmp)
}

// callResolved follows the exit of a call Go serves: Go made the call
// (Payload 0) or resolved compiled code of this instance, which is
// called here with the arguments in place.
func (g *gen) callResolved() {
	a := g.a
	done := a.NewLabel()
	a.RM(amd64.MOV, amd64.W64, rTmp, ctxMem(rt.CtxPayload))
	a.RR(amd64.TEST, amd64.W64, rTmp, rTmp)
	a.Jcc(amd64.CondE, done)
	a.R(amd64.CALLIND, amd64.W64, rTmp)
	g.markSite(SiteCall)
	a.Bind(done)
}

// call stores the arguments in the outgoing slots, saves the registers
// live across, calls (or exits to Go for a function not compiled) and
// takes the result from slot 0.
func (g *gen) call(v *ir.Value) {
	a := g.a
	c := g.clobberAt(v)
	g.saveRegs(c, false)
	for i, x := range v.Args[:len(v.Sig.Params)] {
		g.move(slotLoc(int32(8*regalloc.SlotIndex(v.Sig.Params, i))), g.locs[x.ID], x.Type)
	}
	fn := int(v.Aux)
	if v.Op == ir.OpCallIndirect {
		g.callIndirect(v)
	} else if fn < len(g.m.compiled) && g.m.compiled[fn] && !g.m.opts.CtxLinks {
		a.CallExtern(fn)
		g.markSite(SiteCall)
	} else {
		g.callOther(fn)
	}
	g.saveRegs(c, true)
	if v.Type != ir.None {
		g.move(g.locs[v.ID], slotLoc(0), v.Type)
	}
}
