package numeric

import "math"

// Lane-wise float operations. Arithmetic uses Go's IEEE operators (a NaN
// result is then whatever NaN the hardware produces, which is always a
// canonical or arithmetic NaN as the spec allows); min, max, sqrt and the
// rounding operations reuse the scalar functions, so lanes and scalars agree
// bit for bit.

const (
	f32x4SignMask = 0x8000000080000000
)

// F32x4Add is f32x4.add.
func F32x4Add(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return math.Float32bits(math.Float32frombits(x) + math.Float32frombits(y))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F64x2Add is f64x2.add.
func F64x2Add(a, b V128) V128 {
	return V128{
		math.Float64bits(math.Float64frombits(a.Lo) + math.Float64frombits(b.Lo)),
		math.Float64bits(math.Float64frombits(a.Hi) + math.Float64frombits(b.Hi)),
	}
}

// F32x4Sub is f32x4.sub.
func F32x4Sub(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return math.Float32bits(math.Float32frombits(x) - math.Float32frombits(y))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F64x2Sub is f64x2.sub.
func F64x2Sub(a, b V128) V128 {
	return V128{
		math.Float64bits(math.Float64frombits(a.Lo) - math.Float64frombits(b.Lo)),
		math.Float64bits(math.Float64frombits(a.Hi) - math.Float64frombits(b.Hi)),
	}
}

// F32x4Mul is f32x4.mul.
func F32x4Mul(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return math.Float32bits(math.Float32frombits(x) * math.Float32frombits(y))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F64x2Mul is f64x2.mul.
func F64x2Mul(a, b V128) V128 {
	return V128{
		math.Float64bits(math.Float64frombits(a.Lo) * math.Float64frombits(b.Lo)),
		math.Float64bits(math.Float64frombits(a.Hi) * math.Float64frombits(b.Hi)),
	}
}

// F32x4Div is f32x4.div.
func F32x4Div(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		return math.Float32bits(math.Float32frombits(x) / math.Float32frombits(y))
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F64x2Div is f64x2.div.
func F64x2Div(a, b V128) V128 {
	return V128{
		math.Float64bits(math.Float64frombits(a.Lo) / math.Float64frombits(b.Lo)),
		math.Float64bits(math.Float64frombits(a.Hi) / math.Float64frombits(b.Hi)),
	}
}

// F32x4Min is f32x4.min (NaN-propagating, -0 < +0).
func F32x4Min(a, b V128) V128 { return V128{zip32(a.Lo, b.Lo, F32Min), zip32(a.Hi, b.Hi, F32Min)} }

// F64x2Min is f64x2.min.
func F64x2Min(a, b V128) V128 { return V128{F64Min(a.Lo, b.Lo), F64Min(a.Hi, b.Hi)} }

// F32x4Max is f32x4.max (NaN-propagating, -0 < +0).
func F32x4Max(a, b V128) V128 { return V128{zip32(a.Lo, b.Lo, F32Max), zip32(a.Hi, b.Hi, F32Max)} }

// F64x2Max is f64x2.max.
func F64x2Max(a, b V128) V128 { return V128{F64Max(a.Lo, b.Lo), F64Max(a.Hi, b.Hi)} }

// F32x4Pmin is f32x4.pmin: b < a ? b : a, returning an operand unchanged
// (so pmin(NaN, x) = NaN and pmin(x, NaN) = x, and zeros compare equal).
func F32x4Pmin(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if math.Float32frombits(y) < math.Float32frombits(x) {
			return y
		}
		return x
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// F32x4Pmax is f32x4.pmax: a < b ? b : a.
func F32x4Pmax(a, b V128) V128 {
	f := func(x, y uint32) uint32 {
		if math.Float32frombits(x) < math.Float32frombits(y) {
			return y
		}
		return x
	}
	return V128{zip32(a.Lo, b.Lo, f), zip32(a.Hi, b.Hi, f)}
}

// pmin64 is the pseudo-minimum of one f64 lane.
func pmin64(x, y uint64) uint64 {
	if math.Float64frombits(y) < math.Float64frombits(x) {
		return y
	}
	return x
}

// pmax64 is the pseudo-maximum of one f64 lane.
func pmax64(x, y uint64) uint64 {
	if math.Float64frombits(x) < math.Float64frombits(y) {
		return y
	}
	return x
}

// F64x2Pmin is f64x2.pmin: b < a ? b : a.
func F64x2Pmin(a, b V128) V128 { return V128{pmin64(a.Lo, b.Lo), pmin64(a.Hi, b.Hi)} }

// F64x2Pmax is f64x2.pmax: a < b ? b : a.
func F64x2Pmax(a, b V128) V128 { return V128{pmax64(a.Lo, b.Lo), pmax64(a.Hi, b.Hi)} }

// F32x4Abs is f32x4.abs: clears every lane's sign bit.
func F32x4Abs(a V128) V128 { return V128{a.Lo &^ f32x4SignMask, a.Hi &^ f32x4SignMask} }

// F32x4Neg is f32x4.neg: flips every lane's sign bit.
func F32x4Neg(a V128) V128 { return V128{a.Lo ^ f32x4SignMask, a.Hi ^ f32x4SignMask} }

// F64x2Abs is f64x2.abs.
func F64x2Abs(a V128) V128 { return V128{a.Lo &^ f64SignBit, a.Hi &^ f64SignBit} }

// F64x2Neg is f64x2.neg.
func F64x2Neg(a V128) V128 { return V128{a.Lo ^ f64SignBit, a.Hi ^ f64SignBit} }

// F32x4Sqrt is f32x4.sqrt.
func F32x4Sqrt(a V128) V128 { return V128{map32(a.Lo, F32Sqrt), map32(a.Hi, F32Sqrt)} }

// F64x2Sqrt is f64x2.sqrt.
func F64x2Sqrt(a V128) V128 { return V128{F64Sqrt(a.Lo), F64Sqrt(a.Hi)} }

// F32x4Ceil is f32x4.ceil.
func F32x4Ceil(a V128) V128 { return V128{map32(a.Lo, F32Ceil), map32(a.Hi, F32Ceil)} }

// F64x2Ceil is f64x2.ceil.
func F64x2Ceil(a V128) V128 { return V128{F64Ceil(a.Lo), F64Ceil(a.Hi)} }

// F32x4Floor is f32x4.floor.
func F32x4Floor(a V128) V128 { return V128{map32(a.Lo, F32Floor), map32(a.Hi, F32Floor)} }

// F64x2Floor is f64x2.floor.
func F64x2Floor(a V128) V128 { return V128{F64Floor(a.Lo), F64Floor(a.Hi)} }

// F32x4Trunc is f32x4.trunc.
func F32x4Trunc(a V128) V128 { return V128{map32(a.Lo, F32Trunc), map32(a.Hi, F32Trunc)} }

// F64x2Trunc is f64x2.trunc.
func F64x2Trunc(a V128) V128 { return V128{F64Trunc(a.Lo), F64Trunc(a.Hi)} }

// F32x4Nearest is f32x4.nearest.
func F32x4Nearest(a V128) V128 { return V128{map32(a.Lo, F32Nearest), map32(a.Hi, F32Nearest)} }

// F64x2Nearest is f64x2.nearest.
func F64x2Nearest(a V128) V128 { return V128{F64Nearest(a.Lo), F64Nearest(a.Hi)} }
