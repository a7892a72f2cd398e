package numeric

import "encoding/binary"

// V128 is a WebAssembly v128 value: 16 bytes as two little-endian halves.
// Byte i of the value (lane i of i8x16) is byte i%8 of Lo for i < 8 and of Hi
// otherwise, so lane 0 of every shape is in the low bits of Lo.
type V128 struct{ Lo, Hi uint64 }

// The helpers below move between V128 and lane arrays. Lane-wise operations
// work on these arrays with small inlinable lane functions; the arrays live
// in registers or on the stack and never escape.

func (v V128) u8() (r [16]uint8) {
	binary.LittleEndian.PutUint64(r[:8], v.Lo)
	binary.LittleEndian.PutUint64(r[8:], v.Hi)
	return r
}

func fromU8(r [16]uint8) V128 {
	return V128{binary.LittleEndian.Uint64(r[:8]), binary.LittleEndian.Uint64(r[8:])}
}

func (v V128) u16() (r [8]uint16) {
	for i := 0; i < 4; i++ {
		r[i] = uint16(v.Lo >> (16 * i))
		r[i+4] = uint16(v.Hi >> (16 * i))
	}
	return r
}

func fromU16(r [8]uint16) (v V128) {
	for i := 0; i < 4; i++ {
		v.Lo |= uint64(r[i]) << (16 * i)
		v.Hi |= uint64(r[i+4]) << (16 * i)
	}
	return v
}

func (v V128) u32() [4]uint32 {
	return [4]uint32{uint32(v.Lo), uint32(v.Lo >> 32), uint32(v.Hi), uint32(v.Hi >> 32)}
}

func fromU32(r [4]uint32) V128 {
	return V128{uint64(r[0]) | uint64(r[1])<<32, uint64(r[2]) | uint64(r[3])<<32}
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

func boolMask16(b bool) uint16 {
	if b {
		return ^uint16(0)
	}
	return 0
}

func boolMask8(b bool) uint8 {
	if b {
		return ^uint8(0)
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
