package numeric

import (
	"math"
	"math/rand"
)

// NaN classes the spec distinguishes in expected results.
const (
	canonNaN32 uint32 = 0x7fc00000 // stands for "nan:canonical" in tables
	arithNaN32 uint32 = 0x7fc00001 // stands for "nan:arithmetic" in tables
	canonNaN64 uint64 = 0x7ff8000000000000
	arithNaN64 uint64 = 0x7ff8000000000001

	sNaN32 uint32 = 0x7fa00000 // signalling NaN with a payload
	sNaN64 uint64 = 0x7ff4000000000000
	negZ32 uint32 = 0x80000000
	negZ64 uint64 = 0x8000000000000000
	inf32  uint32 = 0x7f800000
	inf64  uint64 = 0x7ff0000000000000
)

func f32(f float32) uint32 { return math.Float32bits(f) }
func f64(f float64) uint64 { return math.Float64bits(f) }

// match32 reports whether got satisfies want, where canonNaN32/arithNaN32 in
// want stand for the spec's NaN classes (either sign).
func match32(got, want uint32) bool {
	switch want {
	case canonNaN32:
		return got&^f32SignBit == 0x7fc00000
	case arithNaN32:
		return F32IsNaN(got) && got&f32QuietBit != 0
	}
	return got == want
}

func match64(got, want uint64) bool {
	switch want {
	case canonNaN64:
		return got&^f64SignBit == 0x7ff8000000000000
	case arithNaN64:
		return F64IsNaN(got) && got&f64QuietBit != 0
	}
	return got == want
}

// nanClass32 returns the expected class of an operation with nans{ops} semantics.
func nanClass32(ops ...uint32) uint32 {
	for _, op := range ops {
		if F32IsNaN(op) && op&^f32SignBit != 0x7fc00000 {
			return arithNaN32
		}
	}
	return canonNaN32
}

func nanClass64(ops ...uint64) uint64 {
	for _, op := range ops {
		if F64IsNaN(op) && op&^f64SignBit != 0x7ff8000000000000 {
			return arithNaN64
		}
	}
	return canonNaN64
}

// interesting32 returns f32 bit patterns that stress edge cases, followed by
// n random ones (a mix of uniformly random bits and small numbers).
func interesting32(r *rand.Rand, n int) []uint32 {
	s := []uint32{0, negZ32, inf32, inf32 | negZ32, canonNaN32, canonNaN32 | negZ32,
		sNaN32, sNaN32 | negZ32, 0x7fffffff, 1, 0x80000001, 0x007fffff, 0x00800000,
		0x7f7fffff, 0xff7fffff, f32(0.5), f32(-0.5), f32(1.5), f32(-1.5), f32(2.5),
		f32(-2.5), f32(0.49999997), f32(8388607.5), f32(-8388607.5), f32(8388608),
		f32(16777216), f32(1), f32(-1), f32(-0.9), f32(2147483520), f32(2147483648),
		f32(-2147483648), f32(-2147483904), f32(4294967040), f32(4294967296),
		f32(9223371487098961920), f32(9223372036854775808), f32(-9223372036854775808),
		f32(-9223373136366403584), f32(18446742974197923840), f32(18446744073709551616)}
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			s = append(s, r.Uint32())
		} else {
			s = append(s, f32(float32(r.NormFloat64()*1e3)))
		}
	}
	return s
}

func interesting64(r *rand.Rand, n int) []uint64 {
	s := []uint64{0, negZ64, inf64, inf64 | negZ64, canonNaN64, canonNaN64 | negZ64,
		sNaN64, sNaN64 | negZ64, 0x7fffffffffffffff, 1, 0x8000000000000001,
		0x000fffffffffffff, 0x0010000000000000, 0x7fefffffffffffff, 0xffefffffffffffff,
		f64(0.5), f64(-0.5), f64(1.5), f64(-1.5), f64(2.5), f64(-2.5),
		f64(0.49999999999999994), f64(4503599627370495.5), f64(-4503599627370495.5),
		f64(4503599627370496), f64(1), f64(-1), f64(-0.9), f64(-0.99999999999999989),
		f64(2147483647), f64(2147483647.9), f64(2147483648), f64(-2147483648),
		f64(-2147483648.9), f64(-2147483649), f64(4294967295.9), f64(4294967296),
		f64(9223372036854774784), f64(9223372036854775808), f64(-9223372036854775808),
		f64(-9223372036854777856), f64(18446744073709549568), f64(18446744073709551616),
		f64(3.4028235677973366e38), f64(3.4028235677973362e38), f64(1.401298464324817e-45),
		f64(7.006492321624085e-46), f64(7.006492321624087e-46)}
	for i := 0; i < n; i++ {
		if i%2 == 0 {
			s = append(s, r.Uint64())
		} else {
			s = append(s, f64(r.NormFloat64()*1e6))
		}
	}
	return s
}
