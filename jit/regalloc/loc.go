package regalloc

import "github.com/kilnrt/kiln/jit/ir"

// LocKind says where a value lives.
type LocKind uint8

const (
	LocNone LocKind = iota
	LocGPR          // a general register
	LocVec          // a vector (float) register
	LocSlot         // a stack slot: Off from the stack pointer
	LocImm          // an integer constant, rematerialised at every use
)

// Loc is where a value lives for its whole lifetime.
type Loc struct {
	Kind LocKind
	Reg  uint8 // LocGPR, LocVec: the ISA's register number
	Off  int32 // LocSlot: offset from the stack pointer
	Imm  int64 // LocImm: the value's 64-bit image
}

func GPR(r uint8) Loc            { return Loc{Kind: LocGPR, Reg: r} }
func Vec(r uint8) Loc            { return Loc{Kind: LocVec, Reg: r} }
func Slot(off int32) Loc         { return Loc{Kind: LocSlot, Off: off} }
func Imm(bits int64) Loc         { return Loc{Kind: LocImm, Imm: bits} }
func (l Loc) IsReg() bool        { return l.Kind == LocGPR || l.Kind == LocVec }
func (l Loc) SameReg(m Loc) bool { return l.IsReg() && l == m }

// IsVec reports whether a value of type t lives in a vector register.
func IsVec(t ir.Type) bool { return t == ir.F32 || t == ir.F64 || t == ir.V128 }

// VecSlot takes a 16-byte slot aligned to 16 from newSlot's 8-byte ones.
func VecSlot(newSlot func() int32) int32 {
	off := newSlot()
	if off%16 != 0 {
		off = newSlot()
	}
	newSlot()
	return off
}
