package numeric

import "testing"

// TestSIMDEdgeCases pins the boundary results the specification calls out.
func TestSIMDEdgeCases(t *testing.T) {
	tests := []struct {
		name      string
		got, want V128
	}{
		{"q15mulr_sat_s(-32768, -32768)", I16x8Q15mulrSatS(I16x8Splat(0x8000), I16x8Splat(0x8000)), I16x8Splat(0x7fff)},
		{"q15mulr_sat_s(-32768, 32767)", I16x8Q15mulrSatS(I16x8Splat(0x8000), I16x8Splat(0x7fff)), I16x8Splat(0x8001)},
		{"q15mulr_sat_s(1, 16384) rounds up", I16x8Q15mulrSatS(I16x8Splat(1), I16x8Splat(0x4000)), I16x8Splat(1)},
		{"dot(-32768...) wraps", I32x4DotI16x8S(I16x8Splat(0x8000), I16x8Splat(0x8000)), I32x4Splat(0x80000000)},
		{"i8x16.avgr_u(255, 255)", I8x16AvgrU(I8x16Splat(0xff), I8x16Splat(0xff)), I8x16Splat(0xff)},
		{"i8x16.avgr_u(0, 255)", I8x16AvgrU(I8x16Splat(0), I8x16Splat(0xff)), I8x16Splat(0x80)},
		{"i16x8.avgr_u(1, 2)", I16x8AvgrU(I16x8Splat(1), I16x8Splat(2)), I16x8Splat(2)},
		{"i8x16.abs(-128)", I8x16Abs(I8x16Splat(0x80)), I8x16Splat(0x80)},
		{"i64x2.abs(INT64_MIN)", I64x2Abs(I64x2Splat(1 << 63)), I64x2Splat(1 << 63)},
		{"i8x16.neg(-128)", I8x16Neg(I8x16Splat(0x80)), I8x16Splat(0x80)},
		{"i8x16.add_sat_s(127, 1)", I8x16AddSatS(I8x16Splat(0x7f), I8x16Splat(1)), I8x16Splat(0x7f)},
		{"i8x16.sub_sat_s(-128, 1)", I8x16SubSatS(I8x16Splat(0x80), I8x16Splat(1)), I8x16Splat(0x80)},
		{"i16x8.sub_sat_u(0, 1)", I16x8SubSatU(I16x8Splat(0), I16x8Splat(1)), I16x8Splat(0)},
		{"i8x16.narrow_i16x8_u(-1, 256)", I8x16NarrowI16x8U(I16x8Splat(0xffff), I16x8Splat(0x100)), V128{0, 0xffffffffffffffff}},
		{"i16x8.narrow_i32x4_s(INT32_MIN, INT32_MAX)", I16x8NarrowI32x4S(I32x4Splat(0x80000000), I32x4Splat(0x7fffffff)), V128{0x8000800080008000, 0x7fff7fff7fff7fff}},
		{"i8x16.shl by 9 = by 1", I8x16Shl(I8x16Splat(0xc1), 9), I8x16Splat(0x82)},
		{"i8x16.shr_s by 7", I8x16ShrS(I8x16Splat(0x80), 7), I8x16Splat(0xff)},
		{"i8x16.popcnt(0xff)", I8x16Popcnt(I8x16Splat(0xff)), I8x16Splat(8)},
		{"i32x4.trunc_sat_f32x4_s(NaN, inf, -inf, -0)", I32x4TruncSatF32x4S(V128{uint64(canonNaN32) | uint64(inf32)<<32, uint64(inf32|negZ32) | uint64(negZ32)<<32}), V128{0x7fffffff00000000, 0x0000000080000000}},
		{"f32x4.demote_f64x2_zero(1e300, -1e-300)", F32x4DemoteF64x2Zero(V128{f64(1e300), f64(-1e-300)}), V128{uint64(inf32) | uint64(negZ32)<<32, 0}},
		{"f32x4.convert_i32x4_u(0xffffffff)", F32x4ConvertI32x4U(I32x4Splat(0xffffffff)), F32x4Splat(f32(4294967296))},
		{"f32x4.convert_i32x4_s(0x7fffffff)", F32x4ConvertI32x4S(I32x4Splat(0x7fffffff)), F32x4Splat(f32(2147483648))},
		{"f32x4.min(-0, +0)", F32x4Min(F32x4Splat(negZ32), F32x4Splat(0)), F32x4Splat(negZ32)},
		{"f64x2.max(-0, +0)", F64x2Max(F64x2Splat(negZ64), F64x2Splat(0)), F64x2Splat(0)},
		{"f32x4.nearest(2.5, -0.5, 3.5, -2.5)", F32x4Nearest(V128{uint64(f32(2.5)) | uint64(f32(-0.5))<<32, uint64(f32(3.5)) | uint64(f32(-2.5))<<32}),
			V128{uint64(f32(2)) | uint64(negZ32)<<32, uint64(f32(4)) | uint64(f32(-2))<<32}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}

// TestNoAllocation guards the hot-path promise: no operation allocates.
func TestNoAllocation(t *testing.T) {
	a, b := V128{0x0123456789abcdef, 0xfedcba9876543210}, V128{0x8000000000000001, 0x7fffffffffffffff}
	var sink V128
	var s32 uint32
	allocs := testing.AllocsPerRun(100, func() {
		sink = I8x16Shuffle(a, b, a)
		sink = I8x16Swizzle(sink, b)
		sink = I16x8Q15mulrSatS(sink, a)
		sink = F32x4Nearest(sink)
		sink = I32x4DotI16x8S(sink, b)
		sink = I8x16NarrowI16x8S(sink, a)
		s32, _ = I32TruncF32S(uint32(sink.Lo))
		s32 = F32Min(s32, uint32(b.Hi))
	})
	if allocs != 0 {
		t.Errorf("operations allocated %v times per run", allocs)
	}
	_, _ = sink, s32
}
