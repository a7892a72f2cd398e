package arm64

// Ordered and exclusive accesses (ARMv8.0) and the LSE atomics (ARMv8.1,
// FeatLSE). Every address is a bare base register (RSP allowed).

// ExclOp is a load-acquire, store-release or exclusive access.
type ExclOp uint8

// Ordered and exclusive ops. LDAPR needs FeatRCPC.
const (
	LDXR ExclOp = iota
	LDAXR
	LDAR
	LDAPR
	STXR
	STLXR
	STLR
	LDXP
	LDAXP
	STXP
	STLXP
)

// Bits: o2 (23), L (22), o1 (21), o0 (15).
var exclOps = []opRow{
	LDXR: {"ldxr", 1 << 22}, LDAXR: {"ldaxr", 1<<22 | 1<<15}, LDAR: {"ldar", 1<<23 | 1<<22 | 1<<15},
	LDAPR: {"ldapr", 0}, // its own encoding, see LoadOrdered
	STXR:  {"stxr", 0}, STLXR: {"stlxr", 1 << 15}, STLR: {"stlr", 1<<23 | 1<<15},
	LDXP: {"ldxp", 1<<22 | 1<<21}, LDAXP: {"ldaxp", 1<<22 | 1<<21 | 1<<15},
	STXP: {"stxp", 1 << 21}, STLXP: {"stlxp", 1<<21 | 1<<15},
}

func (op ExclOp) String() string { return opName(exclOps, uint8(op), "excl") }

// LoadOrdered emits op rt, [rn] with op LDXR, LDAXR, LDAR or LDAPR; rt is
// a W register below S64.
func (a *Assembler) LoadOrdered(op ExclOp, sz Size, rt, rn Reg) {
	o, ok := a.exclOp(op, sz, "load", LDXR, LDAXR, LDAR, LDAPR)
	if !ok {
		return
	}
	if op == LDAPR {
		if a.need(FeatRCPC, o.name) {
			a.emit(uint32(sz)<<30 | 0x38BFC000 | a.rsp(rn, o.name)<<5 | a.rz(rt, o.name))
		}
		return
	}
	a.excl(o, sz, 31, a.rz(rt, o.name), 31, a.rsp(rn, o.name))
}

// StoreRelease emits stlr rt, [rn].
func (a *Assembler) StoreRelease(sz Size, rt, rn Reg) {
	o, ok := a.exclOp(STLR, sz, "store", STLR)
	if ok {
		a.excl(o, sz, 31, a.rz(rt, o.name), 31, a.rsp(rn, o.name))
	}
}

// StoreExclusive emits op rs, rt, [rn] (STXR or STLXR): rs receives 0 when
// the store happened, 1 when the reservation was lost. rs must differ from
// rt and rn.
func (a *Assembler) StoreExclusive(op ExclOp, sz Size, rs, rt, rn Reg) {
	o, ok := a.exclOp(op, sz, "store exclusive", STXR, STLXR)
	if !ok {
		return
	}
	if rs == rt || rs == rn {
		a.failf("%s: status register %v overlaps an operand", o.name, rs)
		return
	}
	a.excl(o, sz, a.rz(rs, o.name), a.rz(rt, o.name), 31, a.rsp(rn, o.name))
}

// LoadExclusivePair emits op rt, rt2, [rn] (LDXP or LDAXP) at width w.
func (a *Assembler) LoadExclusivePair(op ExclOp, w Width, rt, rt2, rn Reg) {
	o, ok := a.exclOp(op, pairSize(w), "load pair", LDXP, LDAXP)
	if !ok || !a.width(w, o.name) {
		return
	}
	if rt == rt2 {
		a.failf("%s: both destinations are %v", o.name, rt)
		return
	}
	a.excl(o, pairSize(w), 31, a.rz(rt, o.name), a.rz(rt2, o.name), a.rsp(rn, o.name))
}

// StoreExclusivePair emits op rs, rt, rt2, [rn] (STXP or STLXP) at width w.
func (a *Assembler) StoreExclusivePair(op ExclOp, w Width, rs, rt, rt2, rn Reg) {
	o, ok := a.exclOp(op, pairSize(w), "store pair", STXP, STLXP)
	if !ok || !a.width(w, o.name) {
		return
	}
	if rs == rt || rs == rt2 || rs == rn {
		a.failf("%s: status register %v overlaps an operand", o.name, rs)
		return
	}
	a.excl(o, pairSize(w), a.rz(rs, o.name), a.rz(rt, o.name), a.rz(rt2, o.name), a.rsp(rn, o.name))
}

// pairSize is the size field of an exclusive pair: 1x, x the width.
func pairSize(w Width) Size {
	if w == W64 {
		return S64
	}
	return S32
}

func (a *Assembler) exclOp(op ExclOp, sz Size, kind string, allowed ...ExclOp) (opRow, bool) {
	o, ok := a.row(exclOps, uint8(op), "ordered "+kind)
	if !ok {
		return o, false
	}
	for _, x := range allowed {
		if x == op {
			if sz > S64 {
				a.failf("%s: invalid size %d", o.name, sz)
				return o, false
			}
			return o, true
		}
	}
	a.failf("%s: not an ordered %s", o.name, kind)
	return o, false
}

func (a *Assembler) excl(o opRow, sz Size, rs, rt, rt2, rn uint32) {
	a.emit(uint32(sz)<<30 | 0x08000000 | o.bits | rs<<16 | rt2<<10 | rn<<5 | rt)
}

// Order is the memory ordering of an LSE atomic: the A (acquire) and R
// (release) bits.
type Order uint8

// Orderings.
const (
	Relaxed Order = 0
	Acquire Order = 2
	Release Order = 1
	AcqRel  Order = 3
)

// AtomicOp is an LSE read-modify-write.
type AtomicOp uint8

// LSE ops: rt receives the old value, memory the old value combined with
// rs (LDCLR clears the bits set in rs; SWP stores rs).
const (
	LDADD AtomicOp = iota
	LDCLR
	LDEOR
	LDSET
	LDSMAX
	LDSMIN
	LDUMAX
	LDUMIN
	SWP
)

var atomicOps = []opRow{
	LDADD: {"ldadd", 0}, LDCLR: {"ldclr", 1 << 12}, LDEOR: {"ldeor", 2 << 12}, LDSET: {"ldset", 3 << 12},
	LDSMAX: {"ldsmax", 4 << 12}, LDSMIN: {"ldsmin", 5 << 12}, LDUMAX: {"ldumax", 6 << 12}, LDUMIN: {"ldumin", 7 << 12},
	SWP: {"swp", 1 << 15},
}

func (op AtomicOp) String() string { return opName(atomicOps, uint8(op), "atomic") }

// Atomic emits the LSE instruction op with ordering ord: rt = [rn];
// [rn] = rt op rs, atomically. Needs FeatLSE; Baseline code uses an
// exclusive loop instead.
func (a *Assembler) Atomic(op AtomicOp, ord Order, sz Size, rs, rt, rn Reg) {
	o, ok := a.row(atomicOps, uint8(op), "atomic")
	if !ok || !a.need(FeatLSE, o.name) {
		return
	}
	if sz > S64 || ord > AcqRel {
		a.failf("%s: invalid size %d or ordering %d", o.name, sz, ord)
		return
	}
	a.emit(uint32(sz)<<30 | 0x38200000 | uint32(ord)<<22 | o.bits | a.rz(rs, o.name)<<16 | a.rsp(rn, o.name)<<5 | a.rz(rt, o.name))
}

// Cas emits the LSE compare-and-swap with ordering ord: if [rn] == rs then
// [rn] = rt; rs receives the old value. Needs FeatLSE.
func (a *Assembler) Cas(ord Order, sz Size, rs, rt, rn Reg) {
	if !a.need(FeatLSE, "cas") {
		return
	}
	if sz > S64 || ord > AcqRel {
		a.failf("cas: invalid size %d or ordering %d", sz, ord)
		return
	}
	l, o0 := uint32(ord>>1), uint32(ord&1)
	a.emit(uint32(sz)<<30 | 0x08A07C00 | l<<22 | a.rz(rs, "cas")<<16 | o0<<15 | a.rsp(rn, "cas")<<5 | a.rz(rt, "cas"))
}
