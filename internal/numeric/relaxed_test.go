package numeric

import (
	"math"
	"testing"
)

func i8x16(b ...int8) V128 {
	var v V128
	for i, x := range b {
		if i < 8 {
			v.Lo |= uint64(uint8(x)) << (8 * i)
		} else {
			v.Hi |= uint64(uint8(x)) << (8 * (i - 8))
		}
	}
	return v
}

func i16x8(h ...int16) V128 {
	var v V128
	for i, x := range h {
		if i < 4 {
			v.Lo |= uint64(uint16(x)) << (16 * i)
		} else {
			v.Hi |= uint64(uint16(x)) << (16 * (i - 4))
		}
	}
	return v
}

func i32x4(w ...int32) V128 {
	return V128{uint64(uint32(w[0])) | uint64(uint32(w[1]))<<32, uint64(uint32(w[2])) | uint64(uint32(w[3]))<<32}
}

func TestRelaxedDot(t *testing.T) {
	seq := i8x16(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15)
	if got, want := I16x8RelaxedDotI8x16I7x16S(seq, seq), i16x8(1, 13, 41, 85, 145, 221, 313, 421); got != want {
		t.Errorf("dot = %#v, want %#v", got, want)
	}
	if got, want := I32x4RelaxedDotI8x16I7x16AddS(seq, seq, i32x4(0, 1, 2, 3)), i32x4(14, 127, 368, 737); got != want {
		t.Errorf("dot add = %#v, want %#v", got, want)
	}
	a := i8x16(-128, -128, -128, -128, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0)
	b := i8x16(127, 127, 127, 127, 127, 127, 127, 127, 0, 0, 0, 0, 0, 0, 0, 0)
	if got, want := I32x4RelaxedDotI8x16I7x16AddS(a, b, i32x4(1, 2, 3, 4)), i32x4(-65023, 64518, 3, 4); got != want {
		t.Errorf("dot add extremes = %#v, want %#v", got, want)
	}
}

func TestRelaxedMaddIsUnfused(t *testing.T) {
	// x*x rounds to 1 in f64; the fused result would keep the tiny excess.
	x := 1 + math.Pow(2, -30)
	c := -1.0
	got := math.Float64frombits(F64x2RelaxedMadd(V128{math.Float64bits(x), 0}, V128{math.Float64bits(x), 0}, V128{math.Float64bits(c), 0}).Lo)
	if want := float64(x*x) + c; got != want {
		t.Errorf("madd = %g, want %g", got, want)
	}
	neg := math.Float64frombits(F64x2RelaxedNmadd(V128{math.Float64bits(2), 0}, V128{math.Float64bits(3), 0}, V128{math.Float64bits(10), 0}).Lo)
	if neg != 4 {
		t.Errorf("nmadd = %g, want 4", neg)
	}
}
