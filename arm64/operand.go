package arm64

// Operand checks. An instruction's register slot encodes number 31 either
// as the zero register or as the stack pointer; rz and rsp accept the one
// their slot means and record an error for the other.

func (a *Assembler) rz(r Reg, op string) uint32 {
	switch {
	case r <= R30:
		return uint32(r)
	case r == ZR:
		return 31
	case r == RSP:
		a.failf("%s: sp cannot be used in this operand (only the zero register)", op)
	default:
		a.failf("%s: invalid register %d", op, uint8(r))
	}
	return 0
}

func (a *Assembler) rsp(r Reg, op string) uint32 {
	switch {
	case r <= R30:
		return uint32(r)
	case r == RSP:
		return 31
	case r == ZR:
		a.failf("%s: the zero register cannot be used in this operand (only sp)", op)
	default:
		a.failf("%s: invalid register %d", op, uint8(r))
	}
	return 0
}

// rdFlags is the destination slot of an instruction that may set flags:
// the flag-setting form encodes 31 as the zero register, the others as sp.
func (a *Assembler) rdFlags(r Reg, setsFlags bool, op string) uint32 {
	if setsFlags {
		return a.rz(r, op)
	}
	return a.rsp(r, op)
}

func (a *Assembler) vr(v VReg, op string) uint32 {
	if v > V31 {
		a.failf("%s: invalid vector register %d", op, uint8(v))
		return 0
	}
	return uint32(v)
}

func (a *Assembler) width(w Width, op string) bool {
	if w != W32 && w != W64 {
		a.failf("%s: invalid width %d", op, uint8(w))
		return false
	}
	return true
}

// opRow is one instruction of a family sharing an encoding: its mnemonic
// and the bits that distinguish it.
type opRow struct {
	name string
	bits uint32
}

// row returns tab[i], recording an error for an op outside the family.
func (a *Assembler) row(tab []opRow, i uint8, family string) (opRow, bool) {
	if int(i) >= len(tab) || tab[i].name == "" {
		a.failf("%s: invalid op %d", family, i)
		return opRow{}, false
	}
	return tab[i], true
}

func opName(tab []opRow, i uint8, family string) string {
	if int(i) < len(tab) && tab[i].name != "" {
		return tab[i].name
	}
	return family + "(?)"
}
