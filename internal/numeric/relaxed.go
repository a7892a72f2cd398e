package numeric

import "math"

// Relaxed SIMD. The specification lets each of these instructions return
// one of a few results; kiln always makes the same choice, so results are
// deterministic and identical on every host:
//
//   - relaxed_swizzle: out-of-range indices select 0 (as i8x16.swizzle).
//   - relaxed_trunc: saturating truncation, NaN gives 0 (as trunc_sat).
//   - relaxed_madd / relaxed_nmadd: unfused; the product is rounded before
//     the addition.
//   - relaxed_laneselect: bitwise selection (as v128.bitselect).
//   - relaxed_min / relaxed_max: as f32x4.min / max and f64x2.min / max.
//   - relaxed_q15mulr_s: saturating (as i16x8.q15mulr_sat_s).
//   - relaxed_dot_i8x16_i7x16: both operands signed, i16 sums wrap.

// I8x16RelaxedSwizzle is i8x16.relaxed_swizzle.
func I8x16RelaxedSwizzle(a, s V128) V128 { return I8x16Swizzle(a, s) }

// I32x4RelaxedTruncF32x4S is i32x4.relaxed_trunc_f32x4_s.
func I32x4RelaxedTruncF32x4S(a V128) V128 { return I32x4TruncSatF32x4S(a) }

// I32x4RelaxedTruncF32x4U is i32x4.relaxed_trunc_f32x4_u.
func I32x4RelaxedTruncF32x4U(a V128) V128 { return I32x4TruncSatF32x4U(a) }

// I32x4RelaxedTruncF64x2SZero is i32x4.relaxed_trunc_f64x2_s_zero.
func I32x4RelaxedTruncF64x2SZero(a V128) V128 { return I32x4TruncSatF64x2SZero(a) }

// I32x4RelaxedTruncF64x2UZero is i32x4.relaxed_trunc_f64x2_u_zero.
func I32x4RelaxedTruncF64x2UZero(a V128) V128 { return I32x4TruncSatF64x2UZero(a) }

func madd32(x, y, z uint32, neg bool) uint32 {
	p := float32(math.Float32frombits(x) * math.Float32frombits(y))
	if neg {
		p = -p
	}
	return math.Float32bits(p + math.Float32frombits(z))
}

func madd64(x, y, z uint64, neg bool) uint64 {
	p := float64(math.Float64frombits(x) * math.Float64frombits(y))
	if neg {
		p = -p
	}
	return math.Float64bits(p + math.Float64frombits(z))
}

func madd32x4(a, b, c V128, neg bool) V128 {
	var r [2]uint64
	for h, xs := range [2][3]uint64{{a.Lo, b.Lo, c.Lo}, {a.Hi, b.Hi, c.Hi}} {
		lo := madd32(uint32(xs[0]), uint32(xs[1]), uint32(xs[2]), neg)
		hi := madd32(uint32(xs[0]>>32), uint32(xs[1]>>32), uint32(xs[2]>>32), neg)
		r[h] = uint64(lo) | uint64(hi)<<32
	}
	return V128{r[0], r[1]}
}

// F32x4RelaxedMadd is f32x4.relaxed_madd: a*b + c.
func F32x4RelaxedMadd(a, b, c V128) V128 { return madd32x4(a, b, c, false) }

// F32x4RelaxedNmadd is f32x4.relaxed_nmadd: -(a*b) + c.
func F32x4RelaxedNmadd(a, b, c V128) V128 { return madd32x4(a, b, c, true) }

// F64x2RelaxedMadd is f64x2.relaxed_madd: a*b + c.
func F64x2RelaxedMadd(a, b, c V128) V128 {
	return V128{madd64(a.Lo, b.Lo, c.Lo, false), madd64(a.Hi, b.Hi, c.Hi, false)}
}

// F64x2RelaxedNmadd is f64x2.relaxed_nmadd: -(a*b) + c.
func F64x2RelaxedNmadd(a, b, c V128) V128 {
	return V128{madd64(a.Lo, b.Lo, c.Lo, true), madd64(a.Hi, b.Hi, c.Hi, true)}
}

// RelaxedLaneselect is i8x16/i16x8/i32x4/i64x2.relaxed_laneselect: bits
// of a where the mask c is set, of b elsewhere.
func RelaxedLaneselect(a, b, c V128) V128 { return V128Bitselect(a, b, c) }

// F32x4RelaxedMin is f32x4.relaxed_min.
func F32x4RelaxedMin(a, b V128) V128 { return F32x4Min(a, b) }

// F32x4RelaxedMax is f32x4.relaxed_max.
func F32x4RelaxedMax(a, b V128) V128 { return F32x4Max(a, b) }

// F64x2RelaxedMin is f64x2.relaxed_min.
func F64x2RelaxedMin(a, b V128) V128 { return F64x2Min(a, b) }

// F64x2RelaxedMax is f64x2.relaxed_max.
func F64x2RelaxedMax(a, b V128) V128 { return F64x2Max(a, b) }

// I16x8RelaxedQ15mulrS is i16x8.relaxed_q15mulr_s.
func I16x8RelaxedQ15mulrS(a, b V128) V128 { return I16x8Q15mulrSatS(a, b) }

// bytesOf returns the 16 lanes of v as signed bytes.
func bytesOf(v V128) (b [16]int8) {
	for i := 0; i < 8; i++ {
		b[i] = int8(v.Lo >> (8 * i))
		b[8+i] = int8(v.Hi >> (8 * i))
	}
	return b
}

// I16x8RelaxedDotI8x16I7x16S is i16x8.relaxed_dot_i8x16_i7x16_s.
func I16x8RelaxedDotI8x16I7x16S(a, b V128) V128 {
	x, y := bytesOf(a), bytesOf(b)
	var r [2]uint64
	for i := 0; i < 8; i++ {
		s := uint16(int16(x[2*i])*int16(y[2*i]) + int16(x[2*i+1])*int16(y[2*i+1]))
		r[i/4] |= uint64(s) << (16 * (i % 4))
	}
	return V128{r[0], r[1]}
}

// I32x4RelaxedDotI8x16I7x16AddS is i32x4.relaxed_dot_i8x16_i7x16_add_s:
// sums of four adjacent products, plus c.
func I32x4RelaxedDotI8x16I7x16AddS(a, b, c V128) V128 {
	x, y := bytesOf(a), bytesOf(b)
	var r [2]uint64
	for i := 0; i < 4; i++ {
		var s int32
		for j := 4 * i; j < 4*i+4; j++ {
			s += int32(x[j]) * int32(y[j])
		}
		acc := c.Lo
		if i >= 2 {
			acc = c.Hi
		}
		s += int32(uint32(acc >> (32 * (i % 2))))
		r[i/2] |= uint64(uint32(s)) << (32 * (i % 2))
	}
	return V128{r[0], r[1]}
}
