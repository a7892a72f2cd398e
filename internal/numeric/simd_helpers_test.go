package numeric

import (
	"math/rand"
	"testing"
)

// The SIMD tests compare each operation with a lane-by-lane reference
// written directly from the specification, over vectors built from edge
// values of every lane width and random bits.

// lanesOf splits v into lanes of w bits (8, 16, 32 or 64), lane 0 first.
func lanesOf(v V128, w int) []uint64 {
	n := 128 / w
	mask := uint64(1)<<w - 1
	if w == 64 {
		mask = ^uint64(0)
	}
	l := make([]uint64, n)
	for i := range l {
		bit := i * w
		h := v.Lo
		if bit >= 64 {
			h, bit = v.Hi, bit-64
		}
		l[i] = h >> bit & mask
	}
	return l
}

// vecOf joins lanes of w bits into a V128.
func vecOf(l []uint64, w int) V128 {
	var v V128
	mask := uint64(1)<<w - 1
	if w == 64 {
		mask = ^uint64(0)
	}
	for i, x := range l {
		bit := i * w
		if bit < 64 {
			v.Lo |= x & mask << bit
		} else {
			v.Hi |= x & mask << (bit - 64)
		}
	}
	return v
}

// sext sign-extends the low w bits of x.
func sext(x uint64, w int) int64 { return int64(x<<(64-w)) >> (64 - w) }

// edgeLanes are the interesting integer lane values of each width, followed
// by the f32 and f64 edge patterns for the 32- and 64-bit widths.
func edgeLanes(w int) []uint64 {
	top := uint64(1) << (w - 1)
	s := []uint64{0, 1, 2, top - 1, top, top + 1, 2*top - 1, 2*top - 2, top >> 1, top>>1 - 1}
	if w == 64 {
		s[6], s[7] = ^uint64(0), ^uint64(1)
	}
	r := rand.New(rand.NewSource(int64(w)))
	switch w {
	case 32:
		for _, x := range interesting32(r, 0) {
			s = append(s, uint64(x))
		}
	case 64:
		s = append(s, interesting64(r, 0)...)
	}
	return s
}

// testVectors returns vectors whose lanes of width w are edge values or
// random bits, plus fully random vectors.
func testVectors(r *rand.Rand, w, n int) []V128 {
	edges := edgeLanes(w)
	vs := make([]V128, 0, n+256)
	if w == 8 {
		// Every byte value in every lane, next to varied neighbours.
		for k := 0; k < 256; k++ {
			l := make([]uint64, 16)
			for i := range l {
				l[i] = uint64(k+37*i) & 0xff
			}
			vs = append(vs, vecOf(l, 8))
		}
	}
	for i := 0; i < n; i++ {
		if i%4 == 3 {
			vs = append(vs, V128{r.Uint64(), r.Uint64()})
			continue
		}
		l := make([]uint64, 128/w)
		for j := range l {
			if r.Intn(4) == 0 {
				l[j] = r.Uint64()
			} else {
				l[j] = edges[r.Intn(len(edges))]
			}
		}
		vs = append(vs, vecOf(l, w))
	}
	return vs
}

// laneMatch compares one result lane with its expectation; float shapes
// accept the NaN classes of match32/match64.
func laneMatch(got, want uint64, w int, float bool) bool {
	switch {
	case float && w == 32:
		return match32(uint32(got), uint32(want))
	case float && w == 64:
		return match64(got, want)
	}
	return got == want
}

type binCase struct {
	name  string
	w     int // lane width in bits
	float bool
	f     func(a, b V128) V128
	ref   func(x, y uint64) uint64 // one lane, operands zero-extended
}

type unCase struct {
	name  string
	w     int
	float bool
	f     func(a V128) V128
	ref   func(x uint64) uint64
}

func runBinary(t *testing.T, cases []binCase) {
	t.Helper()
	r := rand.New(rand.NewSource(10))
	for _, c := range cases {
		as, bs := testVectors(r, c.w, 300), testVectors(r, c.w, 300)
		for i := range as {
			// Pair different vectors even where both lists start alike.
			a, b := as[i], bs[(7*i+3)%len(bs)]
			got := lanesOf(c.f(a, b), c.w)
			x, y := lanesOf(a, c.w), lanesOf(b, c.w)
			for j := range got {
				want := c.ref(x[j], y[j]) & laneMask(c.w)
				if !laneMatch(got[j], want, c.w, c.float) {
					t.Errorf("%s(%#x, %#x) lane %d = %#x, want %#x", c.name, a, b, j, got[j], want)
					break
				}
			}
		}
	}
}

func runUnary(t *testing.T, cases []unCase) {
	t.Helper()
	r := rand.New(rand.NewSource(11))
	for _, c := range cases {
		for _, a := range testVectors(r, c.w, 400) {
			got := lanesOf(c.f(a), c.w)
			x := lanesOf(a, c.w)
			for j := range got {
				want := c.ref(x[j]) & laneMask(c.w)
				if !laneMatch(got[j], want, c.w, c.float) {
					t.Errorf("%s(%#x) lane %d = %#x, want %#x", c.name, a, j, got[j], want)
					break
				}
			}
		}
	}
}

func b2m(b bool) uint64 {
	if b {
		return ^uint64(0)
	}
	return 0
}

func clamp(x, lo, hi int64) uint64 {
	if x < lo {
		x = lo
	}
	if x > hi {
		x = hi
	}
	return uint64(x)
}

// laneMask has the low w bits set.
func laneMask(w int) uint64 {
	if w == 64 {
		return ^uint64(0)
	}
	return 1<<w - 1
}

func newRand(seed int64) *rand.Rand { return rand.New(rand.NewSource(seed)) }
