package ir

// Bounds checks of loads and stores (OpLoad and OpStore only). A pass proving an access in bounds
// (jit/opt's bounds-check elimination) records it in the access's Aux,
// above the bits of MemAux, so the back end knows which compare to skip
// and Run can tell a wrong proof from a trap:
//
//   - unchecked (bit 41): the access is known to be in bounds; no check
//     is emitted. Run reports an unchecked access outside the memory as
//     ErrUncheckedAccess, an error, never as a trap.
//   - extra (bits 42-62): the check covers extra bytes past the access's
//     own end (address + offset + size + extra <= memory length), on
//     behalf of later accesses it makes unchecked; it traps as the access
//     itself would.
const (
	uncheckedBit = 41
	extraShift   = 42
	// MaxCheckExtra is the largest extra span a check may cover.
	MaxCheckExtra = 1<<21 - 1
)

// BoundsCheck reports how an access is checked: not at all, or up to
// extra bytes past its own end.
func (v *Value) BoundsCheck() (unchecked bool, extra uint32) {
	if v.Op != OpLoad && v.Op != OpStore {
		return false, 0 // SIMD accesses use these bits for their lane and operation
	}
	return v.Aux>>uncheckedBit&1 != 0, uint32(v.Aux>>extraShift) & MaxCheckExtra
}

// SetBoundsCheck records how an access is checked (see BoundsCheck);
// extra is ignored for an unchecked access and must not exceed
// MaxCheckExtra.
func (v *Value) SetBoundsCheck(unchecked bool, extra uint32) {
	v.Aux &= 1<<uncheckedBit - 1
	if unchecked {
		v.Aux |= 1 << uncheckedBit
		return
	}
	v.Aux |= int64(extra&MaxCheckExtra) << extraShift
}

// CheckEnd is the end offset from the address that an access's check
// compares with the memory length: offset + size + extra (0 when the
// access is unchecked).
func (v *Value) CheckEnd() uint64 {
	unchecked, extra := v.BoundsCheck()
	if unchecked {
		return 0
	}
	off, size, _ := v.Access()
	return uint64(off) + uint64(size) + uint64(extra)
}
