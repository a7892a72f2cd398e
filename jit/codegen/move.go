package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
)

// move copies a value of type t between any two locations. Slots hold 8
// bytes; floats move as their 64-bit register image (an f32's upper half
// is meaningless), integers as 64 bits (an i32's upper half is zero).
func (g *gen) move(dst, src loc, t ir.Type) {
	if dst == src {
		return
	}
	if t == ir.V128 {
		g.moveV128(dst, src)
		return
	}
	a := g.a
	switch {
	case src.Kind == locImm && dst.Kind == locGPR:
		a.MovImm(amd64.W64, dst.gpr(), src.Imm)
	case src.Kind == locImm && dst.Kind == locSlot && src.Imm >= -1<<31 && src.Imm < 1<<31:
		a.MI(amd64.MOV, amd64.W64, dst.mem(), src.Imm)
	case src.Kind == locImm:
		a.MovImm(amd64.W64, rTmp, src.Imm)
		g.move(dst, gprLoc(rTmp), t)
	case dst.Kind == locGPR && src.Kind == locGPR:
		a.MovRR(amd64.W64, dst.gpr(), src.gpr())
	case dst.Kind == locGPR && src.Kind == locSlot:
		a.MovRM(amd64.W64, dst.gpr(), src.mem())
	case dst.Kind == locGPR && src.Kind == locXMM:
		a.RV(amd64.MOVQ, amd64.W64, dst.gpr(), src.xmm())
	case dst.Kind == locXMM && src.Kind == locXMM:
		a.VV(amd64.MOVAPS, dst.xmm(), src.xmm())
	case dst.Kind == locXMM && src.Kind == locSlot:
		a.VM(amd64.MOVSD, dst.xmm(), src.mem())
	case dst.Kind == locXMM && src.Kind == locGPR:
		a.VR(amd64.MOVQ, amd64.W64, dst.xmm(), src.gpr())
	case dst.Kind == locSlot && src.Kind == locGPR:
		a.MovMR(amd64.W64, dst.mem(), src.gpr())
	case dst.Kind == locSlot && src.Kind == locXMM:
		a.MV(amd64.MOVSD, dst.mem(), src.xmm())
	case dst.Kind == locSlot && src.Kind == locSlot:
		a.MovRM(amd64.W64, rTmp, src.mem())
		a.MovMR(amd64.W64, dst.mem(), rTmp)
	}
}

// parallel performs an edge's moves as if all at once; a cycle is
// broken through rTmp2 or xTmp2.
func (g *gen) parallel(ms []regalloc.Move) {
	regalloc.Parallel(ms, func(dst, src regalloc.Loc, t ir.Type) { g.move(loc(dst), loc(src), t) }, func(m regalloc.Move) regalloc.Loc {
		if m.Dst.Kind == locXMM || m.T == ir.V128 {
			return regalloc.Loc(xmmLoc(xTmp2))
		}
		return regalloc.Loc(gprLoc(rTmp2))
	})
}

// useG returns a general register holding integer v: its own, or
// scratch loaded from its slot.
func (g *gen) useG(v *ir.Value, scratch amd64.Reg) amd64.Reg {
	l := g.locs[v.ID]
	if l.Kind == locGPR {
		return l.gpr()
	}
	g.move(gprLoc(scratch), l, v.Type)
	return scratch
}

// useX is useG for floats.
func (g *gen) useX(v *ir.Value, scratch amd64.VReg) amd64.VReg {
	l := g.locs[v.ID]
	if l.Kind == locXMM {
		return l.xmm()
	}
	g.move(xmmLoc(scratch), l, v.Type)
	return scratch
}

// dstG is the register to compute integer v in: its own, or rTmp when
// it lives in a slot or when its register is also other's (an operand
// that must not be overwritten first).
func (g *gen) dstG(v, other *ir.Value) amd64.Reg {
	l := g.locs[v.ID]
	if l.Kind != locGPR || (other != nil && g.locs[other.ID].sameReg(l) && !g.locs[v.Args[0].ID].sameReg(l)) {
		return rTmp
	}
	return l.gpr()
}

// dstX is dstG for floats (scratch xTmp).
func (g *gen) dstX(v, other *ir.Value) amd64.VReg {
	l := g.locs[v.ID]
	if l.Kind != locXMM || (other != nil && g.locs[other.ID].sameReg(l) && !g.locs[v.Args[0].ID].sameReg(l)) {
		return xTmp
	}
	return l.xmm()
}

// defG stores integer v, computed in r, to its location.
func (g *gen) defG(v *ir.Value, r amd64.Reg) { g.move(g.locs[v.ID], gprLoc(r), v.Type) }

// defX stores float v, computed in x, to its location.
func (g *gen) defX(v *ir.Value, x amd64.VReg) { g.move(g.locs[v.ID], xmmLoc(x), v.Type) }

// operand emits op r, v for an integer v in a register or slot (or an
// immediate when v is a small constant and imm allows; a rematerialised
// constant otherwise goes through rTmp2, so r must not be rTmp2 then).
func (g *gen) operand(op amd64.Op, w amd64.Width, r amd64.Reg, v *ir.Value, imm bool) {
	if imm && v.Op == ir.OpConst {
		c := v.Aux
		if w == amd64.W32 {
			c = int64(int32(c))
		}
		if c >= -1<<31 && c < 1<<31 {
			g.a.RI(op, w, r, c)
			return
		}
	}
	l := g.locs[v.ID]
	switch l.Kind {
	case locGPR:
		g.a.RR(op, w, r, l.gpr())
	case locImm:
		g.a.MovImm(amd64.W64, rTmp2, l.Imm)
		g.a.RR(op, w, r, rTmp2)
	default:
		g.a.AluRM(op, w, r, l.mem())
	}
}

// operandX emits op x, v for a float v in a register or slot.
func (g *gen) operandX(op amd64.Op, x amd64.VReg, v *ir.Value) {
	l := g.locs[v.ID]
	if l.Kind == locXMM {
		g.a.VV(op, x, l.xmm())
	} else {
		g.a.VM(op, x, l.mem())
	}
}
