package numeric

import "encoding/binary"

// V128 is a WebAssembly v128 value: 16 bytes as two little-endian halves.
// Byte i of the value (lane i of i8x16) is byte i%8 of Lo for i < 8 and of Hi
// otherwise, so lane 0 of every shape is in the low bits of Lo.
type V128 struct{ Lo, Hi uint64 }

// Lane-wise operations work in one of three ways, all inlined into the
// exported function: SWAR arithmetic on whole halves for 8- and 16-bit lanes
// (swar.go), the map32/zip32 helpers for 32-bit lanes (and 16-bit lane
// pairs), and plain code for 64-bit lanes. Byte permutations use a byte array.

func fromU8(r [16]uint8) V128 {
	return V128{binary.LittleEndian.Uint64(r[:8]), binary.LittleEndian.Uint64(r[8:])}
}

// pack32 joins two 32-bit lanes into one half.
func pack32(lo, hi uint32) uint64 { return uint64(lo) | uint64(hi)<<32 }

// map32 applies a 32-bit lane operation to both lanes of one half; with a
// constant f it inlines completely.
func map32(x uint64, f func(uint32) uint32) uint64 {
	return pack32(f(uint32(x)), f(uint32(x>>32)))
}

// zip32 applies a binary 32-bit lane operation lane-wise to two halves.
func zip32(x, y uint64, f func(a, b uint32) uint32) uint64 {
	return pack32(f(uint32(x), uint32(y)), f(uint32(x>>32), uint32(y>>32)))
}

// boolMask32 and boolMask64 turn a lane predicate into an all-ones or
// all-zeros lane.
func boolMask32(b bool) uint32 {
	if b {
		return ^uint32(0)
	}
	return 0
}

func boolMask64(b bool) uint64 {
	if b {
		return ^uint64(0)
	}
	return 0
}

// SWAR masks: the low and the high bit of every lane of one half.
const (
	lsb8  = 0x0101010101010101
	msb8  = 0x8080808080808080
	lsb16 = 0x0001000100010001
	msb16 = 0x8000800080008000
	msb32 = 0x8000000080000000
)
