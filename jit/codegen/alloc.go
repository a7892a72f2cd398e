package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
)

// Registers the allocator hands out. RAX, RCX and R11 are scratch
// (results in flight, shift counts, addresses), R14 and R15 are pinned
// (memory base, Ctx), RSP and RBP are not touched; X14 and X15 are vector
// scratch. RDX is handed out too, but not to a value live at an
// instruction that uses it as scratch (usesRDX).
var allocConfig = regalloc.Config{
	GPRs: []uint8{uint8(amd64.RDX), uint8(amd64.RBX), uint8(amd64.RSI), uint8(amd64.RDI), uint8(amd64.R8),
		uint8(amd64.R9), uint8(amd64.R10), uint8(amd64.R12), uint8(amd64.R13)},
	Vecs: []uint8{uint8(amd64.X0), uint8(amd64.X1), uint8(amd64.X2), uint8(amd64.X3), uint8(amd64.X4),
		uint8(amd64.X5), uint8(amd64.X6), uint8(amd64.X7), uint8(amd64.X8), uint8(amd64.X9), uint8(amd64.X10),
		uint8(amd64.X11), uint8(amd64.X12), uint8(amd64.X13)},
	Remat:       rematerialised,
	ReusesFirst: reusesFirst,
}

// loc is where a value lives for its whole lifetime (regalloc.Loc, with
// amd64's views of it).
type loc regalloc.Loc

const (
	locNone = regalloc.LocNone
	locGPR  = regalloc.LocGPR
	locXMM  = regalloc.LocVec
	locSlot = regalloc.LocSlot // [RSP + off]
	locImm  = regalloc.LocImm  // an integer constant, rematerialised at every use
)

func gprLoc(r amd64.Reg) loc     { return loc(regalloc.GPR(uint8(r))) }
func xmmLoc(r amd64.VReg) loc    { return loc(regalloc.Vec(uint8(r))) }
func slotLoc(off int32) loc      { return loc(regalloc.Slot(off)) }
func (l loc) gpr() amd64.Reg     { return amd64.Reg(l.Reg) }
func (l loc) xmm() amd64.VReg    { return amd64.VReg(l.Reg) }
func (l loc) isReg() bool        { return regalloc.Loc(l).IsReg() }
func (l loc) mem() amd64.Mem     { return amd64.Ptr(amd64.RSP, l.Off) }
func isFloat(t ir.Type) bool     { return t == ir.F32 || t == ir.F64 }
func (l loc) sameReg(m loc) bool { return l.isReg() && l == m }

// intervals numbers the program points and builds every value's
// interval, none holding RDX across an instruction that writes it.
func intervals(f *ir.Func, cfg *ir.CFG) (*regalloc.Layout, []regalloc.Interval) {
	return regalloc.Intervals(f, cfg, rdxClobber)
}

func rdxClobber(v *ir.Value) uint64 {
	if usesRDX(v) {
		return 1 << amd64.RDX
	}
	return 0
}

// usesRDX reports whether v's lowering writes RDX: division (CQO, DIV)
// and the inline memory.fill and memory.copy.
func usesRDX(v *ir.Value) bool {
	switch v.Op {
	case ir.OpDivS, ir.OpDivU, ir.OpRemS, ir.OpRemU, ir.OpMemoryFill, ir.OpMemoryCopy:
		return true
	}
	return false
}

// reusesFirst reports whether v's lowering computes in place over a
// copy of its first operand (op d, y after d = x) and reads nothing
// after writing d: then v may take x's register when x's interval ends
// at v, and the copy disappears.
func reusesFirst(v *ir.Value) bool { return v.Op < ir.NumOps && firstReusing[v.Op] }

// rematerialised reports whether v is an integer constant that gets no
// register or slot: every use takes it as an immediate or loads it where
// needed. Its 64-bit image must be a sign-extended 32-bit immediate in
// 64-bit instructions; an i32 is used by 32-bit instructions only.
func rematerialised(v *ir.Value) bool {
	return v.Op == ir.OpConst && (v.Type == ir.I32 || v.Type == ir.I64 && v.Aux >= -1<<31 && v.Aux < 1<<31)
}
