package arm64

import "fmt"

// Advanced SIMD (NEON): the lane operations a WebAssembly JIT needs for
// v128, on full or half vectors.

// Arrangement is the lane shape of a vector operand: element size and
// count, the size and Q fields.
type Arrangement uint8

// Arrangements: size<<1 | Q.
const (
	B8  Arrangement = iota // 8 bytes (64-bit vector)
	B16                    // 16 bytes
	H4
	H8
	S2
	S4
	D1
	D2
)

var arrNames = [8]string{"8b", "16b", "4h", "8h", "2s", "4s", "1d", "2d"}

func (r Arrangement) String() string {
	if r < 8 {
		return arrNames[r]
	}
	return fmt.Sprintf("arrangement(%d)", uint8(r))
}

func (r Arrangement) q() uint32    { return uint32(r&1) << 30 }
func (r Arrangement) size() uint32 { return uint32(r >> 1) }

// vecKind says which arrangements a vector instruction accepts and how its
// size field is formed.
type vecKind uint8

const (
	vInt    vecKind = iota // 8B-4S
	vInt64                 // 8B-4S and 2D
	vBytes                 // 8B, 16B; the size field is part of the op
	vFloat                 // 2S, 4S, 2D; size<0> is sz, size<1> part of the op
	vAcross                // 8B-8H and 4S (reductions)
	vHS                    // 4H-4S (saturating doubling multiplies)
)

type vecRow struct {
	name string
	bits uint32 // U, opcode and fixed size bits
	kind vecKind
}

// lanes returns the size-field bits of arrangement r for an instruction of
// kind k, or false when it does not accept r.
func (a *Assembler) lanes(name string, k vecKind, r Arrangement) (uint32, bool) {
	ok := false
	switch k {
	case vInt:
		ok = r <= S4
	case vInt64:
		ok = r <= S4 || r == D2
	case vBytes:
		ok = r <= B16
		if ok {
			return r.q(), true
		}
	case vFloat:
		ok = r == S2 || r == S4 || r == D2
		if ok {
			return r.q() | (r.size()&1)<<22, true
		}
	case vAcross:
		ok = r <= H8 || r == S4
	case vHS:
		ok = r >= H4 && r <= S4
	}
	if !ok {
		a.failf("%s: arrangement %v not allowed", name, r)
		return 0, false
	}
	return r.q() | r.size()<<22, true
}

// VecOp is a NEON three-register, same-type instruction.
type VecOp uint8

// Three-same ops. CMxx set lanes to all ones when the comparison holds
// (GT/GE signed, HI/HS unsigned); BSL/BIT/BIF are bitwise selects;
// SQRDMULH is the rounding, saturating Q15/Q31 multiply.
const (
	VADD VecOp = iota
	VSUB
	VMUL
	VCMEQ
	VCMGT
	VCMGE
	VCMHI
	VCMHS
	VSMAX
	VSMIN
	VUMAX
	VUMIN
	VSQADD
	VUQADD
	VSQSUB
	VUQSUB
	VURHADD
	VSSHL
	VUSHL
	VADDP
	VAND
	VBIC
	VORR
	VORN
	VEOR
	VBSL
	VBIT
	VBIF
	VFADD
	VFSUB
	VFMUL
	VFDIV
	VFMAX
	VFMIN
	VFMAXNM
	VFMINNM
	VFCMEQ
	VFCMGE
	VFCMGT
	VFADDP
	VSQRDMULH
)

const vU = 1 << 29

func op5(o uint32) uint32 { return o << 11 }

var vecOps = []vecRow{
	VADD: {"add", op5(0x10), vInt64}, VSUB: {"sub", vU | op5(0x10), vInt64}, VMUL: {"mul", op5(0x13), vInt},
	VCMEQ: {"cmeq", vU | op5(0x11), vInt64}, VCMGT: {"cmgt", op5(0x06), vInt64}, VCMGE: {"cmge", op5(0x07), vInt64},
	VCMHI: {"cmhi", vU | op5(0x06), vInt64}, VCMHS: {"cmhs", vU | op5(0x07), vInt64},
	VSMAX: {"smax", op5(0x0C), vInt}, VSMIN: {"smin", op5(0x0D), vInt},
	VUMAX: {"umax", vU | op5(0x0C), vInt}, VUMIN: {"umin", vU | op5(0x0D), vInt},
	VSQADD: {"sqadd", op5(0x01), vInt64}, VUQADD: {"uqadd", vU | op5(0x01), vInt64},
	VSQSUB: {"sqsub", op5(0x05), vInt64}, VUQSUB: {"uqsub", vU | op5(0x05), vInt64},
	VURHADD: {"urhadd", vU | op5(0x02), vInt},
	VSSHL:   {"sshl", op5(0x08), vInt64}, VUSHL: {"ushl", vU | op5(0x08), vInt64},
	VADDP: {"addp", op5(0x17), vInt64},
	VAND:  {"and", op5(0x03), vBytes}, VBIC: {"bic", 1<<22 | op5(0x03), vBytes},
	VORR: {"orr", 2<<22 | op5(0x03), vBytes}, VORN: {"orn", 3<<22 | op5(0x03), vBytes},
	VEOR: {"eor", vU | op5(0x03), vBytes}, VBSL: {"bsl", vU | 1<<22 | op5(0x03), vBytes},
	VBIT: {"bit", vU | 2<<22 | op5(0x03), vBytes}, VBIF: {"bif", vU | 3<<22 | op5(0x03), vBytes},
	VFADD: {"fadd", op5(0x1A), vFloat}, VFSUB: {"fsub", 1<<23 | op5(0x1A), vFloat},
	VFMUL: {"fmul", vU | op5(0x1B), vFloat}, VFDIV: {"fdiv", vU | op5(0x1F), vFloat},
	VFMAX: {"fmax", op5(0x1E), vFloat}, VFMIN: {"fmin", 1<<23 | op5(0x1E), vFloat},
	VFMAXNM: {"fmaxnm", op5(0x18), vFloat}, VFMINNM: {"fminnm", 1<<23 | op5(0x18), vFloat},
	VFCMEQ: {"fcmeq", op5(0x1C), vFloat}, VFCMGE: {"fcmge", vU | op5(0x1C), vFloat},
	VFCMGT: {"fcmgt", vU | 1<<23 | op5(0x1C), vFloat}, VFADDP: {"faddp", vU | op5(0x1A), vFloat},
	VSQRDMULH: {"sqrdmulh", vU | op5(0x16), vHS},
}

func (op VecOp) String() string {
	if int(op) < len(vecOps) {
		return vecOps[op].name
	}
	return "vec(?)"
}

// Vec3 emits op rd.r, rn.r, rm.r.
func (a *Assembler) Vec3(op VecOp, r Arrangement, rd, rn, rm VReg) {
	if int(op) >= len(vecOps) {
		a.failf("vector three-same: invalid op %d", op)
		return
	}
	o := vecOps[op]
	if sz, ok := a.lanes(o.name, o.kind, r); ok {
		a.emit(0x0E200400 | sz | o.bits | a.vr(rm, o.name)<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// Vec2Op is a NEON two-register miscellaneous or across-lanes instruction.
type Vec2Op uint8

// Two-register ops. VNOT is printed mvn; VCNT counts bits per byte;
// VSADDLP and VUADDLP add adjacent lane pairs into lanes twice as wide
// (the arrangement is the source's);
// VADDV, VSMAXV, VUMAXV, VSMINV and VUMINV reduce across lanes into a
// scalar (use Vec2 with the source's arrangement).
const (
	VCNT Vec2Op = iota
	VNOT
	VNEG
	VABS
	VREV64
	VCMEQZ
	VFABS
	VFNEG
	VFSQRT
	VFRINTN
	VFRINTM
	VFRINTP
	VFRINTZ
	VFCVTZS
	VFCVTZU
	VSCVTF
	VUCVTF
	VSADDLP
	VUADDLP
	VADDV
	VSMAXV
	VUMAXV
	VSMINV
	VUMINV
)

func op5m(o uint32) uint32 { return o << 12 }

const across = 1 << 20 // bits 21:17 = 11000 instead of 10000

var vec2Ops = []vecRow{
	VCNT: {"cnt", op5m(0x05), vBytes}, VNOT: {"mvn", vU | op5m(0x05), vBytes},
	VNEG: {"neg", vU | op5m(0x0B), vInt64}, VABS: {"abs", op5m(0x0B), vInt64},
	VREV64: {"rev64", op5m(0x00), vInt}, VCMEQZ: {"cmeq", op5m(0x09), vInt64},
	VFABS: {"fabs", 1<<23 | op5m(0x0F), vFloat}, VFNEG: {"fneg", vU | 1<<23 | op5m(0x0F), vFloat},
	VFSQRT:  {"fsqrt", vU | 1<<23 | op5m(0x1F), vFloat},
	VFRINTN: {"frintn", op5m(0x18), vFloat}, VFRINTM: {"frintm", op5m(0x19), vFloat},
	VFRINTP: {"frintp", 1<<23 | op5m(0x18), vFloat}, VFRINTZ: {"frintz", 1<<23 | op5m(0x19), vFloat},
	VFCVTZS: {"fcvtzs", 1<<23 | op5m(0x1B), vFloat}, VFCVTZU: {"fcvtzu", vU | 1<<23 | op5m(0x1B), vFloat},
	VSCVTF: {"scvtf", op5m(0x1D), vFloat}, VUCVTF: {"ucvtf", vU | op5m(0x1D), vFloat},
	VSADDLP: {"saddlp", op5m(0x02), vInt}, VUADDLP: {"uaddlp", vU | op5m(0x02), vInt},
	VADDV: {"addv", across | op5m(0x1B), vAcross}, VSMAXV: {"smaxv", across | op5m(0x0A), vAcross},
	VUMAXV: {"umaxv", vU | across | op5m(0x0A), vAcross}, VSMINV: {"sminv", across | op5m(0x1A), vAcross},
	VUMINV: {"uminv", vU | across | op5m(0x1A), vAcross},
}

func (op Vec2Op) String() string {
	if int(op) < len(vec2Ops) {
		return vec2Ops[op].name
	}
	return "vec2(?)"
}

// Vec2 emits op rd, rn.r (rd.r for the element-wise ops; a scalar of the
// element size for the across-lanes reductions).
func (a *Assembler) Vec2(op Vec2Op, r Arrangement, rd, rn VReg) {
	if int(op) >= len(vec2Ops) {
		a.failf("vector two-register: invalid op %d", op)
		return
	}
	o := vec2Ops[op]
	if sz, ok := a.lanes(o.name, o.kind, r); ok {
		a.emit(0x0E200800 | sz | o.bits | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
	}
}

// elemIndex encodes lane index i of elements of size es (0-3) as imm5,
// failing when i is beyond the vector.
func (a *Assembler) elemIndex(name string, es Size, i uint8) (uint32, bool) {
	if es > S64 || uint(i) >= 16>>es {
		a.failf("%s: lane %d of %d-byte elements out of range", name, i, es.Bytes())
		return 0, false
	}
	return (uint32(i)<<(es+1) | 1<<es) << 16, true
}

// DupElem emits dup rd.r, rn.<es>[i]: every lane of rd set to lane i of rn.
func (a *Assembler) DupElem(r Arrangement, rd, rn VReg, i uint8) {
	if r == D1 {
		a.failf("dup: arrangement 1d not allowed")
		return
	}
	if imm, ok := a.elemIndex("dup", Size(r>>1), i); ok {
		a.emit(0x0E000400 | r.q() | imm | a.vr(rn, "dup")<<5 | a.vr(rd, "dup"))
	}
}

// DupGP emits dup rd.r, rn: every lane set to the general register (W for
// lanes up to 32 bits, X for 64).
func (a *Assembler) DupGP(r Arrangement, rd VReg, rn Reg) {
	if r == D1 {
		a.failf("dup: arrangement 1d not allowed")
		return
	}
	if imm, ok := a.elemIndex("dup", Size(r>>1), 0); ok {
		a.emit(0x0E000C00 | r.q() | imm | a.rz(rn, "dup")<<5 | a.vr(rd, "dup"))
	}
}

// InsGP emits ins rd.<es>[i], rn (printed mov): lane i set from a general
// register.
func (a *Assembler) InsGP(es Size, rd VReg, i uint8, rn Reg) {
	if imm, ok := a.elemIndex("ins", es, i); ok {
		a.emit(0x4E001C00 | imm | a.rz(rn, "ins")<<5 | a.vr(rd, "ins"))
	}
}

// InsElem emits ins rd.<es>[i], rn.<es>[j] (printed mov).
func (a *Assembler) InsElem(es Size, rd VReg, i uint8, rn VReg, j uint8) {
	imm, ok := a.elemIndex("ins", es, i)
	if !ok {
		return
	}
	if _, ok := a.elemIndex("ins", es, j); ok {
		a.emit(0x6E000400 | imm | uint32(j)<<es<<11 | a.vr(rn, "ins")<<5 | a.vr(rd, "ins"))
	}
}

// Umov moves lane i of rn, zero-extended, to rd: a W register for lanes up
// to 32 bits, X for 64.
func (a *Assembler) Umov(es Size, rd Reg, rn VReg, i uint8) {
	imm, ok := a.elemIndex("umov", es, i)
	if ok {
		var q uint32
		if es == S64 {
			q = 1 << 30
		}
		a.emit(0x0E003C00 | q | imm | a.vr(rn, "umov")<<5 | a.rz(rd, "umov"))
	}
}

// Smov moves lane i of rn (8, 16 or 32 bits), sign-extended, to rd of
// width w (W64 for 32-bit lanes).
func (a *Assembler) Smov(es Size, w Width, rd Reg, rn VReg, i uint8) {
	if !a.width(w, "smov") {
		return
	}
	if es > S32 || (es == S32 && w != W64) {
		a.failf("smov: %d-byte lanes into %d bits not allowed", es.Bytes(), w)
		return
	}
	if imm, ok := a.elemIndex("smov", es, i); ok {
		a.emit(0x0E002C00 | w.sf()>>1 | imm | a.vr(rn, "smov")<<5 | a.rz(rd, "smov"))
	}
}

// Ld1 loads one whole register: ld1 {rt.r}, [rn], post-incrementing rn by
// the register's size when post is set.
func (a *Assembler) Ld1(r Arrangement, rt VReg, rn Reg, post bool) {
	a.ldst1(0x0C407000, r, rt, rn, post)
}

// St1 stores one whole register: st1 {rt.r}, [rn], as Ld1.
func (a *Assembler) St1(r Arrangement, rt VReg, rn Reg, post bool) {
	a.ldst1(0x0C007000, r, rt, rn, post)
}

func (a *Assembler) ldst1(bits uint32, r Arrangement, rt VReg, rn Reg, post bool) {
	if r > D2 {
		a.failf("ld1/st1: invalid arrangement %d", r)
		return
	}
	if post {
		bits |= 1<<23 | 31<<16 // post-index by the immediate size
	}
	a.emit(bits | r.q() | r.size()<<10 | a.rsp(rn, "ld1/st1")<<5 | a.vr(rt, "ld1/st1"))
}

// Tbl emits tbl rd.r, {rn.16b ... rn+n-1.16b}, rm.r: a byte lookup in a
// table of n (1-4) consecutive registers; out-of-range indices give 0. r
// is B8 or B16.
func (a *Assembler) Tbl(r Arrangement, rd VReg, rn VReg, n int, rm VReg) {
	if r > B16 || n < 1 || n > 4 {
		a.failf("tbl: arrangement %v with %d table registers not allowed", r, n)
		return
	}
	a.emit(0x0E000000 | r.q() | a.vr(rm, "tbl")<<16 | uint32(n-1)<<13 | a.vr(rn, "tbl")<<5 | a.vr(rd, "tbl"))
}

// Ext emits ext rd.r, rn.r, rm.r, #i: bytes i onwards of the pair rm:rn.
func (a *Assembler) Ext(r Arrangement, rd, rn, rm VReg, i uint8) {
	if r > B16 || uint(i) >= 8<<(r&1) {
		a.failf("ext: arrangement %v with index %d not allowed", r, i)
		return
	}
	a.emit(0x2E000000 | r.q() | a.vr(rm, "ext")<<16 | uint32(i)<<11 | a.vr(rn, "ext")<<5 | a.vr(rd, "ext"))
}

// VecShiftOp is a NEON shift by an immediate.
type VecShiftOp uint8

// Shift-by-immediate ops.
const (
	VSHL VecShiftOp = iota
	VSSHR
	VUSHR
)

var vecShiftOps = []opRow{VSHL: {"shl", 0x0A << 11}, VSSHR: {"sshr", 0}, VUSHR: {"ushr", vU}}

// VecShift emits op rd.r, rn.r, #amount: SHL by 0 to esize-1, SSHR and
// USHR by 1 to esize.
func (a *Assembler) VecShift(op VecShiftOp, r Arrangement, rd, rn VReg, amount uint8) {
	o, ok := a.row(vecShiftOps, uint8(op), "vector shift")
	if !ok {
		return
	}
	if r == D1 || r > D2 {
		a.failf("%s: arrangement %v not allowed", o.name, r)
		return
	}
	es := uint32(8) << r.size()
	var imm uint32
	switch {
	case op == VSHL && uint32(amount) < es:
		imm = es + uint32(amount)
	case op != VSHL && amount >= 1 && uint32(amount) <= es:
		imm = 2*es - uint32(amount)
	default:
		a.failf("%s: shift %d out of range for %d-bit lanes", o.name, amount, es)
		return
	}
	a.emit(0x0F000400 | r.q() | o.bits | imm<<16 | a.vr(rn, o.name)<<5 | a.vr(rd, o.name))
}

// MoviZero sets all of rd to zero (movi rd.2d, #0).
func (a *Assembler) MoviZero(rd VReg) { a.emit(0x6F00E400 | a.vr(rd, "movi")) }

// Ld1R loads one element from [rn] into every lane of rt (ld1r).
func (a *Assembler) Ld1R(r Arrangement, rt VReg, rn Reg) {
	if r > D2 {
		a.failf("ld1r: invalid arrangement %d", r)
		return
	}
	a.emit(0x0D40C000 | r.q() | r.size()<<10 | a.rsp(rn, "ld1r")<<5 | a.vr(rt, "ld1r"))
}

// Ld1Lane loads lane i (elements of size es) of rt from [rn], keeping the
// other lanes.
func (a *Assembler) Ld1Lane(es Size, rt VReg, i uint8, rn Reg) {
	a.ldst1Lane(0x0D400000, es, rt, i, rn)
}

// St1Lane stores lane i (elements of size es) of rt to [rn].
func (a *Assembler) St1Lane(es Size, rt VReg, i uint8, rn Reg) {
	a.ldst1Lane(0x0D000000, es, rt, i, rn)
}

// ldst1Lane encodes the single-structure forms.
func (a *Assembler) ldst1Lane(bits uint32, es Size, rt VReg, i uint8, rn Reg) {
	if _, ok := a.elemIndex("ld1/st1 lane", es, i); !ok {
		return
	}
	// idx is Q:S:size: the index above the bits the element size takes;
	// 32- and 64-bit lanes share an opcode, size<0> marking 64 bits.
	idx := uint32(i) << es
	op := [4]uint32{0, 2, 4, 4}[es]
	if es == S64 {
		idx = uint32(i)<<3 | 1
	}
	q, s, size := idx>>3&1, idx>>2&1, idx&3
	a.emit(bits | q<<30 | op<<13 | s<<12 | size<<10 | a.rsp(rn, "ld1/st1 lane")<<5 | a.vr(rt, "ld1/st1 lane"))
}
