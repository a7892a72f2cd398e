package numeric

import "math"

// Integer-to-float conversions round to nearest, ties to even, exactly once.
// Go's conversions compile to single correctly rounded instructions on the
// 64-bit targets (CVTSI2SS/SD, SCVTF/UCVTF; for uint64 on amd64 the compiler
// halves with a sticky bit, which is still a single rounding); the tests check
// every variant against math/big on the boundary cases.

// F32ConvertI32S is f32.convert_i32_s.
func F32ConvertI32S(x uint32) uint32 { return math.Float32bits(float32(int32(x))) }

// F32ConvertI32U is f32.convert_i32_u.
func F32ConvertI32U(x uint32) uint32 { return math.Float32bits(float32(x)) }

// F32ConvertI64S is f32.convert_i64_s.
func F32ConvertI64S(x uint64) uint32 { return math.Float32bits(float32(int64(x))) }

// F32ConvertI64U is f32.convert_i64_u.
func F32ConvertI64U(x uint64) uint32 { return math.Float32bits(float32(x)) }

// F64ConvertI32S is f64.convert_i32_s (always exact).
func F64ConvertI32S(x uint32) uint64 { return math.Float64bits(float64(int32(x))) }

// F64ConvertI32U is f64.convert_i32_u (always exact).
func F64ConvertI32U(x uint32) uint64 { return math.Float64bits(float64(x)) }

// F64ConvertI64S is f64.convert_i64_s.
func F64ConvertI64S(x uint64) uint64 { return math.Float64bits(float64(int64(x))) }

// F64ConvertI64U is f64.convert_i64_u.
func F64ConvertI64U(x uint64) uint64 { return math.Float64bits(float64(x)) }

// F32DemoteF64 is f32.demote_f64. A NaN keeps its sign and the top of its
// payload and gets the quiet bit, so a canonical NaN stays canonical.
func F32DemoteF64(x uint64) uint32 {
	if F64IsNaN(x) {
		return uint32(x>>32)&f32SignBit | F32CanonicalNaN | uint32(x>>29)&(f32QuietBit-1)
	}
	return math.Float32bits(float32(math.Float64frombits(x)))
}

// F64PromoteF32 is f64.promote_f32 (exact for numbers). A NaN keeps its sign
// and payload and gets the quiet bit.
func F64PromoteF32(x uint32) uint64 {
	if F32IsNaN(x) {
		return uint64(x&f32SignBit)<<32 | F64CanonicalNaN | uint64(x&(f32QuietBit-1))<<29
	}
	return math.Float64bits(float64(math.Float32frombits(x)))
}
