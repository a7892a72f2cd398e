package numeric

// V128Not is v128.not.
func V128Not(a V128) V128 { return V128{^a.Lo, ^a.Hi} }

// V128And is v128.and.
func V128And(a, b V128) V128 { return V128{a.Lo & b.Lo, a.Hi & b.Hi} }

// V128Andnot is v128.andnot: a & ^b.
func V128Andnot(a, b V128) V128 { return V128{a.Lo &^ b.Lo, a.Hi &^ b.Hi} }

// V128Or is v128.or.
func V128Or(a, b V128) V128 { return V128{a.Lo | b.Lo, a.Hi | b.Hi} }

// V128Xor is v128.xor.
func V128Xor(a, b V128) V128 { return V128{a.Lo ^ b.Lo, a.Hi ^ b.Hi} }

// V128Bitselect is v128.bitselect: bits of a where c is 1, of b where c is 0.
func V128Bitselect(a, b, c V128) V128 {
	return V128{a.Lo&c.Lo | b.Lo&^c.Lo, a.Hi&c.Hi | b.Hi&^c.Hi}
}

// V128AnyTrue is v128.any_true.
func V128AnyTrue(a V128) bool { return a.Lo|a.Hi != 0 }

// hasZero8 reports whether some byte of x is zero (exact, no false
// positives: a borrow can only propagate out of a zero byte).
func hasZero8(x uint64) bool { return (x-lsb8)&^x&msb8 != 0 }

func hasZero16(x uint64) bool { return (x-lsb16)&^x&msb16 != 0 }

// I8x16AllTrue is i8x16.all_true: every lane is non-zero.
func I8x16AllTrue(a V128) bool { return !hasZero8(a.Lo) && !hasZero8(a.Hi) }

// I16x8AllTrue is i16x8.all_true.
func I16x8AllTrue(a V128) bool { return !hasZero16(a.Lo) && !hasZero16(a.Hi) }

// I32x4AllTrue is i32x4.all_true.
func I32x4AllTrue(a V128) bool {
	return uint32(a.Lo) != 0 && a.Lo>>32 != 0 && uint32(a.Hi) != 0 && a.Hi>>32 != 0
}

// I64x2AllTrue is i64x2.all_true.
func I64x2AllTrue(a V128) bool { return a.Lo != 0 && a.Hi != 0 }

// msbs8 gathers the top bit of each byte of x into an 8-bit mask: the
// multiply moves bit 8i+7 to bit 56+i without carries between them.
func msbs8(x uint64) uint32 { return uint32((x & msb8 >> 7 * 0x0102040810204080) >> 56) }

// I8x16Bitmask is i8x16.bitmask: bit i is the sign bit of lane i.
func I8x16Bitmask(a V128) uint32 { return msbs8(a.Lo) | msbs8(a.Hi)<<8 }

// msbs16 gathers the top bit of each 16-bit lane of x into a 4-bit mask.
func msbs16(x uint64) uint32 { return uint32((x & msb16 >> 15 * 0x0001000200040008) >> 48) }

// I16x8Bitmask is i16x8.bitmask.
func I16x8Bitmask(a V128) uint32 { return msbs16(a.Lo) | msbs16(a.Hi)<<4 }

// I32x4Bitmask is i32x4.bitmask.
func I32x4Bitmask(a V128) uint32 {
	return uint32(a.Lo>>31&1 | a.Lo>>62&2 | a.Hi>>29&4 | a.Hi>>60&8)
}

// I64x2Bitmask is i64x2.bitmask.
func I64x2Bitmask(a V128) uint32 { return uint32(a.Lo>>63 | a.Hi>>63<<1) }

// popcnt8 counts the set bits of every byte of x (the classic SWAR
// population count, stopped before the bytes are summed).
func popcnt8(x uint64) uint64 {
	x -= x >> 1 & 0x5555555555555555
	x = x&0x3333333333333333 + x>>2&0x3333333333333333
	return (x + x>>4) & 0x0f0f0f0f0f0f0f0f
}

// I8x16Popcnt is i8x16.popcnt.
func I8x16Popcnt(a V128) V128 { return V128{popcnt8(a.Lo), popcnt8(a.Hi)} }
