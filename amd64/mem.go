package amd64

import "fmt"

type memKind uint8

const (
	memInvalid   memKind = iota
	memBase              // [base + disp]
	memBaseIndex         // [base + index*scale + disp]
	memIndex             // [index*scale + disp32], no base
	memRIP               // [rip + disp32]
	memLabel             // [rip + label + disp32], resolved at Finish
)

// Mem is a memory operand. Build it with Ptr, Indexed, IndexOnly, RIPRel or
// LabelRef; the zero Mem is invalid and rejected by the assembler.
//
// The encoder chooses the shortest displacement and handles the ModRM
// special cases itself: RSP/R12 as a base need a SIB byte, RBP/R13 as a
// base need a displacement even when it is zero, and RSP cannot be an
// index (rejected with an error).
type Mem struct {
	kind  memKind
	base  Reg
	index Reg
	scale uint8
	disp  int32
	label Label
}

// Ptr is [base + disp].
func Ptr(base Reg, disp int32) Mem { return Mem{kind: memBase, base: base, disp: disp} }

// Indexed is [base + index*scale + disp]; scale is 1, 2, 4 or 8.
func Indexed(base, index Reg, scale uint8, disp int32) Mem {
	return Mem{kind: memBaseIndex, base: base, index: index, scale: scale, disp: disp}
}

// IndexOnly is [index*scale + disp32], with no base register.
func IndexOnly(index Reg, scale uint8, disp int32) Mem {
	return Mem{kind: memIndex, index: index, scale: scale, disp: disp}
}

// RIPRel is [rip + disp], relative to the end of the instruction.
func RIPRel(disp int32) Mem { return Mem{kind: memRIP, disp: disp} }

// LabelRef is the address of label l plus disp, encoded RIP-relative.
func LabelRef(l Label, disp int32) Mem { return Mem{kind: memLabel, label: l, disp: disp} }

// WithDisp returns m with its displacement increased by d.
func (m Mem) WithDisp(d int32) Mem { m.disp += d; return m }

func (m Mem) check() error {
	switch m.kind {
	case memInvalid:
		return fmt.Errorf("amd64: zero Mem operand (use Ptr, Indexed, IndexOnly, RIPRel or LabelRef)")
	case memBaseIndex, memIndex:
		if m.index == RSP {
			return fmt.Errorf("amd64: rsp cannot be an index register")
		}
		if m.index >= NumRegs {
			return fmt.Errorf("amd64: bad index register %d", m.index)
		}
		switch m.scale {
		case 1, 2, 4, 8:
		default:
			return fmt.Errorf("amd64: scale %d is not 1, 2, 4 or 8", m.scale)
		}
	}
	if (m.kind == memBase || m.kind == memBaseIndex) && m.base >= NumRegs {
		return fmt.Errorf("amd64: bad base register %d", m.base)
	}
	return nil
}

func (m Mem) String() string {
	switch m.kind {
	case memBase:
		return fmt.Sprintf("[%v%+d]", m.base, m.disp)
	case memBaseIndex:
		return fmt.Sprintf("[%v+%v*%d%+d]", m.base, m.index, m.scale, m.disp)
	case memIndex:
		return fmt.Sprintf("[%v*%d%+d]", m.index, m.scale, m.disp)
	case memRIP:
		return fmt.Sprintf("[rip%+d]", m.disp)
	case memLabel:
		return fmt.Sprintf("[L%d%+d]", m.label.id, m.disp)
	}
	return "[invalid]"
}
