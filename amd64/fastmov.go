package amd64

// MovRM is RM(MOV, w, dst, m) and MovMR is MR(MOV, w, m, src), for w W32
// or W64, encoded without the search of the instruction table when m is
// [base + disp]: the loads and stores of stack slots are most of the
// instructions a compiler emits (the baseline compiler's above all).
// The bytes are the same as the table's (TestFastMovMatchesTable).
func (a *Assembler) MovRM(w Width, dst Reg, m Mem) {
	if !a.fastMov(w, dst, m) {
		a.RM(MOV, w, dst, m)
		return
	}
	a.movBase(0x8B, w, dst, m)
}

// MovMR: see MovRM.
func (a *Assembler) MovMR(w Width, m Mem, src Reg) {
	if !a.fastMov(w, src, m) {
		a.MR(MOV, w, m, src)
		return
	}
	a.movBase(0x89, w, src, m)
}

// fastMov reports whether movBase encodes the operands (anything else,
// errors included, goes through the table).
func (a *Assembler) fastMov(w Width, r Reg, m Mem) bool {
	return a.err == nil && !a.done && (w == W32 || w == W64) && r < NumRegs && m.kind == memBase && m.base < NumRegs
}

// movBase emits opc (8B load, 89 store) with ModRM reg = r and rm =
// [m.base + m.disp]: REX when needed, the shortest displacement, a SIB
// byte for an RSP or R12 base, a zero disp8 for RBP or R13.
func (a *Assembler) movBase(opc byte, w Width, r Reg, m Mem) {
	rex := byte(0x40)
	if w == W64 {
		rex |= 0x08
	}
	if r&8 != 0 {
		rex |= 0x04
	}
	if m.base&8 != 0 {
		rex |= 0x01
	}
	if rex != 0x40 {
		a.byte1(rex)
	}
	a.byte1(opc)
	base := byte(m.base) & 7
	var mod byte
	switch {
	case m.disp == 0 && base != 5:
		mod = 0
	case fitsInt8(int64(m.disp)):
		mod = 1
	default:
		mod = 2
	}
	a.byte1(mod<<6 | (byte(r)&7)<<3 | base)
	if base == 4 {
		a.byte1(0x24) // SIB: no index, base RSP/R12
	}
	switch mod {
	case 1:
		a.byte1(byte(int8(m.disp)))
	case 2:
		a.le(uint64(uint32(m.disp)), 4)
	}
}

// aluLoads are the opcodes of op r, r/m for the ALU instructions
// AluRM encodes without the table.
var aluLoads = map[Op]byte{ADD: 0x03, SUB: 0x2B, AND: 0x23, OR: 0x0B, XOR: 0x33, CMP: 0x3B, MOV: 0x8B}

// AluRM is RM(op, w, dst, m), without the table search for ADD, SUB,
// AND, OR, XOR, CMP and MOV at W32 or W64 with m [base + disp].
func (a *Assembler) AluRM(op Op, w Width, dst Reg, m Mem) {
	opc, ok := aluLoads[op]
	if !ok || !a.fastMov(w, dst, m) {
		a.RM(op, w, dst, m)
		return
	}
	a.movBase(opc, w, dst, m)
}

// MovRR is RR(MOV, w, dst, src) for w W32 or W64, without the table.
func (a *Assembler) MovRR(w Width, dst, src Reg) {
	if a.err != nil || a.done || (w != W32 && w != W64) || dst >= NumRegs || src >= NumRegs {
		a.RR(MOV, w, dst, src)
		return
	}
	rex := byte(0x40)
	if w == W64 {
		rex |= 0x08
	}
	if src&8 != 0 {
		rex |= 0x04
	}
	if dst&8 != 0 {
		rex |= 0x01
	}
	if rex != 0x40 {
		a.byte1(rex)
	}
	a.byte1(0x89)
	a.byte1(0xC0 | (byte(src)&7)<<3 | byte(dst)&7)
}
