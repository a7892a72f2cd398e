package numeric

import (
	"math"
	"testing"
)

// f32Lane and f64Lane wrap a float reference into lane references that
// apply the spec's NaN rules: a NaN result must be canonical when every NaN
// operand is canonical and arithmetic otherwise.
func f32Lane2(op func(x, y float32) float32) func(x, y uint64) uint64 {
	return func(x, y uint64) uint64 {
		r := op(math.Float32frombits(uint32(x)), math.Float32frombits(uint32(y)))
		if r != r {
			return uint64(nanClass32(uint32(x), uint32(y)))
		}
		return uint64(math.Float32bits(r))
	}
}

func f64Lane2(op func(x, y float64) float64) func(x, y uint64) uint64 {
	return func(x, y uint64) uint64 {
		r := op(math.Float64frombits(x), math.Float64frombits(y))
		if r != r {
			return nanClass64(x, y)
		}
		return math.Float64bits(r)
	}
}

func f32Lane1(op func(x float64) float64) func(x uint64) uint64 {
	return func(x uint64) uint64 {
		r := float32(op(float64(math.Float32frombits(uint32(x)))))
		if r != r {
			return uint64(nanClass32(uint32(x)))
		}
		return uint64(math.Float32bits(r))
	}
}

func f64Lane1(op func(x float64) float64) func(x uint64) uint64 {
	return func(x uint64) uint64 {
		r := op(math.Float64frombits(x))
		if r != r {
			return nanClass64(x)
		}
		return math.Float64bits(r)
	}
}

func f32Cmp(op func(x, y float32) bool) func(x, y uint64) uint64 {
	return func(x, y uint64) uint64 {
		return b2m(op(math.Float32frombits(uint32(x)), math.Float32frombits(uint32(y))))
	}
}

func f64Cmp(op func(x, y float64) bool) func(x, y uint64) uint64 {
	return func(x, y uint64) uint64 { return b2m(op(math.Float64frombits(x), math.Float64frombits(y))) }
}

func TestFloatBinaryLanes(t *testing.T) {
	// math.Min and math.Max order -0 below +0 like WebAssembly, but prefer an
	// infinity to a NaN, so NaN operands are handled first.
	nanFirst := func(f func(x, y float64) float64) func(x, y float64) float64 {
		return func(x, y float64) float64 {
			if x != x || y != y {
				return math.NaN()
			}
			return f(x, y)
		}
	}
	min64, max64 := nanFirst(math.Min), nanFirst(math.Max)
	min32 := func(x, y float32) float32 { return float32(min64(float64(x), float64(y))) }
	max32 := func(x, y float32) float32 { return float32(max64(float64(x), float64(y))) }
	// pmin and pmax return an operand bit for bit, NaNs included.
	pmin := func(lt func(x, y uint64) bool) func(x, y uint64) uint64 {
		return func(x, y uint64) uint64 {
			if lt(y, x) {
				return y
			}
			return x
		}
	}
	pmax := func(lt func(x, y uint64) bool) func(x, y uint64) uint64 {
		return func(x, y uint64) uint64 {
			if lt(x, y) {
				return y
			}
			return x
		}
	}
	lt32 := func(x, y uint64) bool { return math.Float32frombits(uint32(x)) < math.Float32frombits(uint32(y)) }
	lt64 := func(x, y uint64) bool { return math.Float64frombits(x) < math.Float64frombits(y) }
	runBinary(t, []binCase{
		{"f32x4.add", 32, true, F32x4Add, f32Lane2(func(x, y float32) float32 { return x + y })},
		{"f32x4.sub", 32, true, F32x4Sub, f32Lane2(func(x, y float32) float32 { return x - y })},
		{"f32x4.mul", 32, true, F32x4Mul, f32Lane2(func(x, y float32) float32 { return x * y })},
		{"f32x4.div", 32, true, F32x4Div, f32Lane2(func(x, y float32) float32 { return x / y })},
		{"f32x4.min", 32, true, F32x4Min, f32Lane2(min32)},
		{"f32x4.max", 32, true, F32x4Max, f32Lane2(max32)},
		{"f32x4.pmin", 32, false, F32x4Pmin, pmin(lt32)},
		{"f32x4.pmax", 32, false, F32x4Pmax, pmax(lt32)},
		{"f32x4.eq", 32, false, F32x4Eq, f32Cmp(func(x, y float32) bool { return x == y })},
		{"f32x4.ne", 32, false, F32x4Ne, f32Cmp(func(x, y float32) bool { return x != y })},
		{"f32x4.lt", 32, false, F32x4Lt, f32Cmp(func(x, y float32) bool { return x < y })},
		{"f32x4.gt", 32, false, F32x4Gt, f32Cmp(func(x, y float32) bool { return x > y })},
		{"f32x4.le", 32, false, F32x4Le, f32Cmp(func(x, y float32) bool { return x <= y })},
		{"f32x4.ge", 32, false, F32x4Ge, f32Cmp(func(x, y float32) bool { return x >= y })},
		{"f64x2.add", 64, true, F64x2Add, f64Lane2(func(x, y float64) float64 { return x + y })},
		{"f64x2.sub", 64, true, F64x2Sub, f64Lane2(func(x, y float64) float64 { return x - y })},
		{"f64x2.mul", 64, true, F64x2Mul, f64Lane2(func(x, y float64) float64 { return x * y })},
		{"f64x2.div", 64, true, F64x2Div, f64Lane2(func(x, y float64) float64 { return x / y })},
		{"f64x2.min", 64, true, F64x2Min, f64Lane2(min64)},
		{"f64x2.max", 64, true, F64x2Max, f64Lane2(max64)},
		{"f64x2.pmin", 64, false, F64x2Pmin, pmin(lt64)},
		{"f64x2.pmax", 64, false, F64x2Pmax, pmax(lt64)},
		{"f64x2.eq", 64, false, F64x2Eq, f64Cmp(func(x, y float64) bool { return x == y })},
		{"f64x2.ne", 64, false, F64x2Ne, f64Cmp(func(x, y float64) bool { return x != y })},
		{"f64x2.lt", 64, false, F64x2Lt, f64Cmp(func(x, y float64) bool { return x < y })},
		{"f64x2.gt", 64, false, F64x2Gt, f64Cmp(func(x, y float64) bool { return x > y })},
		{"f64x2.le", 64, false, F64x2Le, f64Cmp(func(x, y float64) bool { return x <= y })},
		{"f64x2.ge", 64, false, F64x2Ge, f64Cmp(func(x, y float64) bool { return x >= y })},
	})
}

func TestFloatUnaryLanes(t *testing.T) {
	runUnary(t, []unCase{
		{"f32x4.abs", 32, false, F32x4Abs, func(x uint64) uint64 { return x &^ (1 << 31) }},
		{"f32x4.neg", 32, false, F32x4Neg, func(x uint64) uint64 { return x ^ 1<<31 }},
		{"f32x4.sqrt", 32, true, F32x4Sqrt, f32Lane1(math.Sqrt)},
		{"f32x4.ceil", 32, true, F32x4Ceil, f32Lane1(math.Ceil)},
		{"f32x4.floor", 32, true, F32x4Floor, f32Lane1(math.Floor)},
		{"f32x4.trunc", 32, true, F32x4Trunc, f32Lane1(math.Trunc)},
		{"f32x4.nearest", 32, true, F32x4Nearest, f32Lane1(math.RoundToEven)},
		{"f64x2.abs", 64, false, F64x2Abs, func(x uint64) uint64 { return x &^ (1 << 63) }},
		{"f64x2.neg", 64, false, F64x2Neg, func(x uint64) uint64 { return x ^ 1<<63 }},
		{"f64x2.sqrt", 64, true, F64x2Sqrt, f64Lane1(math.Sqrt)},
		{"f64x2.ceil", 64, true, F64x2Ceil, f64Lane1(math.Ceil)},
		{"f64x2.floor", 64, true, F64x2Floor, f64Lane1(math.Floor)},
		{"f64x2.trunc", 64, true, F64x2Trunc, f64Lane1(math.Trunc)},
		{"f64x2.nearest", 64, true, F64x2Nearest, f64Lane1(math.RoundToEven)},
	})
}

// TestPminPmaxZeros pins the cases where pmin/pmax differ from min/max.
func TestPminPmaxZeros(t *testing.T) {
	pz, nz := I32x4Splat(0), I32x4Splat(negZ32)
	nan := I32x4Splat(sNaN32)
	one := F32x4Splat(f32(1))
	tests := []struct {
		name      string
		got, want V128
	}{
		{"pmin(+0, -0)", F32x4Pmin(pz, nz), pz},
		{"pmin(-0, +0)", F32x4Pmin(nz, pz), nz},
		{"pmax(+0, -0)", F32x4Pmax(pz, nz), pz},
		{"pmin(NaN, 1)", F32x4Pmin(nan, one), nan},
		{"pmin(1, NaN)", F32x4Pmin(one, nan), one},
		{"pmax(NaN, 1)", F32x4Pmax(nan, one), nan},
		{"pmax(1, NaN)", F32x4Pmax(one, nan), one},
		{"f64 pmin(1, NaN)", F64x2Pmin(F64x2Splat(f64(1)), F64x2Splat(sNaN64)), F64x2Splat(f64(1))},
		{"f64 pmax(NaN, 1)", F64x2Pmax(F64x2Splat(sNaN64), F64x2Splat(f64(1))), F64x2Splat(sNaN64)},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}
