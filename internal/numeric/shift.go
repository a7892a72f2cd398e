package numeric

// Shifts take the count from an i32 operand modulo the lane width.

// I8x16Shl is i8x16.shl.
func I8x16Shl(a V128, n uint32) V128 {
	n &= 7
	m := lsb8 * uint64(0xff<<n&0xff) // bits that stay inside each lane
	return V128{a.Lo << n & m, a.Hi << n & m}
}

// I8x16ShrU is i8x16.shr_u.
func I8x16ShrU(a V128, n uint32) V128 {
	n &= 7
	m := lsb8 * uint64(0xff>>n)
	return V128{a.Lo >> n & m, a.Hi >> n & m}
}

// I8x16ShrS is i8x16.shr_s.
func I8x16ShrS(a V128, n uint32) V128 {
	n &= 7
	return V128{swarShrS(a.Lo, n, msb8, 8), swarShrS(a.Hi, n, msb8, 8)}
}

// I16x8Shl is i16x8.shl.
func I16x8Shl(a V128, n uint32) V128 {
	n &= 15
	m := lsb16 * uint64(0xffff<<n&0xffff)
	return V128{a.Lo << n & m, a.Hi << n & m}
}

// I16x8ShrU is i16x8.shr_u.
func I16x8ShrU(a V128, n uint32) V128 {
	n &= 15
	m := lsb16 * uint64(0xffff>>n)
	return V128{a.Lo >> n & m, a.Hi >> n & m}
}

// I16x8ShrS is i16x8.shr_s.
func I16x8ShrS(a V128, n uint32) V128 {
	n &= 15
	return V128{swarShrS(a.Lo, n, msb16, 16), swarShrS(a.Hi, n, msb16, 16)}
}

// I32x4Shl is i32x4.shl.
func I32x4Shl(a V128, n uint32) V128 {
	n &= 31
	m := uint64(0xffffffff<<n&0xffffffff) * (1 | 1<<32)
	return V128{a.Lo << n & m, a.Hi << n & m}
}

// I32x4ShrU is i32x4.shr_u.
func I32x4ShrU(a V128, n uint32) V128 {
	n &= 31
	m := uint64(0xffffffff>>n) * (1 | 1<<32)
	return V128{a.Lo >> n & m, a.Hi >> n & m}
}

// I32x4ShrS is i32x4.shr_s.
func I32x4ShrS(a V128, n uint32) V128 {
	n &= 31
	f := func(x uint32) uint32 { return uint32(int32(x) >> n) }
	return V128{map32(a.Lo, f), map32(a.Hi, f)}
}

// I64x2Shl is i64x2.shl.
func I64x2Shl(a V128, n uint32) V128 {
	n &= 63
	return V128{a.Lo << n, a.Hi << n}
}

// I64x2ShrU is i64x2.shr_u.
func I64x2ShrU(a V128, n uint32) V128 {
	n &= 63
	return V128{a.Lo >> n, a.Hi >> n}
}

// I64x2ShrS is i64x2.shr_s.
func I64x2ShrS(a V128, n uint32) V128 {
	n &= 63
	return V128{uint64(int64(a.Lo) >> n), uint64(int64(a.Hi) >> n)}
}
