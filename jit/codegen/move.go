package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
)

// move is one copy of a parallel move.
type move struct {
	dst, src loc
	t        ir.Type
}

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
	case src.kind == locImm && dst.kind == locGPR:
		a.MovImm(amd64.W64, dst.gpr(), src.imm)
	case src.kind == locImm && dst.kind == locSlot && src.imm >= -1<<31 && src.imm < 1<<31:
		a.MI(amd64.MOV, amd64.W64, dst.mem(), src.imm)
	case src.kind == locImm:
		a.MovImm(amd64.W64, rTmp, src.imm)
		g.move(dst, gprLoc(rTmp), t)
	case dst.kind == locGPR && src.kind == locGPR:
		a.RR(amd64.MOV, amd64.W64, dst.gpr(), src.gpr())
	case dst.kind == locGPR && src.kind == locSlot:
		a.RM(amd64.MOV, amd64.W64, dst.gpr(), src.mem())
	case dst.kind == locGPR && src.kind == locXMM:
		a.RV(amd64.MOVQ, amd64.W64, dst.gpr(), src.xmm())
	case dst.kind == locXMM && src.kind == locXMM:
		a.VV(amd64.MOVAPS, dst.xmm(), src.xmm())
	case dst.kind == locXMM && src.kind == locSlot:
		a.VM(amd64.MOVSD, dst.xmm(), src.mem())
	case dst.kind == locXMM && src.kind == locGPR:
		a.VR(amd64.MOVQ, amd64.W64, dst.xmm(), src.gpr())
	case dst.kind == locSlot && src.kind == locGPR:
		a.MR(amd64.MOV, amd64.W64, dst.mem(), src.gpr())
	case dst.kind == locSlot && src.kind == locXMM:
		a.MV(amd64.MOVSD, dst.mem(), src.xmm())
	case dst.kind == locSlot && src.kind == locSlot:
		a.RM(amd64.MOV, amd64.W64, rTmp, src.mem())
		a.MR(amd64.MOV, amd64.W64, dst.mem(), rTmp)
	}
}

// parallel performs the moves as if all at once: a move runs when no
// other pending move still reads its destination; a cycle is broken by
// parking one destination's old value in a scratch register.
func (g *gen) parallel(ms []move) {
	pending := ms[:0]
	for _, m := range ms {
		if m.dst != m.src {
			pending = append(pending, m)
		}
	}
	for len(pending) > 0 {
		ready := -1
		for i, m := range pending {
			read := false
			for j, o := range pending {
				if j != i && o.src == m.dst {
					read = true
					break
				}
			}
			if !read {
				ready = i
				break
			}
		}
		if ready < 0 {
			m := pending[0]
			tmp := gprLoc(rTmp2)
			if m.dst.kind == locXMM || m.t == ir.V128 {
				tmp = xmmLoc(xTmp2)
			}
			g.move(tmp, m.dst, m.t)
			for j := range pending {
				if pending[j].src == m.dst {
					pending[j].src = tmp
				}
			}
			continue
		}
		m := pending[ready]
		g.move(m.dst, m.src, m.t)
		pending = append(pending[:ready], pending[ready+1:]...)
	}
}

// useG returns a general register holding integer v: its own, or
// scratch loaded from its slot.
func (g *gen) useG(v *ir.Value, scratch amd64.Reg) amd64.Reg {
	l := g.locs[v.ID]
	if l.kind == locGPR {
		return l.gpr()
	}
	g.move(gprLoc(scratch), l, v.Type)
	return scratch
}

// useX is useG for floats.
func (g *gen) useX(v *ir.Value, scratch amd64.VReg) amd64.VReg {
	l := g.locs[v.ID]
	if l.kind == locXMM {
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
	if l.kind != locGPR || (other != nil && g.locs[other.ID].sameReg(l) && !g.locs[v.Args[0].ID].sameReg(l)) {
		return rTmp
	}
	return l.gpr()
}

// dstX is dstG for floats (scratch xTmp).
func (g *gen) dstX(v, other *ir.Value) amd64.VReg {
	l := g.locs[v.ID]
	if l.kind != locXMM || (other != nil && g.locs[other.ID].sameReg(l) && !g.locs[v.Args[0].ID].sameReg(l)) {
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
	switch l.kind {
	case locGPR:
		g.a.RR(op, w, r, l.gpr())
	case locImm:
		g.a.MovImm(amd64.W64, rTmp2, l.imm)
		g.a.RR(op, w, r, rTmp2)
	default:
		g.a.RM(op, w, r, l.mem())
	}
}

// operandX emits op x, v for a float v in a register or slot.
func (g *gen) operandX(op amd64.Op, x amd64.VReg, v *ir.Value) {
	l := g.locs[v.ID]
	if l.kind == locXMM {
		g.a.VV(op, x, l.xmm())
	} else {
		g.a.VM(op, x, l.mem())
	}
}
