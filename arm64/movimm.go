package arm64

// MoveOp is a move-wide instruction.
type MoveOp uint8

// Move-wide ops (opc field; 1 is unallocated).
const (
	MOVN MoveOp = 0
	MOVZ MoveOp = 2
	MOVK MoveOp = 3
)

var moveOps = []opRow{MOVN: {"movn", 0}, MOVZ: {"movz", 2 << 29}, MOVK: {"movk", 3 << 29}}

func (op MoveOp) String() string { return opName(moveOps, uint8(op), "move") }

// MoveWide emits op rd, #imm, lsl #shift: MOVZ sets rd to imm<<shift,
// MOVN to its complement, MOVK replaces those 16 bits keeping the rest.
// shift is 0 or 16 at W32, up to 48 at W64.
func (a *Assembler) MoveWide(op MoveOp, w Width, rd Reg, imm uint16, shift uint8) {
	o, ok := a.row(moveOps, uint8(op), "move wide")
	if !ok || !a.width(w, o.name) {
		return
	}
	if shift%16 != 0 || uint(shift) >= w.bits() {
		a.failf("%s: shift %d is not a multiple of 16 below %d", o.name, shift, w)
		return
	}
	a.emit(w.sf() | 0x12800000 | o.bits | uint32(shift/16)<<21 | uint32(imm)<<5 | a.rz(rd, o.name))
}

// MovImm sets rd to v (at W32, to its low 32 bits) with the shortest
// sequence it knows: one MOVZ, MOVN or bitmask ORR when one suffices,
// else MOVZ or MOVN followed by a MOVK per remaining 16-bit piece,
// whichever needs fewer.
func (a *Assembler) MovImm(w Width, rd Reg, v uint64) {
	if w == W32 {
		v &= 0xFFFFFFFF
	}
	for _, in := range movImmSeq(w, v) {
		if in.orr {
			a.LogicImm(ORR, w, rd, ZR, v)
		} else {
			a.MoveWide(in.op, w, rd, in.imm, in.shift)
		}
	}
}

// MovImmLen is the number of instructions MovImm emits for v.
func MovImmLen(w Width, v uint64) int { return len(movImmSeq(w, v)) }

type movStep struct {
	op    MoveOp
	imm   uint16
	shift uint8
	orr   bool
}

func movImmSeq(w Width, v uint64) []movStep {
	pieces := 4
	if w == W32 {
		v &= 0xFFFFFFFF
		pieces = 2
	}
	var zeros, ones int
	for i := 0; i < pieces; i++ {
		switch uint16(v >> (16 * i)) {
		case 0:
			zeros++
		case 0xFFFF:
			ones++
		}
	}
	if zeros < pieces-1 && ones < pieces-1 && LogicalImm(w, v) {
		return []movStep{{orr: true}}
	}
	// MOVZ over the pieces that are not 0, or MOVN over those not 0xFFFF.
	first, skip, inv := MOVZ, uint16(0), uint16(0)
	if ones > zeros {
		first, skip, inv = MOVN, 0xFFFF, 0xFFFF
	}
	var seq []movStep
	for i := 0; i < pieces; i++ {
		p := uint16(v >> (16 * i))
		if p == skip {
			continue
		}
		if len(seq) == 0 {
			seq = append(seq, movStep{op: first, imm: p ^ inv, shift: uint8(16 * i)})
		} else {
			seq = append(seq, movStep{op: MOVK, imm: p, shift: uint8(16 * i)})
		}
	}
	if len(seq) == 0 { // v is 0, or all ones
		seq = append(seq, movStep{op: first})
	}
	return seq
}
