package numeric

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

// roundRef rounds the exact integer v once to the given float precision.
func roundRef32(v *big.Int) uint32 {
	f, _ := new(big.Float).SetPrec(24).SetMode(big.ToNearestEven).SetInt(v).Float32()
	return f32(f)
}

func roundRef64(v *big.Int) uint64 {
	f, _ := new(big.Float).SetPrec(53).SetMode(big.ToNearestEven).SetInt(v).Float64()
	return f64(f)
}

// convertInputs returns 64-bit patterns that include ties and near-ties at
// both float precisions (which expose double rounding), the extremes, and
// random values of every magnitude.
func convertInputs(r *rand.Rand) []uint64 {
	s := []uint64{0, 1, math.MaxUint64, 1 << 63, 1<<63 - 1, 1<<63 + 1, 0x8000008000000001,
		0x8000008000000000, 0x8000018000000000, 0x0020000020000001, 0x0020000020000000,
		0xfffffe0000000000, 0xffffff0000000000, 0xffffff7fffffffff, 0x7fffff8000000000,
		0x7fffffbfffffffff, 0x00000000ffffffff, 0x0000000001000001, 0x0000000001000003,
		0x0020000000000001, 0x0020000000000003, 0xfffffffffffffc00, 0xfffffffffffffbff}
	for i := 0; i < 4000; i++ {
		v := r.Uint64() >> (r.Uint32() % 64)
		switch i % 4 {
		case 1: // a tie at 24-bit precision plus a sticky bit far below
			v |= 1
		case 2: // exactly a 24-bit tie
			n := 64 - uint(r.Intn(40))
			v = (r.Uint64()|1<<63)>>(64-n)&^(1<<(n-25)-1) | 1<<(n-26)
		case 3:
			v = -v
		}
		s = append(s, v)
	}
	return s
}

func TestIntToFloatProperty(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	for _, x := range convertInputs(r) {
		u := new(big.Int).SetUint64(x)
		s := big.NewInt(int64(x))
		u32, s32 := new(big.Int).SetUint64(uint64(uint32(x))), big.NewInt(int64(int32(x)))
		checks := []struct {
			name      string
			got, want uint64
		}{
			{"f32.convert_i64_u", uint64(F32ConvertI64U(x)), uint64(roundRef32(u))},
			{"f32.convert_i64_s", uint64(F32ConvertI64S(x)), uint64(roundRef32(s))},
			{"f64.convert_i64_u", F64ConvertI64U(x), roundRef64(u)},
			{"f64.convert_i64_s", F64ConvertI64S(x), roundRef64(s)},
			{"f32.convert_i32_u", uint64(F32ConvertI32U(uint32(x))), uint64(roundRef32(u32))},
			{"f32.convert_i32_s", uint64(F32ConvertI32S(uint32(x))), uint64(roundRef32(s32))},
			{"f64.convert_i32_u", F64ConvertI32U(uint32(x)), roundRef64(u32)},
			{"f64.convert_i32_s", F64ConvertI32S(uint32(x)), roundRef64(s32)},
		}
		for _, c := range checks {
			if c.got != c.want {
				t.Fatalf("%s(%#x) = %#x, want %#x", c.name, x, c.got, c.want)
			}
		}
	}
}

func TestDemotePromote(t *testing.T) {
	demote := []struct {
		x    uint64
		want uint32
	}{
		{f64(1.5), f32(1.5)},
		{negZ64, negZ32},
		{inf64 | negZ64, inf32 | negZ32},
		{f64(3.4028235677973366e38), inf32},                // rounds up past MaxFloat32
		{f64(3.4028235677973362e38), 0x7f7fffff},           // just below the halfway point
		{f64(1.401298464324817e-45), 1},                    // smallest subnormal
		{f64(7.006492321624085e-46), 0},                    // exactly half of it: ties to even
		{f64(7.006492321624087e-46), 1},                    // just above half
		{f64(-7.006492321624085e-46), negZ32},              // negative underflow
		{f64(1.0000000596046448), f32(1)},                  // 1 + 2^-24: tie to even
		{f64(1.0000001788139343), f32(1.0000002384185791)}, // 1 + 3*2^-24: tie to even (up)
		{canonNaN64, canonNaN32},
		{canonNaN64 | negZ64, canonNaN32},
		{sNaN64, arithNaN32},
		{0x7ff0000000000001, arithNaN32}, // payload only below the f32 width
	}
	for _, tt := range demote {
		if got := F32DemoteF64(tt.x); !match32(got, tt.want) {
			t.Errorf("F32DemoteF64(%#x) = %#x, want %#x", tt.x, got, tt.want)
		}
	}
	promote := []struct {
		x    uint32
		want uint64
	}{
		{f32(1.5), f64(1.5)},
		{negZ32, negZ64},
		{1, f64(1.401298464324817e-45)},
		{inf32, inf64},
		{canonNaN32, canonNaN64},
		{canonNaN32 | negZ32, canonNaN64},
		{sNaN32, arithNaN64},
		{0x7f800001, arithNaN64},
	}
	for _, tt := range promote {
		if got := F64PromoteF32(tt.x); !match64(got, tt.want) {
			t.Errorf("F64PromoteF32(%#x) = %#x, want %#x", tt.x, got, tt.want)
		}
	}
	// NaN sign and payload survive a round trip.
	if got := F32DemoteF64(F64PromoteF32(0xffa12345)); got != 0xffe12345 {
		t.Errorf("demote(promote(0xffa12345)) = %#x, want 0xffe12345", got)
	}
}
