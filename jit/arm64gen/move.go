package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
)

func gpr(l regalloc.Loc) arm64.Reg   { return arm64.Reg(l.Reg) }
func vreg(l regalloc.Loc) arm64.VReg { return arm64.VReg(l.Reg) }

// slot is the memory operand of the 8-byte stack slot at off: SP-relative
// while the offset fits the scaled immediate, else through rFar.
func (g *gen) slot(off int32) arm64.Mem {
	if off >= 0 && off < 8<<12 && off%8 == 0 {
		return arm64.Ptr(arm64.RSP, int64(off))
	}
	g.spOffset(rFar, int64(off))
	return arm64.Ptr(rFar, 0)
}

// move copies a value of type t between any two locations. Slots hold 8
// bytes; floats move as their 64-bit register image (an f32's upper half
// is meaningless), integers as 64 bits (an i32's upper half is zero).
func (g *gen) move(dst, src regalloc.Loc, t ir.Type) {
	if dst == src {
		return
	}
	if t == ir.V128 {
		g.moveV128(dst, src)
		return
	}
	a := g.a
	switch {
	case src.Kind == regalloc.LocImm && dst.Kind == regalloc.LocGPR:
		a.MovImm(arm64.W64, gpr(dst), uint64(src.Imm))
	case src.Kind == regalloc.LocImm && src.Imm == 0 && dst.Kind == regalloc.LocSlot:
		a.LoadStore(arm64.STR, arm64.S64, arm64.ZR, g.slot(dst.Off))
	case src.Kind == regalloc.LocImm:
		a.MovImm(arm64.W64, rTmp, uint64(src.Imm))
		g.move(dst, regalloc.GPR(uint8(rTmp)), t)
	case dst.Kind == regalloc.LocGPR && src.Kind == regalloc.LocGPR:
		a.Mov(arm64.W64, gpr(dst), gpr(src))
	case dst.Kind == regalloc.LocGPR && src.Kind == regalloc.LocSlot:
		a.LoadStore(arm64.LDR, arm64.S64, gpr(dst), g.slot(src.Off))
	case dst.Kind == regalloc.LocGPR && src.Kind == regalloc.LocVec:
		a.FmovToGP(arm64.W64, gpr(dst), vreg(src))
	case dst.Kind == regalloc.LocVec && src.Kind == regalloc.LocVec:
		// The whole register, whatever t: a parallel move's cycle is
		// broken by saving a register with the type of the move into it,
		// which may be a float while a v128 is read from it.
		a.Vec3(arm64.VORR, arm64.B16, vreg(dst), vreg(src), vreg(src))
	case dst.Kind == regalloc.LocVec && src.Kind == regalloc.LocSlot:
		a.FLoadStore(arm64.LDR, arm64.S64, vreg(dst), g.slot(src.Off))
	case dst.Kind == regalloc.LocVec && src.Kind == regalloc.LocGPR:
		a.FmovFromGP(arm64.W64, vreg(dst), gpr(src))
	case dst.Kind == regalloc.LocSlot && src.Kind == regalloc.LocGPR:
		a.LoadStore(arm64.STR, arm64.S64, gpr(src), g.slot(dst.Off))
	case dst.Kind == regalloc.LocSlot && src.Kind == regalloc.LocVec:
		a.FLoadStore(arm64.STR, arm64.S64, vreg(src), g.slot(dst.Off))
	case dst.Kind == regalloc.LocSlot && src.Kind == regalloc.LocSlot:
		a.LoadStore(arm64.LDR, arm64.S64, rTmp, g.slot(src.Off))
		a.LoadStore(arm64.STR, arm64.S64, rTmp, g.slot(dst.Off))
	}
}

// useG returns a general register holding integer v: its own, or
// scratch loaded from its slot or immediate.
func (g *gen) useG(v *ir.Value, scratch arm64.Reg) arm64.Reg {
	l := g.locs[v.ID]
	if l.Kind == regalloc.LocGPR {
		return gpr(l)
	}
	g.move(regalloc.GPR(uint8(scratch)), l, v.Type)
	return scratch
}

// useX is useG for floats.
func (g *gen) useX(v *ir.Value, scratch arm64.VReg) arm64.VReg {
	l := g.locs[v.ID]
	if l.Kind == regalloc.LocVec {
		return vreg(l)
	}
	g.move(regalloc.Vec(uint8(scratch)), l, v.Type)
	return scratch
}

// dstG is the register to compute integer v in: its own, or rTmp.
// Operands never share it, except the first one of a hand-off
// (reusesFirst), which its instruction reads before writing.
func (g *gen) dstG(v *ir.Value) arm64.Reg {
	if l := g.locs[v.ID]; l.Kind == regalloc.LocGPR {
		return gpr(l)
	}
	return rTmp
}

// dstX is dstG for floats (scratch vTmp).
func (g *gen) dstX(v *ir.Value) arm64.VReg {
	if l := g.locs[v.ID]; l.Kind == regalloc.LocVec {
		return vreg(l)
	}
	return vTmp
}

// defG stores integer v, computed in r, to its location.
func (g *gen) defG(v *ir.Value, r arm64.Reg) { g.move(g.locs[v.ID], regalloc.GPR(uint8(r)), v.Type) }

// defX stores float v, computed in x, to its location.
func (g *gen) defX(v *ir.Value, x arm64.VReg) { g.move(g.locs[v.ID], regalloc.Vec(uint8(x)), v.Type) }

// addConst sets d = s + c (64-bit), through rFar for a c no immediate
// holds.
func (g *gen) addConst(d, s arm64.Reg, c uint64) {
	a := g.a
	switch {
	case c == 0:
		if d != s {
			a.Mov(arm64.W64, d, s)
		}
	case c < 1<<24 && (c < 1<<12 || c&0xFFF == 0):
		a.AddImm(arm64.ADD, arm64.W64, d, s, uint32(c))
	default:
		a.MovImm(arm64.W64, rFar, c)
		a.AddReg(arm64.ADD, arm64.W64, d, s, rFar, arm64.LSL, 0)
	}
}
