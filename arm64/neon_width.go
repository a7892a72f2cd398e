package arm64

// NEON instructions whose destination lanes differ in width from their
// sources (widening, narrowing, long multiplies, f32<->f64), and the lane
// permutes. The arrangement given is the narrow side's; its Q bit selects
// the "2" form that reads or writes the upper half.

// WidenOp is a widening shift: every lane of the source half, extended to
// twice its width and shifted left.
type WidenOp uint8

// Widening shifts; shift 0 is SXTL/UXTL (how arm64asm prints it).
const (
	SSHLL WidenOp = iota
	USHLL
)

var widenOps = []opRow{SSHLL: {"sshll", 0}, USHLL: {"ushll", vU}}

// Widen emits op rd, rn.src, #shift: src is B8..S4 (B16, H8, S4 read the
// upper half: sshll2/ushll2), shift below the source lane width.
func (a *Assembler) Widen(op WidenOp, src Arrangement, rd, rn VReg, shift uint8) {
	o, ok := a.row(widenOps, uint8(op), "widening shift")
	if !ok {
		return
	}
	es := uint32(8) << src.size()
	if src > S4 || uint32(shift) >= es {
		a.failf("%s: arrangement %v with shift %d not allowed", o.name, src, shift)
		return
	}
	a.emit(0x0F00A400 | src.q() | o.bits | (es+uint32(shift))<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
}

// NarrowOp halves the width of every lane.
type NarrowOp uint8

// Narrowing ops: XTN truncates, SQXTN and UQXTN saturate signed and
// unsigned, SQXTUN saturates signed input to unsigned.
const (
	XTN NarrowOp = iota
	SQXTN
	UQXTN
	SQXTUN
)

var narrowOps = []opRow{
	XTN: {"xtn", op5m(0x12)}, SQXTN: {"sqxtn", op5m(0x14)},
	UQXTN: {"uqxtn", vU | op5m(0x14)}, SQXTUN: {"sqxtun", vU | op5m(0x12)},
}

// Narrow emits op rd.dst, rn: dst is B8..S4 (B16, H8, S4 write the upper
// half and keep the lower: xtn2 and so on).
func (a *Assembler) Narrow(op NarrowOp, dst Arrangement, rd, rn VReg) {
	o, ok := a.row(narrowOps, uint8(op), "narrowing")
	if !ok {
		return
	}
	if dst > S4 {
		a.failf("%s: arrangement %v not allowed", o.name, dst)
		return
	}
	a.emit(0x0E200800 | dst.q() | dst.size()<<22 | o.bits | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
}

// MulLongOp multiplies lanes into products twice as wide.
type MulLongOp uint8

// Long multiplies.
const (
	SMULL MulLongOp = iota
	UMULL
)

var mulLongOps = []opRow{SMULL: {"smull", 0}, UMULL: {"umull", vU}}

// MulLong emits op rd, rn.src, rm.src: src is B8..S4 (the Q forms multiply
// the upper halves: smull2/umull2).
func (a *Assembler) MulLong(op MulLongOp, src Arrangement, rd, rn, rm VReg) {
	o, ok := a.row(mulLongOps, uint8(op), "long multiply")
	if !ok {
		return
	}
	if src > S4 {
		a.failf("%s: arrangement %v not allowed", o.name, src)
		return
	}
	a.emit(0x0E20C000 | src.q() | o.bits | src.size()<<22 | a.vr(rm, o.name)<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
}

// Fcvtl widens the two singles of rn (S2: the lower half, S4: the upper,
// fcvtl2) to the doubles of rd.
func (a *Assembler) Fcvtl(src Arrangement, rd, rn VReg) {
	if src != S2 && src != S4 {
		a.failf("fcvtl: arrangement %v not allowed (2s, 4s)", src)
		return
	}
	a.emit(0x0E617800 | src.q() | a.vr(rn, "fcvtl")<<5 | a.vr(rd, "fcvtl"))
}

// Fcvtn narrows the two doubles of rn to singles in rd (S2: the lower
// half, zeroing the upper; S4: the upper, fcvtn2).
func (a *Assembler) Fcvtn(dst Arrangement, rd, rn VReg) {
	if dst != S2 && dst != S4 {
		a.failf("fcvtn: arrangement %v not allowed (2s, 4s)", dst)
		return
	}
	a.emit(0x0E616800 | dst.q() | a.vr(rn, "fcvtn")<<5 | a.vr(rd, "fcvtn"))
}

// PermOp is a lane permute.
type PermOp uint8

// Permutes: UZP takes the even (1) or odd (2) lanes of the pair rn:rm,
// TRN the even or odd lanes interleaved, ZIP interleaves the lower (1) or
// upper (2) halves.
const (
	UZP1 PermOp = iota
	TRN1
	ZIP1
	UZP2
	TRN2
	ZIP2
)

var permOps = []opRow{
	UZP1: {"uzp1", 1 << 12}, TRN1: {"trn1", 2 << 12}, ZIP1: {"zip1", 3 << 12},
	UZP2: {"uzp2", 5 << 12}, TRN2: {"trn2", 6 << 12}, ZIP2: {"zip2", 7 << 12},
}

// Permute emits op rd.r, rn.r, rm.r.
func (a *Assembler) Permute(op PermOp, r Arrangement, rd, rn, rm VReg) {
	o, ok := a.row(permOps, uint8(op), "permute")
	if !ok {
		return
	}
	if sz, ok := a.lanes(o.name, vInt64, r); ok {
		a.emit(0x0E000800 | sz | o.bits | a.vr(rm, o.name)<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}
