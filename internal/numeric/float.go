package numeric

import "math"

// Bit layout constants of binary32 and binary64.
const (
	f32SignBit  = 1 << 31
	f32ExpMask  = 0x7f800000
	f32QuietBit = 1 << 22
	// F32CanonicalNaN is the positive canonical f32 NaN.
	F32CanonicalNaN uint32 = 0x7fc00000

	f64SignBit  = 1 << 63
	f64ExpMask  = 0x7ff0000000000000
	f64QuietBit = 1 << 51
	// F64CanonicalNaN is the positive canonical f64 NaN.
	F64CanonicalNaN uint64 = 0x7ff8000000000000
)

// F32IsNaN reports whether the f32 bits x encode a NaN.
func F32IsNaN(x uint32) bool { return x&^f32SignBit > f32ExpMask }

// F64IsNaN reports whether the f64 bits x encode a NaN.
func F64IsNaN(x uint64) bool { return x&^f64SignBit > f64ExpMask }

// f32PickNaN returns the first NaN among a, b, quieted; at least one must be
// a NaN.
func f32PickNaN(a, b uint32) uint32 {
	if F32IsNaN(a) {
		return a | f32QuietBit
	}
	return b | f32QuietBit
}

func f64PickNaN(a, b uint64) uint64 {
	if F64IsNaN(a) {
		return a | f64QuietBit
	}
	return b | f64QuietBit
}

// F32Min is f32.min: a NaN operand gives a NaN, and -0 is less than +0.
func F32Min(a, b uint32) uint32 {
	x, y := math.Float32frombits(a), math.Float32frombits(b)
	switch {
	case x < y:
		return a
	case y < x:
		return b
	case x == y:
		return a | b // equal values, or zeros of either sign: prefer -0
	}
	return f32PickNaN(a, b)
}

// F32Max is f32.max: a NaN operand gives a NaN, and +0 is greater than -0.
func F32Max(a, b uint32) uint32 {
	x, y := math.Float32frombits(a), math.Float32frombits(b)
	switch {
	case x > y:
		return a
	case y > x:
		return b
	case x == y:
		return a & b // equal values, or zeros of either sign: prefer +0
	}
	return f32PickNaN(a, b)
}

// F64Min is f64.min.
func F64Min(a, b uint64) uint64 {
	x, y := math.Float64frombits(a), math.Float64frombits(b)
	switch {
	case x < y:
		return a
	case y < x:
		return b
	case x == y:
		return a | b
	}
	return f64PickNaN(a, b)
}

// F64Max is f64.max.
func F64Max(a, b uint64) uint64 {
	x, y := math.Float64frombits(a), math.Float64frombits(b)
	switch {
	case x > y:
		return a
	case y > x:
		return b
	case x == y:
		return a & b
	}
	return f64PickNaN(a, b)
}

// F32Abs is f32.abs: clears the sign bit, NaNs included.
func F32Abs(x uint32) uint32 { return x &^ f32SignBit }

// F32Neg is f32.neg: flips the sign bit, NaNs included.
func F32Neg(x uint32) uint32 { return x ^ f32SignBit }

// F32Copysign is f32.copysign: the magnitude of a with the sign of b.
func F32Copysign(a, b uint32) uint32 { return a&^f32SignBit | b&f32SignBit }

// F64Abs is f64.abs.
func F64Abs(x uint64) uint64 { return x &^ f64SignBit }

// F64Neg is f64.neg.
func F64Neg(x uint64) uint64 { return x ^ f64SignBit }

// F64Copysign is f64.copysign.
func F64Copysign(a, b uint64) uint64 { return a&^f64SignBit | b&f64SignBit }

// F32Sqrt is f32.sqrt. The square root of a negative number is a canonical
// NaN; a NaN operand is returned quieted.
func F32Sqrt(x uint32) uint32 {
	if F32IsNaN(x) {
		return x | f32QuietBit
	}
	// Rounding the exact double result to single precision is correctly
	// rounded (53 >= 2*24+2), and Go compiles this shape to SQRTSS/FSQRT.
	r := float32(math.Sqrt(float64(math.Float32frombits(x))))
	if r != r {
		return F32CanonicalNaN
	}
	return math.Float32bits(r)
}

// F64Sqrt is f64.sqrt.
func F64Sqrt(x uint64) uint64 {
	if F64IsNaN(x) {
		return x | f64QuietBit
	}
	r := math.Sqrt(math.Float64frombits(x))
	if r != r {
		return F64CanonicalNaN
	}
	return math.Float64bits(r)
}

// f32Integral reports whether f32 bits x already hold an integral value,
// an infinity or a NaN (|x| >= 2^23 or ±0), in which case rounding returns x
// (after quieting a NaN).
func f32Integral(x uint32) bool {
	return x&^f32SignBit >= 0x4b000000 || x&^f32SignBit == 0
}

func f64Integral(x uint64) bool {
	return x&^f64SignBit >= 0x4330000000000000 || x&^f64SignBit == 0
}

// f32Keep returns an operand that rounding leaves unchanged, quieting a NaN.
func f32Keep(x uint32) uint32 {
	if F32IsNaN(x) {
		x |= f32QuietBit
	}
	return x
}

func f64Keep(x uint64) uint64 {
	if F64IsNaN(x) {
		x |= f64QuietBit
	}
	return x
}

// The f32 rounding functions round in float64: every f32 is exact as a
// float64 and every integer below 2^24 is exact as a float32, so the result
// is the exactly rounded f32. ORing in the operand's sign keeps results that
// round to zero signed like the operand (ceil(-0.5) = -0), whatever the
// platform's rounding instruction does.

// F32Ceil is f32.ceil.
func F32Ceil(x uint32) uint32 {
	if f32Integral(x) {
		return f32Keep(x)
	}
	return math.Float32bits(float32(math.Ceil(float64(math.Float32frombits(x))))) | x&f32SignBit
}

// F64Ceil is f64.ceil.
func F64Ceil(x uint64) uint64 {
	if f64Integral(x) {
		return f64Keep(x)
	}
	return math.Float64bits(math.Ceil(math.Float64frombits(x))) | x&f64SignBit
}

// F32Floor is f32.floor.
func F32Floor(x uint32) uint32 {
	if f32Integral(x) {
		return f32Keep(x)
	}
	return math.Float32bits(float32(math.Floor(float64(math.Float32frombits(x))))) | x&f32SignBit
}

// F64Floor is f64.floor.
func F64Floor(x uint64) uint64 {
	if f64Integral(x) {
		return f64Keep(x)
	}
	return math.Float64bits(math.Floor(math.Float64frombits(x))) | x&f64SignBit
}

// F32Trunc is f32.trunc.
func F32Trunc(x uint32) uint32 {
	if f32Integral(x) {
		return f32Keep(x)
	}
	return math.Float32bits(float32(math.Trunc(float64(math.Float32frombits(x))))) | x&f32SignBit
}

// F64Trunc is f64.trunc.
func F64Trunc(x uint64) uint64 {
	if f64Integral(x) {
		return f64Keep(x)
	}
	return math.Float64bits(math.Trunc(math.Float64frombits(x))) | x&f64SignBit
}

// F32Nearest is f32.nearest: round to nearest, ties to even.
func F32Nearest(x uint32) uint32 {
	if f32Integral(x) {
		return f32Keep(x)
	}
	return math.Float32bits(float32(math.RoundToEven(float64(math.Float32frombits(x))))) | x&f32SignBit
}

// F64Nearest is f64.nearest: round to nearest, ties to even.
func F64Nearest(x uint64) uint64 {
	if f64Integral(x) {
		return f64Keep(x)
	}
	return math.Float64bits(math.RoundToEven(math.Float64frombits(x))) | x&f64SignBit
}
