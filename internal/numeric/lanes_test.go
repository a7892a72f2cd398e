package numeric

import "testing"

func TestSplat(t *testing.T) {
	tests := []struct {
		name      string
		got, want V128
	}{
		{"i8x16.splat(0x1ab)", I8x16Splat(0x1ab), V128{0xabababababababab, 0xabababababababab}},
		{"i16x8.splat(0x18001)", I16x8Splat(0x18001), V128{0x8001800180018001, 0x8001800180018001}},
		{"i32x4.splat", I32x4Splat(0x80000001), V128{0x8000000180000001, 0x8000000180000001}},
		{"i64x2.splat", I64x2Splat(0x0123456789abcdef), V128{0x0123456789abcdef, 0x0123456789abcdef}},
		{"f32x4.splat(-0)", F32x4Splat(negZ32), V128{0x8000000080000000, 0x8000000080000000}},
		{"f64x2.splat(sNaN)", F64x2Splat(sNaN64), V128{sNaN64, sNaN64}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}

// TestExtractReplaceEveryLane checks every lane of every shape against the
// lanesOf model, including sign extension of the narrow lanes.
func TestExtractReplaceEveryLane(t *testing.T) {
	r := newRand(14)
	for _, v := range testVectors(r, 8, 200) {
		for w := 8; w <= 64; w *= 2 {
			l := lanesOf(v, w)
			for i := range l {
				lane := uint8(i)
				x := r.Uint64()
				nl := append([]uint64{}, l...)
				nl[i] = x & laneMask(w)
				want := vecOf(nl, w)
				var gotS, gotU uint64
				var rep V128
				switch w {
				case 8:
					gotS, gotU = uint64(I8x16ExtractLaneS(v, lane)), uint64(I8x16ExtractLaneU(v, lane))
					rep = I8x16ReplaceLane(v, lane, uint32(x))
				case 16:
					gotS, gotU = uint64(I16x8ExtractLaneS(v, lane)), uint64(I16x8ExtractLaneU(v, lane))
					rep = I16x8ReplaceLane(v, lane, uint32(x))
				case 32:
					gotS, gotU = uint64(I32x4ExtractLane(v, lane)), uint64(F32x4ExtractLane(v, lane))
					rep = I32x4ReplaceLane(v, lane, uint32(x))
					if f := F32x4ReplaceLane(v, lane, uint32(x)); f != rep {
						t.Fatalf("F32x4ReplaceLane differs from I32x4ReplaceLane")
					}
				case 64:
					gotS, gotU = I64x2ExtractLane(v, lane), F64x2ExtractLane(v, lane)
					rep = I64x2ReplaceLane(v, lane, x)
					if f := F64x2ReplaceLane(v, lane, x); f != rep {
						t.Fatalf("F64x2ReplaceLane differs from I64x2ReplaceLane")
					}
				}
				wantS, wantU := uint64(uint32(sext(l[i], w))), l[i]
				if w == 64 {
					wantS = l[i]
				}
				if gotS != wantS || gotU != wantU {
					t.Fatalf("extract_lane %d of %d-bit lanes of %#x = %#x (s), %#x (u); want %#x, %#x", i, w, v, gotS, gotU, wantS, wantU)
				}
				if rep != want {
					t.Fatalf("replace_lane %d of %d-bit lanes of %#x with %#x = %#x, want %#x", i, w, v, x, rep, want)
				}
			}
		}
	}
}

func TestShuffleSwizzle(t *testing.T) {
	r := newRand(15)
	for n := 0; n < 500; n++ {
		a, b := V128{r.Uint64(), r.Uint64()}, V128{r.Uint64(), r.Uint64()}
		all := append(lanesOf(a, 8), lanesOf(b, 8)...)
		idx := make([]uint64, 16)
		for i := range idx {
			idx[i] = uint64(r.Intn(32))
		}
		want := make([]uint64, 16)
		for i, j := range idx {
			want[i] = all[j]
		}
		if got := I8x16Shuffle(a, b, vecOf(idx, 8)); got != vecOf(want, 8) {
			t.Fatalf("shuffle(%#x, %#x, %v) = %#x, want %#x", a, b, idx, got, vecOf(want, 8))
		}
		// Swizzle indices: in range, just out of range, and large.
		choices := []uint64{0, 15, 16, 17, 31, 32, 0x7f, 0x80, 0xff}
		for i := range idx {
			if r.Intn(2) == 0 {
				idx[i] = uint64(r.Intn(16))
			} else {
				idx[i] = choices[r.Intn(len(choices))]
			}
			want[i] = 0
			if idx[i] < 16 {
				want[i] = all[idx[i]]
			}
		}
		if got := I8x16Swizzle(a, vecOf(idx, 8)); got != vecOf(want, 8) {
			t.Fatalf("swizzle(%#x, %v) = %#x, want %#x", a, idx, got, vecOf(want, 8))
		}
	}
}

func TestLoadHelpers(t *testing.T) {
	const x = 0x80ff7f0102fe8001
	tests := []struct {
		name      string
		got, want V128
	}{
		// Bytes 01 80 fe 02 01 7f ff 80 widen to 0001 ff80 fffe 0002 | 0001 007f ffff ff80.
		{"load8x8_s", V128Load8x8S(x), V128{0x0002fffeff800001, 0xff80ffff007f0001}},
		{"load8x8_u", V128Load8x8U(x), V128{0x000200fe00800001, 0x008000ff007f0001}},
		// Halfwords 8001 02fe 7f01 80ff.
		{"load16x4_s", V128Load16x4S(x), V128{0x000002feffff8001, 0xffff80ff00007f01}},
		{"load16x4_u", V128Load16x4U(x), V128{0x000002fe00008001, 0x000080ff00007f01}},
		{"load32x2_s", V128Load32x2S(x), V128{0x0000000002fe8001, 0xffffffff80ff7f01}},
		{"load32x2_u", V128Load32x2U(x), V128{0x0000000002fe8001, 0x0000000080ff7f01}},
		{"load32_zero", V128Load32Zero(0x80000001), V128{0x80000001, 0}},
		{"load64_zero", V128Load64Zero(x), V128{x, 0}},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s(%#x) = %#x, want %#x", tt.name, uint64(x), tt.got, tt.want)
		}
	}
}

func TestShufflePlan(t *testing.T) {
	r := newRand(16)
	a, b := V128{0x0706050403020100, 0x0f0e0d0c0b0a0908}, V128{0x1716151413121110, 0x1f1e1d1c1b1a1918}
	check := func(idx [16]byte, whole bool) {
		t.Helper()
		p := PlanShuffle(idx)
		if p.Whole32 != whole {
			t.Fatalf("PlanShuffle(%v).Whole32 = %v, want %v", idx, p.Whole32, whole)
		}
		for n := 0; n < 4; n++ {
			if got, want := p.Shuffle(a, b), I8x16Shuffle(a, b, fromU8(idx)); got != want {
				t.Fatalf("plan of %v: %#x, want %#x", idx, got, want)
			}
			a, b = V128{r.Uint64(), r.Uint64()}, V128{r.Uint64(), r.Uint64()}
		}
	}
	for n := 0; n < 300; n++ {
		// Whole 32-bit lanes (i32x4.shuffle, i64x2.shuffle).
		var idx [16]byte
		for k := 0; k < 4; k++ {
			l := byte(r.Intn(8))
			for i := 0; i < 4; i++ {
				idx[4*k+i] = 4*l + byte(i)
			}
		}
		check(idx, true)
		// Random byte patterns, and whole-lane patterns with one byte
		// changed or a lane misaligned.
		for i := range idx {
			idx[i] = byte(r.Intn(32))
		}
		check(idx, false)
		for k := 0; k < 4; k++ {
			for i := 0; i < 4; i++ {
				idx[4*k+i] = 4*byte(k) + byte(i)
			}
		}
		idx[r.Intn(16)] ^= byte(1 + r.Intn(31))
		check(idx, false)
		for i := range idx {
			idx[i] = byte(i+2) & 31
		}
		check(idx, false)
	}
}
