package numeric

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// truncRef computes the spec result of truncating f to an integer of the
// given width and signedness: the trapping result and trap, and the
// saturating result, using exact big-number arithmetic.
func truncRef(f float64, width uint, signed bool) (val uint64, trap Trap, sat uint64) {
	lo, hi := new(big.Int), new(big.Int).Lsh(big.NewInt(1), width)
	if signed {
		lo.Neg(new(big.Int).Lsh(big.NewInt(1), width-1))
		hi.Lsh(big.NewInt(1), width-1)
	}
	hi.Sub(hi, big.NewInt(1))
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), width), big.NewInt(1))
	bits := func(v *big.Int) uint64 { return new(big.Int).And(v, mask).Uint64() }
	switch {
	case math.IsNaN(f):
		return 0, TrapInvalidConversionToInteger, 0
	case math.IsInf(f, 1):
		return 0, TrapIntegerOverflow, bits(hi)
	case math.IsInf(f, -1):
		return 0, TrapIntegerOverflow, bits(lo)
	}
	v, _ := new(big.Float).SetFloat64(f).Int(nil) // truncates toward zero
	switch {
	case v.Cmp(lo) < 0:
		return 0, TrapIntegerOverflow, bits(lo)
	case v.Cmp(hi) > 0:
		return 0, TrapIntegerOverflow, bits(hi)
	}
	return bits(v), TrapNone, bits(v)
}

func TestTruncateProperty(t *testing.T) {
	r := rand.New(rand.NewSource(4))
	type variant struct {
		name   string
		width  uint
		signed bool
		trap   func(uint64) (uint64, Trap)
		sat    func(uint64) uint64
	}
	from32 := []variant{
		{"i32.trunc_f32_s", 32, true, func(x uint64) (uint64, Trap) { v, t := I32TruncF32S(uint32(x)); return uint64(v), t }, func(x uint64) uint64 { return uint64(I32TruncSatF32S(uint32(x))) }},
		{"i32.trunc_f32_u", 32, false, func(x uint64) (uint64, Trap) { v, t := I32TruncF32U(uint32(x)); return uint64(v), t }, func(x uint64) uint64 { return uint64(I32TruncSatF32U(uint32(x))) }},
		{"i64.trunc_f32_s", 64, true, func(x uint64) (uint64, Trap) { return I64TruncF32S(uint32(x)) }, func(x uint64) uint64 { return I64TruncSatF32S(uint32(x)) }},
		{"i64.trunc_f32_u", 64, false, func(x uint64) (uint64, Trap) { return I64TruncF32U(uint32(x)) }, func(x uint64) uint64 { return I64TruncSatF32U(uint32(x)) }},
	}
	from64 := []variant{
		{"i32.trunc_f64_s", 32, true, func(x uint64) (uint64, Trap) { v, t := I32TruncF64S(x); return uint64(v), t }, func(x uint64) uint64 { return uint64(I32TruncSatF64S(x)) }},
		{"i32.trunc_f64_u", 32, false, func(x uint64) (uint64, Trap) { v, t := I32TruncF64U(x); return uint64(v), t }, func(x uint64) uint64 { return uint64(I32TruncSatF64U(x)) }},
		{"i64.trunc_f64_s", 64, true, I64TruncF64S, I64TruncSatF64S},
		{"i64.trunc_f64_u", 64, false, I64TruncF64U, I64TruncSatF64U},
	}
	check := func(v variant, x uint64, f float64) {
		wantVal, wantTrap, wantSat := truncRef(f, v.width, v.signed)
		if got, trap := v.trap(x); got != wantVal || trap != wantTrap {
			t.Fatalf("%s(%#x = %g) = %#x, %v; want %#x, %v", v.name, x, f, got, trap, wantVal, wantTrap)
		}
		if got := v.sat(x); got != wantSat {
			t.Fatalf("%s_sat(%#x = %g) = %#x, want %#x", v.name, x, f, got, wantSat)
		}
	}
	vals32 := interesting32(r, 3000)
	// Neighbours of every boundary value.
	for _, x := range vals32[:len(vals32)-3000] {
		vals32 = append(vals32, x+1, x-1)
	}
	for _, v := range from32 {
		for _, x := range vals32 {
			check(v, uint64(x), float64(math.Float32frombits(x)))
		}
	}
	vals64 := interesting64(r, 3000)
	for _, x := range vals64[:len(vals64)-3000] {
		vals64 = append(vals64, x+1, x-1)
	}
	for _, v := range from64 {
		for _, x := range vals64 {
			check(v, x, math.Float64frombits(x))
		}
	}
}

// TestTruncateTable pins the boundary cases the spec tests exercise.
func TestTruncateTable(t *testing.T) {
	type res struct {
		v    uint64
		trap Trap
	}
	w := func(v uint32, t Trap) res { return res{uint64(v), t} }
	tests := []struct {
		name string
		got  res
		want res
	}{
		{"i32.trunc_f32_s(-2^31)", w(I32TruncF32S(f32(-2147483648))), res{0x80000000, TrapNone}},
		{"i32.trunc_f32_s(2^31)", w(I32TruncF32S(f32(2147483648))), res{0, TrapIntegerOverflow}},
		{"i32.trunc_f32_s(nan)", w(I32TruncF32S(canonNaN32)), res{0, TrapInvalidConversionToInteger}},
		{"i32.trunc_f32_s(-nan)", w(I32TruncF32S(canonNaN32 | negZ32)), res{0, TrapInvalidConversionToInteger}},
		{"i32.trunc_f32_u(-0.9)", w(I32TruncF32U(f32(-0.9))), res{0, TrapNone}},
		{"i32.trunc_f32_u(-1)", w(I32TruncF32U(f32(-1))), res{0, TrapIntegerOverflow}},
		{"i32.trunc_f32_u(4294967040)", w(I32TruncF32U(f32(4294967040))), res{4294967040, TrapNone}},
		{"i32.trunc_f64_s(-2147483648.9)", w(I32TruncF64S(f64(-2147483648.9))), res{0x80000000, TrapNone}},
		{"i32.trunc_f64_s(-2147483649)", w(I32TruncF64S(f64(-2147483649))), res{0, TrapIntegerOverflow}},
		{"i32.trunc_f64_s(2147483647.9)", w(I32TruncF64S(f64(2147483647.9))), res{0x7fffffff, TrapNone}},
		{"i32.trunc_f64_u(4294967295.9)", w(I32TruncF64U(f64(4294967295.9))), res{0xffffffff, TrapNone}},
		{"i32.trunc_f64_u(inf)", w(I32TruncF64U(inf64)), res{0, TrapIntegerOverflow}},
	}
	r64 := func(v uint64, t Trap) res { return res{v, t} }
	tests = append(tests, []struct {
		name string
		got  res
		want res
	}{
		{"i64.trunc_f64_u(2^64-2048)", r64(I64TruncF64U(f64(18446744073709549568))), res{18446744073709549568, TrapNone}},
		{"i64.trunc_f64_u(2^63)", r64(I64TruncF64U(f64(9223372036854775808))), res{1 << 63, TrapNone}},
		{"i64.trunc_f64_u(2^64)", r64(I64TruncF64U(f64(18446744073709551616))), res{0, TrapIntegerOverflow}},
		{"i64.trunc_f64_s(-2^63)", r64(I64TruncF64S(f64(-9223372036854775808))), res{1 << 63, TrapNone}},
		{"i64.trunc_f64_s(2^63)", r64(I64TruncF64S(f64(9223372036854775808))), res{0, TrapIntegerOverflow}},
		{"i64.trunc_f32_u(2^64-2^40)", r64(I64TruncF32U(f32(18446742974197923840))), res{18446742974197923840, TrapNone}},
		{"i64.trunc_f32_s(-inf)", r64(I64TruncF32S(inf32 | negZ32)), res{0, TrapIntegerOverflow}},
		{"i64.trunc_f32_s(snan)", r64(I64TruncF32S(sNaN32)), res{0, TrapInvalidConversionToInteger}},
	}...)
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, %v; want %#x, %v", tt.name, tt.got.v, tt.got.trap, tt.want.v, tt.want.trap)
		}
	}
	sat := []struct {
		name      string
		got, want uint64
	}{
		{"i32.trunc_sat_f32_s(-inf)", uint64(I32TruncSatF32S(inf32 | negZ32)), 0x80000000},
		{"i32.trunc_sat_f32_s(nan)", uint64(I32TruncSatF32S(canonNaN32)), 0},
		{"i32.trunc_sat_f32_u(-inf)", uint64(I32TruncSatF32U(inf32 | negZ32)), 0},
		{"i32.trunc_sat_f32_u(inf)", uint64(I32TruncSatF32U(inf32)), 0xffffffff},
		{"i32.trunc_sat_f64_s(1e10)", uint64(I32TruncSatF64S(f64(1e10))), 0x7fffffff},
		{"i32.trunc_sat_f64_u(-nan)", uint64(I32TruncSatF64U(canonNaN64 | negZ64)), 0},
		{"i64.trunc_sat_f32_s(inf)", I64TruncSatF32S(inf32), 0x7fffffffffffffff},
		{"i64.trunc_sat_f32_u(-1)", I64TruncSatF32U(f32(-1)), 0},
		{"i64.trunc_sat_f64_s(-1e300)", I64TruncSatF64S(f64(-1e300)), 0x8000000000000000},
		{"i64.trunc_sat_f64_u(1e300)", I64TruncSatF64U(f64(1e300)), 0xffffffffffffffff},
	}
	for _, tt := range sat {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}
