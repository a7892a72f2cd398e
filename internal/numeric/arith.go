package numeric

import "math"

// add32 and sub32 are swarAdd and swarSub for 32-bit lanes.
func add32(x, y uint64) uint64 { return swarAdd(x, y, msb32) }
func sub32(x, y uint64) uint64 { return swarSub(x, y, msb32) }

// I8x16Add is i8x16.add.
func I8x16Add(a, b V128) V128 { return V128{swarAdd(a.Lo, b.Lo, msb8), swarAdd(a.Hi, b.Hi, msb8)} }

// I8x16Sub is i8x16.sub.
func I8x16Sub(a, b V128) V128 { return V128{swarSub(a.Lo, b.Lo, msb8), swarSub(a.Hi, b.Hi, msb8)} }

// I8x16Neg is i8x16.neg (wrapping: -(-128) = -128).
func I8x16Neg(a V128) V128 { return V128{swarSub(0, a.Lo, msb8), swarSub(0, a.Hi, msb8)} }

// I16x8Add is i16x8.add.
func I16x8Add(a, b V128) V128 { return V128{swarAdd(a.Lo, b.Lo, msb16), swarAdd(a.Hi, b.Hi, msb16)} }

// I16x8Sub is i16x8.sub.
func I16x8Sub(a, b V128) V128 { return V128{swarSub(a.Lo, b.Lo, msb16), swarSub(a.Hi, b.Hi, msb16)} }

// I16x8Neg is i16x8.neg.
func I16x8Neg(a V128) V128 { return V128{swarSub(0, a.Lo, msb16), swarSub(0, a.Hi, msb16)} }

// I32x4Add is i32x4.add.
func I32x4Add(a, b V128) V128 { return V128{add32(a.Lo, b.Lo), add32(a.Hi, b.Hi)} }

// I32x4Sub is i32x4.sub.
func I32x4Sub(a, b V128) V128 { return V128{sub32(a.Lo, b.Lo), sub32(a.Hi, b.Hi)} }

// I32x4Neg is i32x4.neg.
func I32x4Neg(a V128) V128 { return V128{sub32(0, a.Lo), sub32(0, a.Hi)} }

// I64x2Add is i64x2.add.
func I64x2Add(a, b V128) V128 { return V128{a.Lo + b.Lo, a.Hi + b.Hi} }

// I64x2Sub is i64x2.sub.
func I64x2Sub(a, b V128) V128 { return V128{a.Lo - b.Lo, a.Hi - b.Hi} }

// I64x2Neg is i64x2.neg.
func I64x2Neg(a V128) V128 { return V128{-a.Lo, -a.Hi} }

// I16x8Mul is i16x8.mul (low 16 bits of each product).
func I16x8Mul(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return pack16(uint16(x)*uint16(y), uint16(x>>16)*uint16(y>>16)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// pack16 joins two 16-bit lanes into a 32-bit pair.
func pack16(lo, hi uint16) uint32 { return uint32(lo) | uint32(hi)<<16 }

// I32x4Mul is i32x4.mul.
func I32x4Mul(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return x * y }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I64x2Mul is i64x2.mul.
func I64x2Mul(a, b V128) V128 { return V128{a.Lo * b.Lo, a.Hi * b.Hi} }

// Saturation of a wide intermediate result to a lane type.

func satS8(x int32) uint8 {
	switch {
	case x < math.MinInt8:
		return 0x80
	case x > math.MaxInt8:
		return math.MaxInt8
	}
	return uint8(x)
}

func satU8(x int32) uint8 {
	switch {
	case x < 0:
		return 0
	case x > math.MaxUint8:
		return math.MaxUint8
	}
	return uint8(x)
}

func satS16(x int32) uint16 {
	switch {
	case x < math.MinInt16:
		return 0x8000
	case x > math.MaxInt16:
		return math.MaxInt16
	}
	return uint16(x)
}

func satU16(x int32) uint16 {
	switch {
	case x < 0:
		return 0
	case x > math.MaxUint16:
		return math.MaxUint16
	}
	return uint16(x)
}

// I8x16AddSatS is i8x16.add_sat_s.
func I8x16AddSatS(a, b V128) V128 {
	return V128{swarAddSatS(a.Lo, b.Lo, msb8, 8), swarAddSatS(a.Hi, b.Hi, msb8, 8)}
}

// I8x16AddSatU is i8x16.add_sat_u.
func I8x16AddSatU(a, b V128) V128 {
	return V128{swarAddSatU(a.Lo, b.Lo, msb8, 8), swarAddSatU(a.Hi, b.Hi, msb8, 8)}
}

// I8x16SubSatS is i8x16.sub_sat_s.
func I8x16SubSatS(a, b V128) V128 {
	return V128{swarSubSatS(a.Lo, b.Lo, msb8, 8), swarSubSatS(a.Hi, b.Hi, msb8, 8)}
}

// I8x16SubSatU is i8x16.sub_sat_u.
func I8x16SubSatU(a, b V128) V128 {
	return V128{swarSubSatU(a.Lo, b.Lo, msb8, 8), swarSubSatU(a.Hi, b.Hi, msb8, 8)}
}

// I16x8AddSatS is i16x8.add_sat_s.
func I16x8AddSatS(a, b V128) V128 {
	return V128{swarAddSatS(a.Lo, b.Lo, msb16, 16), swarAddSatS(a.Hi, b.Hi, msb16, 16)}
}

// I16x8AddSatU is i16x8.add_sat_u.
func I16x8AddSatU(a, b V128) V128 {
	return V128{swarAddSatU(a.Lo, b.Lo, msb16, 16), swarAddSatU(a.Hi, b.Hi, msb16, 16)}
}

// I16x8SubSatS is i16x8.sub_sat_s.
func I16x8SubSatS(a, b V128) V128 {
	return V128{swarSubSatS(a.Lo, b.Lo, msb16, 16), swarSubSatS(a.Hi, b.Hi, msb16, 16)}
}

// I16x8SubSatU is i16x8.sub_sat_u.
func I16x8SubSatU(a, b V128) V128 {
	return V128{swarSubSatU(a.Lo, b.Lo, msb16, 16), swarSubSatU(a.Hi, b.Hi, msb16, 16)}
}

// I16x8Q15mulrSatS is i16x8.q15mulr_sat_s: the rounded Q15 product
// (a*b + 2^14) >> 15, saturated (only -32768 * -32768 overflows).
func I16x8Q15mulrSatS(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return pack16(q15mulr(uint16(x), uint16(y)), q15mulr(uint16(x>>16), uint16(y>>16)))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// q15mulr is one lane of i16x8.q15mulr_sat_s. The rounded product lies in
// [-32767, 32768]; only 32768 (from -32768 * -32768) needs saturating.
func q15mulr(x, y uint16) uint16 {
	r := (int32(int16(x))*int32(int16(y)) + 1<<14) >> 15
	if r > math.MaxInt16 {
		return math.MaxInt16
	}
	return uint16(r)
}

// I8x16AvgrU is i8x16.avgr_u: (a + b + 1) / 2 without overflow, computed as
// (a | b) - (a ^ b) >> 1 lane-wise.
func I8x16AvgrU(a, b V128) V128 {
	return V128{a.Lo | b.Lo - (a.Lo^b.Lo)>>1&low7, a.Hi | b.Hi - (a.Hi^b.Hi)>>1&low7}
}

// I16x8AvgrU is i16x8.avgr_u.
func I16x8AvgrU(a, b V128) V128 {
	return V128{a.Lo | b.Lo - (a.Lo^b.Lo)>>1&low15, a.Hi | b.Hi - (a.Hi^b.Hi)>>1&low15}
}

// I8x16Abs is i8x16.abs (wrapping: abs(-128) = -128).
func I8x16Abs(a V128) V128 { return V128{swarAbs(a.Lo, msb8, 8), swarAbs(a.Hi, msb8, 8)} }

// I16x8Abs is i16x8.abs.
func I16x8Abs(a V128) V128 { return V128{swarAbs(a.Lo, msb16, 16), swarAbs(a.Hi, msb16, 16)} }

// I32x4Abs is i32x4.abs.
func I32x4Abs(a V128) V128 {
	f := func(x uint32) uint32 {
		if int32(x) < 0 {
			return -x
		}
		return x
	}
	return V128{map32(a.Lo, f), map32(a.Hi, f)}
}

// abs64 is the wrapping absolute value of a 64-bit lane.
func abs64(x uint64) uint64 {
	if int64(x) < 0 {
		return -x
	}
	return x
}

// I64x2Abs is i64x2.abs.
func I64x2Abs(a V128) V128 { return V128{abs64(a.Lo), abs64(a.Hi)} }
