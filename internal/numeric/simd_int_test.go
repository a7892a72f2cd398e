package numeric

import (
	"math/bits"
	"testing"
)

// intBinaryCases builds the reference table of lane-wise integer binary
// operations.
func intBinaryCases() []binCase {
	var cs []binCase
	type shape struct {
		name                                           string
		w                                              int
		add, sub, mul                                  func(a, b V128) V128
		eq, ne, ltS, ltU, gtS, gtU, leS, leU, geS, geU func(a, b V128) V128
		minS, minU, maxS, maxU                         func(a, b V128) V128
		addSatS, addSatU, subSatS, subSatU, avgrU      func(a, b V128) V128
	}
	shapes := []shape{
		{"i8x16", 8, I8x16Add, I8x16Sub, nil, I8x16Eq, I8x16Ne, I8x16LtS, I8x16LtU, I8x16GtS, I8x16GtU, I8x16LeS, I8x16LeU, I8x16GeS, I8x16GeU,
			I8x16MinS, I8x16MinU, I8x16MaxS, I8x16MaxU, I8x16AddSatS, I8x16AddSatU, I8x16SubSatS, I8x16SubSatU, I8x16AvgrU},
		{"i16x8", 16, I16x8Add, I16x8Sub, I16x8Mul, I16x8Eq, I16x8Ne, I16x8LtS, I16x8LtU, I16x8GtS, I16x8GtU, I16x8LeS, I16x8LeU, I16x8GeS, I16x8GeU,
			I16x8MinS, I16x8MinU, I16x8MaxS, I16x8MaxU, I16x8AddSatS, I16x8AddSatU, I16x8SubSatS, I16x8SubSatU, I16x8AvgrU},
		{"i32x4", 32, I32x4Add, I32x4Sub, I32x4Mul, I32x4Eq, I32x4Ne, I32x4LtS, I32x4LtU, I32x4GtS, I32x4GtU, I32x4LeS, I32x4LeU, I32x4GeS, I32x4GeU,
			I32x4MinS, I32x4MinU, I32x4MaxS, I32x4MaxU, nil, nil, nil, nil, nil},
		{"i64x2", 64, I64x2Add, I64x2Sub, I64x2Mul, I64x2Eq, I64x2Ne, I64x2LtS, nil, I64x2GtS, nil, I64x2LeS, nil, I64x2GeS, nil,
			nil, nil, nil, nil, nil, nil, nil, nil, nil},
	}
	for _, sh := range shapes {
		w := sh.w
		lo, hi := -int64(1)<<(w-1), int64(1)<<(w-1)-1
		umax := int64(1)<<w - 1
		s := func(x uint64) int64 { return sext(x, w) }
		add := func(name string, f func(a, b V128) V128, ref func(x, y uint64) uint64) {
			if f != nil {
				cs = append(cs, binCase{sh.name + "." + name, w, false, f, ref})
			}
		}
		add("add", sh.add, func(x, y uint64) uint64 { return x + y })
		add("sub", sh.sub, func(x, y uint64) uint64 { return x - y })
		add("mul", sh.mul, func(x, y uint64) uint64 { return x * y })
		add("eq", sh.eq, func(x, y uint64) uint64 { return b2m(x == y) })
		add("ne", sh.ne, func(x, y uint64) uint64 { return b2m(x != y) })
		add("lt_s", sh.ltS, func(x, y uint64) uint64 { return b2m(s(x) < s(y)) })
		add("lt_u", sh.ltU, func(x, y uint64) uint64 { return b2m(x < y) })
		add("gt_s", sh.gtS, func(x, y uint64) uint64 { return b2m(s(x) > s(y)) })
		add("gt_u", sh.gtU, func(x, y uint64) uint64 { return b2m(x > y) })
		add("le_s", sh.leS, func(x, y uint64) uint64 { return b2m(s(x) <= s(y)) })
		add("le_u", sh.leU, func(x, y uint64) uint64 { return b2m(x <= y) })
		add("ge_s", sh.geS, func(x, y uint64) uint64 { return b2m(s(x) >= s(y)) })
		add("ge_u", sh.geU, func(x, y uint64) uint64 { return b2m(x >= y) })
		add("min_s", sh.minS, func(x, y uint64) uint64 { return uint64(min(s(x), s(y))) })
		add("min_u", sh.minU, func(x, y uint64) uint64 { return min(x, y) })
		add("max_s", sh.maxS, func(x, y uint64) uint64 { return uint64(max(s(x), s(y))) })
		add("max_u", sh.maxU, func(x, y uint64) uint64 { return max(x, y) })
		add("add_sat_s", sh.addSatS, func(x, y uint64) uint64 { return clamp(s(x)+s(y), lo, hi) })
		add("add_sat_u", sh.addSatU, func(x, y uint64) uint64 { return clamp(int64(x+y), 0, umax) })
		add("sub_sat_s", sh.subSatS, func(x, y uint64) uint64 { return clamp(s(x)-s(y), lo, hi) })
		add("sub_sat_u", sh.subSatU, func(x, y uint64) uint64 { return clamp(int64(x)-int64(y), 0, umax) })
		add("avgr_u", sh.avgrU, func(x, y uint64) uint64 { return (x + y + 1) / 2 })
	}
	cs = append(cs, binCase{"i16x8.q15mulr_sat_s", 16, false, I16x8Q15mulrSatS, func(x, y uint64) uint64 {
		return clamp((sext(x, 16)*sext(y, 16)+1<<14)>>15, -1<<15, 1<<15-1)
	}})
	return cs
}

func TestIntBinaryLanes(t *testing.T) { runBinary(t, intBinaryCases()) }

func TestIntUnaryLanes(t *testing.T) {
	var cs []unCase
	for _, sh := range []struct {
		w        int
		name     string
		abs, neg func(V128) V128
	}{{8, "i8x16", I8x16Abs, I8x16Neg}, {16, "i16x8", I16x8Abs, I16x8Neg}, {32, "i32x4", I32x4Abs, I32x4Neg}, {64, "i64x2", I64x2Abs, I64x2Neg}} {
		w := sh.w
		cs = append(cs,
			unCase{sh.name + ".abs", w, false, sh.abs, func(x uint64) uint64 {
				if sext(x, w) < 0 {
					return -x
				}
				return x
			}},
			unCase{sh.name + ".neg", w, false, sh.neg, func(x uint64) uint64 { return -x }})
	}
	cs = append(cs,
		unCase{"i8x16.popcnt", 8, false, I8x16Popcnt, func(x uint64) uint64 { return uint64(bits.OnesCount64(x)) }},
		unCase{"v128.not(8)", 8, false, V128Not, func(x uint64) uint64 { return ^x }})
	runUnary(t, cs)
}

func TestShifts(t *testing.T) {
	counts := []uint32{0, 1, 3, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 0xffffffff, 0x80000001}
	for _, sh := range []struct {
		w               int
		name            string
		shl, shrS, shrU func(V128, uint32) V128
	}{{8, "i8x16", I8x16Shl, I8x16ShrS, I8x16ShrU}, {16, "i16x8", I16x8Shl, I16x8ShrS, I16x8ShrU}, {32, "i32x4", I32x4Shl, I32x4ShrS, I32x4ShrU}, {64, "i64x2", I64x2Shl, I64x2ShrS, I64x2ShrU}} {
		w := sh.w
		var cs []unCase
		for _, n := range counts {
			k := uint(n) % uint(w)
			cs = append(cs,
				unCase{sh.name + ".shl", w, false, func(a V128) V128 { return sh.shl(a, n) }, func(x uint64) uint64 { return x << k }},
				unCase{sh.name + ".shr_s", w, false, func(a V128) V128 { return sh.shrS(a, n) }, func(x uint64) uint64 { return uint64(sext(x, w) >> k) }},
				unCase{sh.name + ".shr_u", w, false, func(a V128) V128 { return sh.shrU(a, n) }, func(x uint64) uint64 { return x >> k }})
		}
		runUnary(t, cs)
	}
}

func TestBitwise(t *testing.T) {
	runBinary(t, []binCase{
		{"v128.and", 64, false, V128And, func(x, y uint64) uint64 { return x & y }},
		{"v128.andnot", 64, false, V128Andnot, func(x, y uint64) uint64 { return x &^ y }},
		{"v128.or", 64, false, V128Or, func(x, y uint64) uint64 { return x | y }},
		{"v128.xor", 64, false, V128Xor, func(x, y uint64) uint64 { return x ^ y }},
	})
	a, b, c := V128{0x00ff00ff00ff00ff, 0x1234567890abcdef}, V128{0xaaaaaaaaaaaaaaaa, 0x5555555555555555}, V128{0xf0f0f0f0f0f0f0f0, 0xffffffff00000000}
	if got, want := V128Bitselect(a, b, c), (V128{0x0afa0afa0afa0afa, 0x1234567855555555}); got != want {
		t.Errorf("V128Bitselect = %#x, want %#x", got, want)
	}
}

// TestLaneReductions checks any_true, all_true and bitmask against
// lane-by-lane definitions.
func TestLaneReductions(t *testing.T) {
	type red struct {
		w       int
		allTrue func(V128) bool
		bitmask func(V128) uint32
	}
	shapes := []red{{8, I8x16AllTrue, I8x16Bitmask}, {16, I16x8AllTrue, I16x8Bitmask}, {32, I32x4AllTrue, I32x4Bitmask}, {64, I64x2AllTrue, I64x2Bitmask}}
	r := newRand(12)
	for _, sh := range shapes {
		vs := testVectors(r, sh.w, 500)
		// Vectors with exactly one zero lane or one non-zero lane.
		for i := 0; i < 128/sh.w; i++ {
			l := make([]uint64, 128/sh.w)
			for j := range l {
				l[j] = 1 << (sh.w - 1)
			}
			l[i] = 0
			vs = append(vs, vecOf(l, sh.w))
			l = make([]uint64, 128/sh.w)
			l[i] = 1
			vs = append(vs, vecOf(l, sh.w))
		}
		for _, v := range vs {
			all, mask := true, uint32(0)
			for i, x := range lanesOf(v, sh.w) {
				all = all && x != 0
				mask |= uint32(x>>(sh.w-1)&1) << i
			}
			if got := sh.allTrue(v); got != all {
				t.Errorf("all_true(%d-bit lanes, %#x) = %v, want %v", sh.w, v, got, all)
			}
			if got := sh.bitmask(v); got != mask {
				t.Errorf("bitmask(%d-bit lanes, %#x) = %#x, want %#x", sh.w, v, got, mask)
			}
			if got, want := V128AnyTrue(v), v.Lo|v.Hi != 0; got != want {
				t.Errorf("any_true(%#x) = %v", v, got)
			}
		}
	}
}

// TestI8x16Exhaustive checks every pair of byte values in every 8-bit binary
// operation: for each i, lane i sees all 256 values of a against 16 values of
// b, and over the 16 lanes every b value occurs, with varied neighbours so
// that any carry or borrow leaking between lanes shows.
func TestI8x16Exhaustive(t *testing.T) {
	for _, c := range intBinaryCases() {
		if c.w != 8 {
			continue
		}
		for x := 0; x < 256; x++ {
			for yb := 0; yb < 16; yb++ {
				xs, ys := make([]uint64, 16), make([]uint64, 16)
				for i := range xs {
					xs[i], ys[i] = uint64(x+17*i)&0xff, uint64(16*yb+i)
				}
				got := lanesOf(c.f(vecOf(xs, 8), vecOf(ys, 8)), 8)
				for i := range got {
					if want := c.ref(xs[i], ys[i]) & 0xff; got[i] != want {
						t.Fatalf("%s lane %d (%#x, %#x) = %#x, want %#x", c.name, i, xs[i], ys[i], got[i], want)
					}
				}
			}
		}
	}
}
