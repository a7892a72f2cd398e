package arm64

// Mem is a memory operand: a base register (RSP allowed) with an
// immediate offset, optionally written back before or after the access,
// or a base plus an extended, optionally scaled index register. Build it
// with Ptr, PreIndex, PostIndex or Indexed.
type Mem struct {
	base   Reg
	mode   addrMode
	off    int64
	index  Reg
	ext    Extend
	scaled bool
}

type addrMode uint8

const (
	modeOffset addrMode = iota
	modePre
	modePost
	modeIndex
)

// Ptr is [base, #off]. Loads and stores use the scaled unsigned 12-bit
// form when off is a non-negative multiple of the access size that fits,
// else the unscaled signed 9-bit form (LDUR/STUR); pairs need a multiple
// of the register size within 7 signed bits.
func Ptr(base Reg, off int64) Mem { return Mem{base: base, off: off} }

// PreIndex is [base, #off]!: base += off, then the access at base.
func PreIndex(base Reg, off int64) Mem { return Mem{base: base, mode: modePre, off: off} }

// PostIndex is [base], #off: the access at base, then base += off.
func PostIndex(base Reg, off int64) Mem { return Mem{base: base, mode: modePost, off: off} }

// Indexed is [base, index, ext #s]: index extended by ext (UXTW, SXTW for a
// W index; UXTX, which is LSL, or SXTX for an X index) and, when scaled,
// shifted left by log2 of the access size.
func Indexed(base, index Reg, ext Extend, scaled bool) Mem {
	return Mem{base: base, mode: modeIndex, index: index, ext: ext, scaled: scaled}
}

// MemOp is a load or store.
type MemOp uint8

// Load/store ops (the opc field for general registers). LDRS sign-extends
// into a 64-bit register (LDRSB, LDRSH, LDRSW), LDRS32 into a 32-bit one
// (LDRSB, LDRSH).
const (
	STR MemOp = iota
	LDR
	LDRS
	LDRS32
)

var memOps = []opRow{STR: {"str", 0}, LDR: {"ldr", 1 << 22}, LDRS: {"ldrs", 2 << 22}, LDRS32: {"ldrs32", 3 << 22}}

func (op MemOp) String() string { return opName(memOps, uint8(op), "mem") }

// LoadStore emits op rt, m for an access of size sz: rt is a W register
// for 8-, 16- and 32-bit accesses (zero-extended into X by loads) and an X
// register for 64-bit ones and LDRS.
func (a *Assembler) LoadStore(op MemOp, sz Size, rt Reg, m Mem) {
	o, ok := a.row(memOps, uint8(op), "load/store")
	if !ok {
		return
	}
	if sz > S64 || (op == LDRS && sz == S64) || (op == LDRS32 && sz >= S32) {
		a.failf("%s: no %d-byte form", o.name, sz.Bytes())
		return
	}
	if (m.mode == modePre || m.mode == modePost) && rt == m.base {
		// Constrained unpredictable for loads and stores alike.
		a.failf("%s: write-back base %v is also the transferred register", o.name, rt)
		return
	}
	a.memAccess(o.name, uint32(sz)<<30|o.bits, sz, a.rz(rt, o.name), m)
}

// FLoadStore emits op vt, m for a SIMD&FP register: sz picks its view (B,
// H, S, D or the whole Q register). op is LDR or STR.
func (a *Assembler) FLoadStore(op MemOp, sz Size, vt VReg, m Mem) {
	if op != LDR && op != STR {
		a.failf("%v: no SIMD&FP form (ldr, str)", op)
		return
	}
	if sz > S128 {
		a.failf("%v: invalid size %d", op, sz)
		return
	}
	name := memOps[op].name
	bits := uint32(sz&3)<<30 | 1<<26 | memOps[op].bits
	if sz == S128 {
		bits |= 2 << 22
	}
	a.memAccess(name, bits, sz, a.vr(vt, name), m)
}

// memAccess encodes the addressing mode of a single-register load/store.
func (a *Assembler) memAccess(name string, bits uint32, sz Size, rt uint32, m Mem) {
	rn := a.rsp(m.base, name)
	switch m.mode {
	case modeOffset:
		scale := int64(sz.Bytes())
		switch {
		case m.off >= 0 && m.off%scale == 0 && m.off/scale < 1<<12:
			a.emit(bits | 0x39000000 | uint32(m.off/scale)<<10 | rn<<5 | rt)
		case m.off >= -256 && m.off < 256:
			a.emit(bits | 0x38000000 | (uint32(m.off)&0x1FF)<<12 | rn<<5 | rt)
		default:
			a.failf("%s: offset %d neither a scaled 12-bit multiple of %d nor a signed 9-bit value", name, m.off, scale)
		}
	case modePre, modePost:
		if m.off < -256 || m.off >= 256 {
			a.failf("%s: write-back offset %d out of range -256..255", name, m.off)
			return
		}
		idx := uint32(1) // post
		if m.mode == modePre {
			idx = 3
		}
		a.emit(bits | 0x38000000 | (uint32(m.off)&0x1FF)<<12 | idx<<10 | rn<<5 | rt)
	case modeIndex:
		if m.ext != UXTW && m.ext != UXTX && m.ext != SXTW && m.ext != SXTX {
			a.failf("%s: index extend %v not allowed (uxtw, lsl, sxtw, sxtx)", name, m.ext)
			return
		}
		var s uint32
		if m.scaled {
			s = 1
		}
		a.emit(bits | 0x38200800 | a.rz(m.index, name)<<16 | uint32(m.ext)<<13 | s<<12 | rn<<5 | rt)
	default:
		a.failf("%s: invalid addressing mode", name)
	}
}

// PairOp is a load/store pair.
type PairOp uint8

// Pair ops. LDPSW loads two words sign-extended into X registers.
const (
	STP PairOp = iota
	LDP
	LDPSW
)

var pairOps = []opRow{STP: {"stp", 0}, LDP: {"ldp", 1 << 22}, LDPSW: {"ldpsw", 1<<30 | 1<<22}}

func (op PairOp) String() string { return opName(pairOps, uint8(op), "pair") }

// Pair emits op rt1, rt2, m with m a Ptr, PreIndex or PostIndex whose
// offset is a multiple of the register size (4 or 8; 4 for LDPSW) within
// 7 signed bits.
func (a *Assembler) Pair(op PairOp, w Width, rt1, rt2 Reg, m Mem) {
	o, ok := a.row(pairOps, uint8(op), "pair")
	if !ok || !a.width(w, o.name) {
		return
	}
	sz, bits := S32, o.bits
	switch {
	case op == LDPSW:
		if w != W64 {
			a.failf("ldpsw: loads into 64-bit registers")
			return
		}
	case w == W64:
		sz, bits = S64, bits|1<<31
	}
	if op != STP && rt1 == rt2 {
		a.failf("%s: both destinations are %v", o.name, rt1)
		return
	}
	if (m.mode == modePre || m.mode == modePost) && (rt1 == m.base || rt2 == m.base) {
		a.failf("%s: write-back base %v is also a transferred register", o.name, m.base)
		return
	}
	a.pair(o.name, bits, sz, a.rz(rt1, o.name), a.rz(rt2, o.name), m)
}

// FPair emits op vt1, vt2, m for SIMD&FP registers of size S32, S64 or
// S128.
func (a *Assembler) FPair(op PairOp, sz Size, vt1, vt2 VReg, m Mem) {
	if op != STP && op != LDP {
		a.failf("%v: no SIMD&FP form (ldp, stp)", op)
		return
	}
	name := pairOps[op].name
	if sz < S32 || sz > S128 {
		a.failf("%s: no %d-byte SIMD&FP form", name, sz.Bytes())
		return
	}
	if op == LDP && vt1 == vt2 {
		a.failf("ldp: both destinations are %v", vt1)
		return
	}
	a.pair(name, uint32(sz-S32)<<30|1<<26|pairOps[op].bits, sz, a.vr(vt1, name), a.vr(vt2, name), m)
}

func (a *Assembler) pair(name string, bits uint32, sz Size, rt1, rt2 uint32, m Mem) {
	scale := int64(sz.Bytes())
	var mode uint32
	switch m.mode {
	case modePost:
		mode = 1
	case modeOffset:
		mode = 2
	case modePre:
		mode = 3
	default:
		a.failf("%s: register-offset addressing not available for pairs", name)
		return
	}
	if m.off%scale != 0 || m.off/scale < -64 || m.off/scale > 63 {
		a.failf("%s: offset %d is not a multiple of %d in %d..%d", name, m.off, scale, -64*scale, 63*scale)
		return
	}
	a.emit(bits | 0x28000000 | mode<<23 | (uint32(m.off/scale)&0x7F)<<15 | rt2<<10 | a.rsp(m.base, name)<<5 | rt1)
}
