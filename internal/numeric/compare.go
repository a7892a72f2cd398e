package numeric

import "math"

// Lane comparisons produce all-ones lanes for true and all-zeros for false.
// 8- and 16-bit lanes are compared on whole halves (SWAR), wider lanes one
// by one.

const (
	low7  = 0x7f7f7f7f7f7f7f7f
	low15 = 0x7fff7fff7fff7fff
)

// nonZero8 returns 0xff in every byte of x that is non-zero and 0 elsewhere.
// Adding low7 to the low seven bits of a byte sets its top bit exactly when
// they are non-zero, without carrying into the next byte.
func nonZero8(x uint64) uint64 { return ((x&low7 + low7) | x) & msb8 >> 7 * 0xff }

// nonZero16 is nonZero8 for 16-bit lanes.
func nonZero16(x uint64) uint64 { return ((x&low15 + low15) | x) & msb16 >> 15 * 0xffff }

// I8x16Eq is i8x16.eq.
func I8x16Eq(a, b V128) V128 { return V128{^nonZero8(a.Lo ^ b.Lo), ^nonZero8(a.Hi ^ b.Hi)} }

// I8x16Ne is i8x16.ne.
func I8x16Ne(a, b V128) V128 { return V128{nonZero8(a.Lo ^ b.Lo), nonZero8(a.Hi ^ b.Hi)} }

// I16x8Eq is i16x8.eq.
func I16x8Eq(a, b V128) V128 { return V128{^nonZero16(a.Lo ^ b.Lo), ^nonZero16(a.Hi ^ b.Hi)} }

// I16x8Ne is i16x8.ne.
func I16x8Ne(a, b V128) V128 { return V128{nonZero16(a.Lo ^ b.Lo), nonZero16(a.Hi ^ b.Hi)} }

// I8x16LtS is i8x16.lt_s.
func I8x16LtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtS(x, y, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16GtS is i8x16.gt_s.
func I8x16GtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtS(y, x, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16LeS is i8x16.le_s.
func I8x16LeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtS(y, x, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16GeS is i8x16.ge_s.
func I8x16GeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtS(x, y, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16LtU is i8x16.lt_u.
func I8x16LtU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtU(x, y, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16GtU is i8x16.gt_u.
func I8x16GtU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtU(y, x, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16LeU is i8x16.le_u.
func I8x16LeU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtU(y, x, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I8x16GeU is i8x16.ge_u.
func I8x16GeU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtU(x, y, msb8), 8) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8LtS is i16x8.lt_s.
func I16x8LtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtS(x, y, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8GtS is i16x8.gt_s.
func I16x8GtS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtS(y, x, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8LeS is i16x8.le_s.
func I16x8LeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtS(y, x, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8GeS is i16x8.ge_s.
func I16x8GeS(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtS(x, y, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8LtU is i16x8.lt_u.
func I16x8LtU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtU(x, y, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8GtU is i16x8.gt_u.
func I16x8GtU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return swarSpread(swarLtU(y, x, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8LeU is i16x8.le_u.
func I16x8LeU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtU(y, x, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I16x8GeU is i16x8.ge_u.
func I16x8GeU(a, b V128) V128 {
	f := func(x, y uint64) uint64 { return ^swarSpread(swarLtU(x, y, msb16), 16) }
	return V128{f(a.Lo, b.Lo), f(a.Hi, b.Hi)}
}

// I32x4Eq is i32x4.eq.
func I32x4Eq(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x == y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4Ne is i32x4.ne.
func I32x4Ne(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x != y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4LtS is i32x4.lt_s.
func I32x4LtS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(int32(x) < int32(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4LtU is i32x4.lt_u.
func I32x4LtU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x < y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4GtS is i32x4.gt_s.
func I32x4GtS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(int32(x) > int32(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4GtU is i32x4.gt_u.
func I32x4GtU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x > y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4LeS is i32x4.le_s.
func I32x4LeS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(int32(x) <= int32(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4LeU is i32x4.le_u.
func I32x4LeU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x <= y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4GeS is i32x4.ge_s.
func I32x4GeS(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(int32(x) >= int32(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I32x4GeU is i32x4.ge_u.
func I32x4GeU(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(x >= y) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// I64x2Eq is i64x2.eq.
func I64x2Eq(a, b V128) V128 { return V128{boolMask64(a.Lo == b.Lo), boolMask64(a.Hi == b.Hi)} }

// I64x2Ne is i64x2.ne.
func I64x2Ne(a, b V128) V128 { return V128{boolMask64(a.Lo != b.Lo), boolMask64(a.Hi != b.Hi)} }

// I64x2LtS is i64x2.lt_s.
func I64x2LtS(a, b V128) V128 {
	return V128{boolMask64(int64(a.Lo) < int64(b.Lo)), boolMask64(int64(a.Hi) < int64(b.Hi))}
}

// I64x2GtS is i64x2.gt_s.
func I64x2GtS(a, b V128) V128 {
	return V128{boolMask64(int64(a.Lo) > int64(b.Lo)), boolMask64(int64(a.Hi) > int64(b.Hi))}
}

// I64x2LeS is i64x2.le_s.
func I64x2LeS(a, b V128) V128 {
	return V128{boolMask64(int64(a.Lo) <= int64(b.Lo)), boolMask64(int64(a.Hi) <= int64(b.Hi))}
}

// I64x2GeS is i64x2.ge_s.
func I64x2GeS(a, b V128) V128 {
	return V128{boolMask64(int64(a.Lo) >= int64(b.Lo)), boolMask64(int64(a.Hi) >= int64(b.Hi))}
}

// F32x4Eq is f32x4.eq.
func F32x4Eq(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) == math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Ne is f32x4.ne.
func F32x4Ne(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) != math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Lt is f32x4.lt.
func F32x4Lt(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) < math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Gt is f32x4.gt.
func F32x4Gt(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) > math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Le is f32x4.le.
func F32x4Le(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) <= math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Ge is f32x4.ge.
func F32x4Ge(a, b V128) V128 {
	f := func(x, y uint32) uint32 { return boolMask32(math.Float32frombits(x) >= math.Float32frombits(y)) }
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F64x2Eq is f64x2.eq.
func F64x2Eq(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) == math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) == math.Float64frombits(b.Hi)),
	}
}

// F64x2Ne is f64x2.ne.
func F64x2Ne(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) != math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) != math.Float64frombits(b.Hi)),
	}
}

// F64x2Lt is f64x2.lt.
func F64x2Lt(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) < math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) < math.Float64frombits(b.Hi)),
	}
}

// F64x2Gt is f64x2.gt.
func F64x2Gt(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) > math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) > math.Float64frombits(b.Hi)),
	}
}

// F64x2Le is f64x2.le.
func F64x2Le(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) <= math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) <= math.Float64frombits(b.Hi)),
	}
}

// F64x2Ge is f64x2.ge.
func F64x2Ge(a, b V128) V128 {
	return V128{
		boolMask64(math.Float64frombits(a.Lo) >= math.Float64frombits(b.Lo)),
		boolMask64(math.Float64frombits(a.Hi) >= math.Float64frombits(b.Hi)),
	}
}
