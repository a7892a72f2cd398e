package numeric

import (
	"math"
	"math/big"
	"testing"
)

// shapeCase is an operation whose result lanes depend on several input
// lanes: ref maps the input lanes (of width in) to the output lanes (of
// width out).
type shapeCase struct {
	name    string
	in, out int
	float   bool
	f       func(a, b V128) V128
	ref     func(x, y []uint64) []uint64
}

func runShaped(t *testing.T, cases []shapeCase) {
	t.Helper()
	r := newRand(13)
	for _, c := range cases {
		as, bs := testVectors(r, c.in, 300), testVectors(r, c.in, 300)
		for i := range as {
			// Pair different vectors even where both lists start alike.
			a, b := as[i], bs[(7*i+3)%len(bs)]
			want := c.ref(lanesOf(a, c.in), lanesOf(b, c.in))
			got := lanesOf(c.f(a, b), c.out)
			for j := range got {
				w := want[j] & laneMask(c.out)
				if !laneMatch(got[j], w, c.out, c.float) {
					t.Errorf("%s(%#x, %#x) lane %d = %#x, want %#x", c.name, a, b, j, got[j], w)
					break
				}
			}
		}
	}
}

// unaryShape adapts a one-operand function to runShaped.
func unaryShape(f func(V128) V128) func(a, b V128) V128 { return func(a, _ V128) V128 { return f(a) } }

func TestWideningOps(t *testing.T) {
	var cs []shapeCase
	type ext func(x uint64) int64
	for _, sh := range []struct {
		in               string
		w                int
		narrowS, narrowU func(a, b V128) V128
		extLoS, extHiS   func(V128) V128
		extLoU, extHiU   func(V128) V128
		mulLoS, mulHiS   func(a, b V128) V128
		mulLoU, mulHiU   func(a, b V128) V128
		pairS, pairU     func(V128) V128
	}{
		{"i8", 8, I8x16NarrowI16x8S, I8x16NarrowI16x8U, I16x8ExtendLowI8x16S, I16x8ExtendHighI8x16S, I16x8ExtendLowI8x16U, I16x8ExtendHighI8x16U,
			I16x8ExtmulLowI8x16S, I16x8ExtmulHighI8x16S, I16x8ExtmulLowI8x16U, I16x8ExtmulHighI8x16U, I16x8ExtaddPairwiseI8x16S, I16x8ExtaddPairwiseI8x16U},
		{"i16", 16, I16x8NarrowI32x4S, I16x8NarrowI32x4U, I32x4ExtendLowI16x8S, I32x4ExtendHighI16x8S, I32x4ExtendLowI16x8U, I32x4ExtendHighI16x8U,
			I32x4ExtmulLowI16x8S, I32x4ExtmulHighI16x8S, I32x4ExtmulLowI16x8U, I32x4ExtmulHighI16x8U, I32x4ExtaddPairwiseI16x8S, I32x4ExtaddPairwiseI16x8U},
		{"i32", 32, nil, nil, I64x2ExtendLowI32x4S, I64x2ExtendHighI32x4S, I64x2ExtendLowI32x4U, I64x2ExtendHighI32x4U,
			I64x2ExtmulLowI32x4S, I64x2ExtmulHighI32x4S, I64x2ExtmulLowI32x4U, I64x2ExtmulHighI32x4U, nil, nil},
	} {
		w := sh.w
		n := 128 / (2 * w) // lanes of the wide shape
		signed := func(x uint64) int64 { return sext(x, w) }
		unsigned := func(x uint64) int64 { return int64(x) }
		if sh.narrowS != nil {
			narrow := func(lo, hi int64) func(x, y []uint64) []uint64 {
				return func(x, y []uint64) []uint64 {
					var r []uint64
					for _, v := range append(append([]uint64{}, x...), y...) {
						r = append(r, clamp(sext(v, 2*w), lo, hi))
					}
					return r
				}
			}
			cs = append(cs,
				shapeCase{sh.in + ".narrow_s", 2 * w, w, false, sh.narrowS, narrow(-1<<(w-1), 1<<(w-1)-1)},
				shapeCase{sh.in + ".narrow_u", 2 * w, w, false, sh.narrowU, narrow(0, 1<<w-1)})
		}
		for _, half := range []struct {
			name string
			off  int
		}{{"low", 0}, {"high", n}} {
			for _, e := range []struct {
				name   string
				ext    ext
				extend func(V128) V128
				extmul func(a, b V128) V128
			}{
				{"s", signed, map[int]func(V128) V128{0: sh.extLoS, n: sh.extHiS}[half.off], map[int]func(a, b V128) V128{0: sh.mulLoS, n: sh.mulHiS}[half.off]},
				{"u", unsigned, map[int]func(V128) V128{0: sh.extLoU, n: sh.extHiU}[half.off], map[int]func(a, b V128) V128{0: sh.mulLoU, n: sh.mulHiU}[half.off]},
			} {
				off, ext := half.off, e.ext
				cs = append(cs,
					shapeCase{sh.in + ".extend_" + half.name + "_" + e.name, w, 2 * w, false, unaryShape(e.extend), func(x, _ []uint64) []uint64 {
						r := make([]uint64, n)
						for i := range r {
							r[i] = uint64(ext(x[off+i]))
						}
						return r
					}},
					shapeCase{sh.in + ".extmul_" + half.name + "_" + e.name, w, 2 * w, false, e.extmul, func(x, y []uint64) []uint64 {
						r := make([]uint64, n)
						for i := range r {
							r[i] = uint64(ext(x[off+i]) * ext(y[off+i]))
						}
						return r
					}})
			}
		}
		if sh.pairS != nil {
			pair := func(ext ext) func(x, _ []uint64) []uint64 {
				return func(x, _ []uint64) []uint64 {
					r := make([]uint64, n)
					for i := range r {
						r[i] = uint64(ext(x[2*i]) + ext(x[2*i+1]))
					}
					return r
				}
			}
			cs = append(cs,
				shapeCase{sh.in + ".extadd_pairwise_s", w, 2 * w, false, unaryShape(sh.pairS), pair(signed)},
				shapeCase{sh.in + ".extadd_pairwise_u", w, 2 * w, false, unaryShape(sh.pairU), pair(unsigned)})
		}
	}
	cs = append(cs, shapeCase{"i32x4.dot_i16x8_s", 16, 32, false, I32x4DotI16x8S, func(x, y []uint64) []uint64 {
		r := make([]uint64, 4)
		for i := range r {
			r[i] = uint64(sext(x[2*i], 16)*sext(y[2*i], 16) + sext(x[2*i+1], 16)*sext(y[2*i+1], 16))
		}
		return r
	}})
	runShaped(t, cs)
}

func TestSIMDConversions(t *testing.T) {
	f32of := func(x uint64) float64 { return float64(math.Float32frombits(uint32(x))) }
	satLane := func(f float64, signed bool) uint64 { _, _, s := truncRef(f, 32, signed); return s }
	round32 := func(v int64) uint64 { return uint64(roundRef32(big.NewInt(v))) }
	perLane := func(n int, f func(x uint64) uint64) func(x, _ []uint64) []uint64 {
		return func(x, _ []uint64) []uint64 {
			r := make([]uint64, n)
			for i := range r {
				if i < len(x) {
					r[i] = f(x[i])
				}
			}
			return r
		}
	}
	// Operations whose input has fewer lanes than the output fill the rest
	// with zero: perLane(4, ...) over two f64 lanes leaves lanes 2 and 3 zero.
	runShaped(t, []shapeCase{
		{"f32x4.convert_i32x4_s", 32, 32, false, unaryShape(F32x4ConvertI32x4S), perLane(4, func(x uint64) uint64 { return round32(sext(x, 32)) })},
		{"f32x4.convert_i32x4_u", 32, 32, false, unaryShape(F32x4ConvertI32x4U), perLane(4, func(x uint64) uint64 { return round32(int64(x)) })},
		{"i32x4.trunc_sat_f32x4_s", 32, 32, false, unaryShape(I32x4TruncSatF32x4S), perLane(4, func(x uint64) uint64 { return satLane(f32of(x), true) })},
		{"i32x4.trunc_sat_f32x4_u", 32, 32, false, unaryShape(I32x4TruncSatF32x4U), perLane(4, func(x uint64) uint64 { return satLane(f32of(x), false) })},
		{"i32x4.trunc_sat_f64x2_s_zero", 64, 32, false, unaryShape(I32x4TruncSatF64x2SZero), perLane(4, func(x uint64) uint64 { return satLane(math.Float64frombits(x), true) })},
		{"i32x4.trunc_sat_f64x2_u_zero", 64, 32, false, unaryShape(I32x4TruncSatF64x2UZero), perLane(4, func(x uint64) uint64 { return satLane(math.Float64frombits(x), false) })},
		{"f32x4.demote_f64x2_zero", 64, 32, true, unaryShape(F32x4DemoteF64x2Zero), perLane(4, func(x uint64) uint64 {
			if F64IsNaN(x) {
				if nanClass64(x) == canonNaN64 {
					return uint64(canonNaN32)
				}
				return uint64(arithNaN32)
			}
			return uint64(f32(float32(math.Float64frombits(x))))
		})},
		{"f64x2.promote_low_f32x4", 32, 64, true, unaryShape(F64x2PromoteLowF32x4), func(x, _ []uint64) []uint64 {
			r := make([]uint64, 2)
			for i := range r {
				r[i] = f64(f32of(x[i]))
				if F32IsNaN(uint32(x[i])) {
					r[i] = arithNaN64
					if nanClass32(uint32(x[i])) == canonNaN32 {
						r[i] = canonNaN64
					}
				}
			}
			return r
		}},
		{"f64x2.convert_low_i32x4_s", 32, 64, false, unaryShape(F64x2ConvertLowI32x4S), func(x, _ []uint64) []uint64 {
			return []uint64{f64(float64(sext(x[0], 32))), f64(float64(sext(x[1], 32)))}
		}},
		{"f64x2.convert_low_i32x4_u", 32, 64, false, unaryShape(F64x2ConvertLowI32x4U), func(x, _ []uint64) []uint64 {
			return []uint64{f64(float64(x[0])), f64(float64(x[1]))}
		}},
	})
}
