package numeric

import "math"

// Range limits for float-to-integer truncation. An operand converts when
// lo < x < hi (exclusive bounds) or lo <= x < hi (inclusive lower bound, used
// where the integer minimum is itself representable and the next float below
// it truncates out of range). All bounds are exact powers of two or exact
// integers in the float type used.
const (
	twoTo31 = 2147483648.0
	twoTo32 = 4294967296.0
	twoTo63 = 9223372036854775808.0
	twoTo64 = 18446744073709551616.0
)

// I32TruncF32S is i32.trunc_f32_s.
func I32TruncF32S(x uint32) (uint32, Trap) {
	f := math.Float32frombits(x)
	if f >= -twoTo31 && f < twoTo31 {
		return uint32(int32(f)), TrapNone
	}
	return 0, f32TruncTrap(f)
}

// I32TruncF32U is i32.trunc_f32_u.
func I32TruncF32U(x uint32) (uint32, Trap) {
	f := math.Float32frombits(x)
	if f > -1 && f < twoTo32 {
		return uint32(int64(f)), TrapNone
	}
	return 0, f32TruncTrap(f)
}

// I32TruncF64S is i32.trunc_f64_s.
func I32TruncF64S(x uint64) (uint32, Trap) {
	f := math.Float64frombits(x)
	if f > -twoTo31-1 && f < twoTo31 {
		return uint32(int32(f)), TrapNone
	}
	return 0, f64TruncTrap(f)
}

// I32TruncF64U is i32.trunc_f64_u.
func I32TruncF64U(x uint64) (uint32, Trap) {
	f := math.Float64frombits(x)
	if f > -1 && f < twoTo32 {
		return uint32(int64(f)), TrapNone
	}
	return 0, f64TruncTrap(f)
}

// I64TruncF32S is i64.trunc_f32_s.
func I64TruncF32S(x uint32) (uint64, Trap) {
	f := math.Float32frombits(x)
	if f >= -twoTo63 && f < twoTo63 {
		return uint64(int64(f)), TrapNone
	}
	return 0, f32TruncTrap(f)
}

// I64TruncF32U is i64.trunc_f32_u.
func I64TruncF32U(x uint32) (uint64, Trap) {
	f := math.Float32frombits(x)
	if f > -1 && f < twoTo64 {
		return truncU64(float64(f)), TrapNone
	}
	return 0, f32TruncTrap(f)
}

// I64TruncF64S is i64.trunc_f64_s.
func I64TruncF64S(x uint64) (uint64, Trap) {
	f := math.Float64frombits(x)
	if f >= -twoTo63 && f < twoTo63 {
		return uint64(int64(f)), TrapNone
	}
	return 0, f64TruncTrap(f)
}

// I64TruncF64U is i64.trunc_f64_u.
func I64TruncF64U(x uint64) (uint64, Trap) {
	f := math.Float64frombits(x)
	if f > -1 && f < twoTo64 {
		return truncU64(f), TrapNone
	}
	return 0, f64TruncTrap(f)
}

// truncU64 truncates f, which must satisfy -1 < f < 2^64, without relying on
// Go's implementation-specific conversion of values at or above 2^63.
func truncU64(f float64) uint64 {
	if f < twoTo63 {
		return uint64(int64(f))
	}
	return uint64(int64(f-twoTo63)) | 1<<63
}

// f32TruncTrap classifies an operand outside the convertible range.
func f32TruncTrap(f float32) Trap {
	if f != f {
		return TrapInvalidConversionToInteger
	}
	return TrapIntegerOverflow
}

func f64TruncTrap(f float64) Trap {
	if f != f {
		return TrapInvalidConversionToInteger
	}
	return TrapIntegerOverflow
}

// I32TruncSatF32S is i32.trunc_sat_f32_s: NaN gives 0, out-of-range values
// saturate to the integer bounds.
func I32TruncSatF32S(x uint32) uint32 {
	f := math.Float32frombits(x)
	switch {
	case f >= -twoTo31 && f < twoTo31:
		return uint32(int32(f))
	case f < 0:
		return 1 << 31 // INT32_MIN
	case f > 0:
		return math.MaxInt32
	}
	return 0
}

// I32TruncSatF32U is i32.trunc_sat_f32_u.
func I32TruncSatF32U(x uint32) uint32 {
	f := math.Float32frombits(x)
	switch {
	case f > -1 && f < twoTo32:
		return uint32(int64(f))
	case f > 0:
		return math.MaxUint32
	}
	return 0
}

// I32TruncSatF64S is i32.trunc_sat_f64_s.
func I32TruncSatF64S(x uint64) uint32 {
	f := math.Float64frombits(x)
	switch {
	case f > -twoTo31-1 && f < twoTo31:
		return uint32(int32(f))
	case f < 0:
		return 1 << 31
	case f > 0:
		return math.MaxInt32
	}
	return 0
}

// I32TruncSatF64U is i32.trunc_sat_f64_u.
func I32TruncSatF64U(x uint64) uint32 {
	f := math.Float64frombits(x)
	switch {
	case f > -1 && f < twoTo32:
		return uint32(int64(f))
	case f > 0:
		return math.MaxUint32
	}
	return 0
}

// I64TruncSatF32S is i64.trunc_sat_f32_s.
func I64TruncSatF32S(x uint32) uint64 {
	f := math.Float32frombits(x)
	switch {
	case f >= -twoTo63 && f < twoTo63:
		return uint64(int64(f))
	case f < 0:
		return 1 << 63 // INT64_MIN
	case f > 0:
		return math.MaxInt64
	}
	return 0
}

// I64TruncSatF32U is i64.trunc_sat_f32_u.
func I64TruncSatF32U(x uint32) uint64 {
	f := math.Float32frombits(x)
	switch {
	case f > -1 && f < twoTo64:
		return truncU64(float64(f))
	case f > 0:
		return math.MaxUint64
	}
	return 0
}

// I64TruncSatF64S is i64.trunc_sat_f64_s.
func I64TruncSatF64S(x uint64) uint64 {
	f := math.Float64frombits(x)
	switch {
	case f >= -twoTo63 && f < twoTo63:
		return uint64(int64(f))
	case f < 0:
		return 1 << 63
	case f > 0:
		return math.MaxInt64
	}
	return 0
}

// I64TruncSatF64U is i64.trunc_sat_f64_u.
func I64TruncSatF64U(x uint64) uint64 {
	f := math.Float64frombits(x)
	switch {
	case f > -1 && f < twoTo64:
		return truncU64(f)
	case f > 0:
		return math.MaxUint64
	}
	return 0
}
