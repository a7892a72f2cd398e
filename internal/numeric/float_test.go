package numeric

import (
	"math"
	"math/big"
	"math/rand"
	"testing"
)

func TestF32MinMaxTable(t *testing.T) {
	tests := []struct{ a, b, min, max uint32 }{
		{f32(1), f32(2), f32(1), f32(2)},
		{f32(2), f32(1), f32(1), f32(2)},
		{0, negZ32, negZ32, 0},
		{negZ32, 0, negZ32, 0},
		{negZ32, negZ32, negZ32, negZ32},
		{inf32 | negZ32, inf32, inf32 | negZ32, inf32},
		{canonNaN32, f32(1), canonNaN32, canonNaN32},
		{f32(1), canonNaN32 | negZ32, canonNaN32, canonNaN32},
		{sNaN32, f32(1), arithNaN32, arithNaN32},
		{f32(1), sNaN32, arithNaN32, arithNaN32},
		{canonNaN32, sNaN32, arithNaN32, arithNaN32},
		{0x7fc00123, inf32, arithNaN32, arithNaN32},
	}
	for _, tt := range tests {
		if got := F32Min(tt.a, tt.b); !match32(got, tt.min) {
			t.Errorf("F32Min(%#x, %#x) = %#x, want %#x", tt.a, tt.b, got, tt.min)
		}
		if got := F32Max(tt.a, tt.b); !match32(got, tt.max) {
			t.Errorf("F32Max(%#x, %#x) = %#x, want %#x", tt.a, tt.b, got, tt.max)
		}
	}
}

func TestF64MinMaxTable(t *testing.T) {
	tests := []struct{ a, b, min, max uint64 }{
		{f64(1), f64(2), f64(1), f64(2)},
		{0, negZ64, negZ64, 0},
		{negZ64, 0, negZ64, 0},
		{inf64 | negZ64, inf64, inf64 | negZ64, inf64},
		{canonNaN64, f64(1), canonNaN64, canonNaN64},
		{f64(1), canonNaN64 | negZ64, canonNaN64, canonNaN64},
		{sNaN64, f64(1), arithNaN64, arithNaN64},
		{f64(1), sNaN64, arithNaN64, arithNaN64},
		{canonNaN64, sNaN64, arithNaN64, arithNaN64},
	}
	for _, tt := range tests {
		if got := F64Min(tt.a, tt.b); !match64(got, tt.min) {
			t.Errorf("F64Min(%#x, %#x) = %#x, want %#x", tt.a, tt.b, got, tt.min)
		}
		if got := F64Max(tt.a, tt.b); !match64(got, tt.max) {
			t.Errorf("F64Max(%#x, %#x) = %#x, want %#x", tt.a, tt.b, got, tt.max)
		}
	}
}

// TestMinMaxProperty checks every pair of interesting values against math.Min
// and math.Max, which order -0 below +0 as WebAssembly does.
func TestMinMaxProperty(t *testing.T) {
	r := rand.New(rand.NewSource(1))
	v32 := interesting32(r, 40)
	for _, a := range v32 {
		for _, b := range v32 {
			x, y := float64(math.Float32frombits(a)), float64(math.Float32frombits(b))
			wantMin, wantMax := f32(float32(math.Min(x, y))), f32(float32(math.Max(x, y)))
			if F32IsNaN(a) || F32IsNaN(b) {
				wantMin, wantMax = nanClass32(a, b), nanClass32(a, b)
			}
			if got := F32Min(a, b); !match32(got, wantMin) {
				t.Fatalf("F32Min(%#x, %#x) = %#x, want %#x", a, b, got, wantMin)
			}
			if got := F32Max(a, b); !match32(got, wantMax) {
				t.Fatalf("F32Max(%#x, %#x) = %#x, want %#x", a, b, got, wantMax)
			}
		}
	}
	v64 := interesting64(r, 40)
	for _, a := range v64 {
		for _, b := range v64 {
			x, y := math.Float64frombits(a), math.Float64frombits(b)
			wantMin, wantMax := f64(math.Min(x, y)), f64(math.Max(x, y))
			if F64IsNaN(a) || F64IsNaN(b) {
				wantMin, wantMax = nanClass64(a, b), nanClass64(a, b)
			}
			if got := F64Min(a, b); !match64(got, wantMin) {
				t.Fatalf("F64Min(%#x, %#x) = %#x, want %#x", a, b, got, wantMin)
			}
			if got := F64Max(a, b); !match64(got, wantMax) {
				t.Fatalf("F64Max(%#x, %#x) = %#x, want %#x", a, b, got, wantMax)
			}
		}
	}
}

func TestSignOps(t *testing.T) {
	tests := []struct{ x, abs, neg uint32 }{
		{f32(1.5), f32(1.5), f32(-1.5)},
		{0, 0, negZ32},
		{negZ32, 0, 0},
		{sNaN32, sNaN32, sNaN32 | negZ32},
		{0xffc00001, 0x7fc00001, 0x7fc00001},
	}
	for _, tt := range tests {
		if got := F32Abs(tt.x); got != tt.abs {
			t.Errorf("F32Abs(%#x) = %#x, want %#x", tt.x, got, tt.abs)
		}
		if got := F32Neg(tt.x); got != tt.neg {
			t.Errorf("F32Neg(%#x) = %#x, want %#x", tt.x, got, tt.neg)
		}
		if got := F64Abs(widen32Bits(tt.x)); got != widen32Bits(tt.abs) {
			t.Errorf("F64Abs(%#x) = %#x", widen32Bits(tt.x), got)
		}
		if got := F64Neg(widen32Bits(tt.x)); got != widen32Bits(tt.neg) {
			t.Errorf("F64Neg(%#x) = %#x", widen32Bits(tt.x), got)
		}
	}
	if got := F32Copysign(sNaN32, negZ32); got != sNaN32|negZ32 {
		t.Errorf("F32Copysign(sNaN, -0) = %#x", got)
	}
	if got := F32Copysign(f32(-2), f32(3)); got != f32(2) {
		t.Errorf("F32Copysign(-2, 3) = %#x", got)
	}
	if got := F64Copysign(sNaN64|negZ64, 0); got != sNaN64 {
		t.Errorf("F64Copysign(-sNaN, 0) = %#x", got)
	}
	if got := F64Copysign(f64(2), negZ64); got != f64(-2) {
		t.Errorf("F64Copysign(2, -0) = %#x", got)
	}
}

// widen32Bits widens an f32 bit pattern field by field (sign, exponent
// all-ones or not, payload) for sign-operation tests; only used on patterns
// whose exponent is zero, all-ones, or that of 1.5.
func widen32Bits(x uint32) uint64 {
	if x&f32ExpMask == f32ExpMask {
		return uint64(x&f32SignBit)<<32 | f64ExpMask | uint64(x&0x7fffff)<<29
	}
	return f64(float64(math.Float32frombits(x)))
}

func TestRoundingTable(t *testing.T) {
	type row struct{ x, ceil, floor, trunc, nearest uint32 }
	tests := []row{
		{f32(0.5), f32(1), 0, 0, 0},
		{f32(-0.5), negZ32, f32(-1), negZ32, negZ32},
		{f32(1.5), f32(2), f32(1), f32(1), f32(2)},
		{f32(2.5), f32(3), f32(2), f32(2), f32(2)},
		{f32(-2.5), f32(-2), f32(-3), f32(-2), f32(-2)},
		{f32(-0.4), negZ32, f32(-1), negZ32, negZ32},
		{f32(0.49999997), f32(1), 0, 0, 0},
		{f32(8388607.5), f32(8388608), f32(8388607), f32(8388607), f32(8388608)},
		{f32(-8388607.5), f32(-8388607), f32(-8388608), f32(-8388607), f32(-8388608)},
		{f32(16777217), f32(16777217), f32(16777217), f32(16777217), f32(16777217)},
		{0x00000001, f32(1), 0, 0, 0},
		{negZ32, negZ32, negZ32, negZ32, negZ32},
		{inf32 | negZ32, inf32 | negZ32, inf32 | negZ32, inf32 | negZ32, inf32 | negZ32},
		{canonNaN32, canonNaN32, canonNaN32, canonNaN32, canonNaN32},
		{sNaN32 | negZ32, arithNaN32, arithNaN32, arithNaN32, arithNaN32},
	}
	for _, tt := range tests {
		for _, c := range []struct {
			name string
			f    func(uint32) uint32
			want uint32
		}{{"ceil", F32Ceil, tt.ceil}, {"floor", F32Floor, tt.floor}, {"trunc", F32Trunc, tt.trunc}, {"nearest", F32Nearest, tt.nearest}} {
			if got := c.f(tt.x); !match32(got, c.want) {
				t.Errorf("f32.%s(%#x) = %#x, want %#x", c.name, tt.x, got, c.want)
			}
		}
	}
	type row64 struct{ x, ceil, floor, trunc, nearest uint64 }
	tests64 := []row64{
		{f64(-0.5), negZ64, f64(-1), negZ64, negZ64},
		{f64(2.5), f64(3), f64(2), f64(2), f64(2)},
		{f64(3.5), f64(4), f64(3), f64(3), f64(4)},
		{f64(4503599627370495.5), f64(4503599627370496), f64(4503599627370495), f64(4503599627370495), f64(4503599627370496)},
		{f64(-4503599627370495.5), f64(-4503599627370495), f64(-4503599627370496), f64(-4503599627370495), f64(-4503599627370496)},
		{1, f64(1), 0, 0, 0},
		{inf64, inf64, inf64, inf64, inf64},
		{canonNaN64 | negZ64, canonNaN64, canonNaN64, canonNaN64, canonNaN64},
		{sNaN64, arithNaN64, arithNaN64, arithNaN64, arithNaN64},
	}
	for _, tt := range tests64 {
		for _, c := range []struct {
			name string
			f    func(uint64) uint64
			want uint64
		}{{"ceil", F64Ceil, tt.ceil}, {"floor", F64Floor, tt.floor}, {"trunc", F64Trunc, tt.trunc}, {"nearest", F64Nearest, tt.nearest}} {
			if got := c.f(tt.x); !match64(got, c.want) {
				t.Errorf("f64.%s(%#x) = %#x, want %#x", c.name, tt.x, got, c.want)
			}
		}
	}
}

// TestRoundingProperty checks the fast paths against the math package on
// every interesting value.
func TestRoundingProperty(t *testing.T) {
	r := rand.New(rand.NewSource(2))
	ref := []struct {
		name string
		f32  func(uint32) uint32
		f64  func(uint64) uint64
		math func(float64) float64
	}{
		{"ceil", F32Ceil, F64Ceil, math.Ceil},
		{"floor", F32Floor, F64Floor, math.Floor},
		{"trunc", F32Trunc, F64Trunc, math.Trunc},
		{"nearest", F32Nearest, F64Nearest, math.RoundToEven},
		{"sqrt", F32Sqrt, F64Sqrt, math.Sqrt},
	}
	for _, c := range ref {
		for _, x := range interesting32(r, 2000) {
			want := f32(float32(c.math(float64(math.Float32frombits(x)))))
			if F32IsNaN(x) {
				want = nanClass32(x)
			} else if F32IsNaN(want) {
				want = canonNaN32
			}
			if got := c.f32(x); !match32(got, want) {
				t.Fatalf("f32.%s(%#x) = %#x, want %#x", c.name, x, got, want)
			}
		}
		for _, x := range interesting64(r, 2000) {
			want := f64(c.math(math.Float64frombits(x)))
			if F64IsNaN(x) {
				want = nanClass64(x)
			} else if F64IsNaN(want) {
				want = canonNaN64
			}
			if got := c.f64(x); !match64(got, want) {
				t.Fatalf("f64.%s(%#x) = %#x, want %#x", c.name, x, got, want)
			}
		}
	}
}

// TestF32SqrtCorrectlyRounded compares against an arbitrary-precision square
// root rounded once to 24 bits.
func TestF32SqrtCorrectlyRounded(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 3000; i++ {
		x := r.Uint32() &^ f32SignBit
		if x >= inf32 {
			continue
		}
		z := new(big.Float).SetPrec(24).SetMode(big.ToNearestEven)
		z.Sqrt(new(big.Float).SetFloat64(float64(math.Float32frombits(x))))
		want, _ := z.Float32()
		if got := F32Sqrt(x); got != f32(want) {
			t.Fatalf("F32Sqrt(%#x) = %#x, want %#x", x, got, f32(want))
		}
	}
	if got := F32Sqrt(f32(-1)); !match32(got, canonNaN32) {
		t.Errorf("F32Sqrt(-1) = %#x, want canonical NaN", got)
	}
	if got := F64Sqrt(f64(-1)); !match64(got, canonNaN64) {
		t.Errorf("F64Sqrt(-1) = %#x, want canonical NaN", got)
	}
	if got := F32Sqrt(negZ32); got != negZ32 {
		t.Errorf("F32Sqrt(-0) = %#x, want -0", got)
	}
}
