package numeric

// Narrowing, widening and pairwise operations: lanes change width.

// narrow4S saturates the four signed 16-bit lanes of h to i8 and packs them
// into the low 32 bits.
func narrow4S(h uint64) uint64 {
	return uint64(satS8(int32(int16(h)))) | uint64(satS8(int32(int16(h>>16))))<<8 |
		uint64(satS8(int32(int16(h>>32))))<<16 | uint64(satS8(int32(int16(h>>48))))<<24
}

// narrow4U saturates the four signed 16-bit lanes of h to u8.
func narrow4U(h uint64) uint64 {
	return uint64(satU8(int32(int16(h)))) | uint64(satU8(int32(int16(h>>16))))<<8 |
		uint64(satU8(int32(int16(h>>32))))<<16 | uint64(satU8(int32(int16(h>>48))))<<24
}

// narrow2S saturates the two signed 32-bit lanes of h to i16 and packs them
// into the low 32 bits.
func narrow2S(h uint64) uint64 {
	return uint64(satS16(int32(h))) | uint64(satS16(int32(h>>32)))<<16
}

// narrow2U saturates the two signed 32-bit lanes of h to u16.
func narrow2U(h uint64) uint64 {
	return uint64(satU16(int32(h))) | uint64(satU16(int32(h>>32)))<<16
}

// I8x16NarrowI16x8S is i8x16.narrow_i16x8_s: the signed lanes of a then b,
// saturated to i8.
func I8x16NarrowI16x8S(a, b V128) V128 {
	return V128{narrow4S(a.Lo) | narrow4S(a.Hi)<<32, narrow4S(b.Lo) | narrow4S(b.Hi)<<32}
}

// I8x16NarrowI16x8U is i8x16.narrow_i16x8_u: the signed lanes of a then b,
// saturated to u8.
func I8x16NarrowI16x8U(a, b V128) V128 {
	return V128{narrow4U(a.Lo) | narrow4U(a.Hi)<<32, narrow4U(b.Lo) | narrow4U(b.Hi)<<32}
}

// I16x8NarrowI32x4S is i16x8.narrow_i32x4_s.
func I16x8NarrowI32x4S(a, b V128) V128 {
	return V128{narrow2S(a.Lo) | narrow2S(a.Hi)<<32, narrow2S(b.Lo) | narrow2S(b.Hi)<<32}
}

// I16x8NarrowI32x4U is i16x8.narrow_i32x4_u.
func I16x8NarrowI32x4U(a, b V128) V128 {
	return V128{narrow2U(a.Lo) | narrow2U(a.Hi)<<32, narrow2U(b.Lo) | narrow2U(b.Hi)<<32}
}

// lsb8in16 has the low byte of every 16-bit lane set.
const lsb8in16 = 0x00ff00ff00ff00ff

// spread8 moves the low four bytes of h into the low bytes of four 16-bit
// lanes.
func spread8(h uint32) uint64 {
	x := uint64(h)
	x = (x | x<<16) & 0x0000ffff0000ffff
	return (x | x<<8) & lsb8in16
}

// signExtend8in16 sign-extends the low byte of every 16-bit lane (the high
// bytes must be zero).
func signExtend8in16(x uint64) uint64 {
	return swarSub(x^0x0080008000800080, 0x0080008000800080, msb16)
}

// extend8S widens the 8 bytes of h to sign-extended 16-bit lanes.
func extend8S(h uint64) V128 {
	return V128{signExtend8in16(spread8(uint32(h))), signExtend8in16(spread8(uint32(h >> 32)))}
}

// extend8U widens the 8 bytes of h to zero-extended 16-bit lanes.
func extend8U(h uint64) V128 { return V128{spread8(uint32(h)), spread8(uint32(h >> 32))} }

// extend16S widens the four 16-bit lanes of h to sign-extended 32-bit lanes.
func extend16S(h uint64) V128 {
	return V128{
		pack32(uint32(int16(h)), uint32(int16(h>>16))),
		pack32(uint32(int16(h>>32)), uint32(int16(h>>48))),
	}
}

// extend16U widens the four 16-bit lanes of h to zero-extended 32-bit lanes.
func extend16U(h uint64) V128 {
	return V128{h&0xffff | h&0xffff0000<<16, h>>32&0xffff | h>>48<<32}
}

// extend32S widens the two 32-bit lanes of h to sign-extended 64-bit lanes.
func extend32S(h uint64) V128 { return V128{uint64(int32(h)), uint64(int32(h >> 32))} }

// extend32U widens the two 32-bit lanes of h to zero-extended 64-bit lanes.
func extend32U(h uint64) V128 { return V128{h & 0xffffffff, h >> 32} }

// I16x8ExtendLowI8x16S is i16x8.extend_low_i8x16_s.
func I16x8ExtendLowI8x16S(a V128) V128 { return extend8S(a.Lo) }

// I16x8ExtendHighI8x16S is i16x8.extend_high_i8x16_s.
func I16x8ExtendHighI8x16S(a V128) V128 { return extend8S(a.Hi) }

// I16x8ExtendLowI8x16U is i16x8.extend_low_i8x16_u.
func I16x8ExtendLowI8x16U(a V128) V128 { return extend8U(a.Lo) }

// I16x8ExtendHighI8x16U is i16x8.extend_high_i8x16_u.
func I16x8ExtendHighI8x16U(a V128) V128 { return extend8U(a.Hi) }

// I32x4ExtendLowI16x8S is i32x4.extend_low_i16x8_s.
func I32x4ExtendLowI16x8S(a V128) V128 { return extend16S(a.Lo) }

// I32x4ExtendHighI16x8S is i32x4.extend_high_i16x8_s.
func I32x4ExtendHighI16x8S(a V128) V128 { return extend16S(a.Hi) }

// I32x4ExtendLowI16x8U is i32x4.extend_low_i16x8_u.
func I32x4ExtendLowI16x8U(a V128) V128 { return extend16U(a.Lo) }

// I32x4ExtendHighI16x8U is i32x4.extend_high_i16x8_u.
func I32x4ExtendHighI16x8U(a V128) V128 { return extend16U(a.Hi) }

// I64x2ExtendLowI32x4S is i64x2.extend_low_i32x4_s.
func I64x2ExtendLowI32x4S(a V128) V128 { return extend32S(a.Lo) }

// I64x2ExtendHighI32x4S is i64x2.extend_high_i32x4_s.
func I64x2ExtendHighI32x4S(a V128) V128 { return extend32S(a.Hi) }

// I64x2ExtendLowI32x4U is i64x2.extend_low_i32x4_u.
func I64x2ExtendLowI32x4U(a V128) V128 { return extend32U(a.Lo) }

// I64x2ExtendHighI32x4U is i64x2.extend_high_i32x4_u.
func I64x2ExtendHighI32x4U(a V128) V128 { return extend32U(a.Hi) }

// Extended multiplication: both operands' halves are widened and multiplied
// lane-wise; the products are exact at the doubled width, so the wrapping
// multiply of the wide shape computes them.

// I16x8ExtmulLowI8x16S is i16x8.extmul_low_i8x16_s.
func I16x8ExtmulLowI8x16S(a, b V128) V128 { return I16x8Mul(extend8S(a.Lo), extend8S(b.Lo)) }

// I16x8ExtmulHighI8x16S is i16x8.extmul_high_i8x16_s.
func I16x8ExtmulHighI8x16S(a, b V128) V128 { return I16x8Mul(extend8S(a.Hi), extend8S(b.Hi)) }

// I16x8ExtmulLowI8x16U is i16x8.extmul_low_i8x16_u.
func I16x8ExtmulLowI8x16U(a, b V128) V128 { return I16x8Mul(extend8U(a.Lo), extend8U(b.Lo)) }

// I16x8ExtmulHighI8x16U is i16x8.extmul_high_i8x16_u.
func I16x8ExtmulHighI8x16U(a, b V128) V128 { return I16x8Mul(extend8U(a.Hi), extend8U(b.Hi)) }

// I32x4ExtmulLowI16x8S is i32x4.extmul_low_i16x8_s.
func I32x4ExtmulLowI16x8S(a, b V128) V128 { return I32x4Mul(extend16S(a.Lo), extend16S(b.Lo)) }

// I32x4ExtmulHighI16x8S is i32x4.extmul_high_i16x8_s.
func I32x4ExtmulHighI16x8S(a, b V128) V128 { return I32x4Mul(extend16S(a.Hi), extend16S(b.Hi)) }

// I32x4ExtmulLowI16x8U is i32x4.extmul_low_i16x8_u.
func I32x4ExtmulLowI16x8U(a, b V128) V128 { return I32x4Mul(extend16U(a.Lo), extend16U(b.Lo)) }

// I32x4ExtmulHighI16x8U is i32x4.extmul_high_i16x8_u.
func I32x4ExtmulHighI16x8U(a, b V128) V128 { return I32x4Mul(extend16U(a.Hi), extend16U(b.Hi)) }

// I64x2ExtmulLowI32x4S is i64x2.extmul_low_i32x4_s.
func I64x2ExtmulLowI32x4S(a, b V128) V128 { return I64x2Mul(extend32S(a.Lo), extend32S(b.Lo)) }

// I64x2ExtmulHighI32x4S is i64x2.extmul_high_i32x4_s.
func I64x2ExtmulHighI32x4S(a, b V128) V128 { return I64x2Mul(extend32S(a.Hi), extend32S(b.Hi)) }

// I64x2ExtmulLowI32x4U is i64x2.extmul_low_i32x4_u.
func I64x2ExtmulLowI32x4U(a, b V128) V128 { return I64x2Mul(extend32U(a.Lo), extend32U(b.Lo)) }

// I64x2ExtmulHighI32x4U is i64x2.extmul_high_i32x4_u.
func I64x2ExtmulHighI32x4U(a, b V128) V128 { return I64x2Mul(extend32U(a.Hi), extend32U(b.Hi)) }

// I16x8ExtaddPairwiseI8x16S is i16x8.extadd_pairwise_i8x16_s: lane i is the
// sum of the sign-extended byte lanes 2i and 2i+1.
func I16x8ExtaddPairwiseI8x16S(a V128) V128 {
	f := func(x uint64) uint64 {
		return swarAdd(signExtend8in16(x&lsb8in16), signExtend8in16(x>>8&lsb8in16), msb16)
	}
	return V128{f(a.Lo), f(a.Hi)}
}

// I16x8ExtaddPairwiseI8x16U is i16x8.extadd_pairwise_i8x16_u.
func I16x8ExtaddPairwiseI8x16U(a V128) V128 {
	f := func(x uint64) uint64 { return x&lsb8in16 + x>>8&lsb8in16 } // at most 510 per lane
	return V128{f(a.Lo), f(a.Hi)}
}

// I32x4ExtaddPairwiseI16x8S is i32x4.extadd_pairwise_i16x8_s.
func I32x4ExtaddPairwiseI16x8S(a V128) V128 {
	f := func(h uint32) uint32 { return uint32(int32(int16(h)) + int32(int16(h>>16))) }
	return V128{map32(a.Lo, f), map32(a.Hi, f)}
}

// I32x4ExtaddPairwiseI16x8U is i32x4.extadd_pairwise_i16x8_u.
func I32x4ExtaddPairwiseI16x8U(a V128) V128 {
	f := func(h uint32) uint32 { return h&0xffff + h>>16 }
	return V128{map32(a.Lo, f), map32(a.Hi, f)}
}

// I32x4DotI16x8S is i32x4.dot_i16x8_s: lane i is a[2i]*b[2i] + a[2i+1]*b[2i+1]
// of the signed 16-bit lanes, wrapping (only -32768^2 * 2 wraps).
func I32x4DotI16x8S(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return uint32(int32(int16(x))*int32(int16(y)) + int32(int16(x>>16))*int32(int16(y>>16)))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}
