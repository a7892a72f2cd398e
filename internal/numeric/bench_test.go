package numeric

import "testing"

// Benchmarks of representative operations, one per implementation style
// (SWAR on halves, lane arrays, 32-bit lane helpers, scalar float).

var (
	benchA    = V128{0x0123456789abcdef, 0xfedcba9876543210}
	benchB    = V128{0x8000000000000001, 0x7fffffffffffffff}
	benchSink V128
	benchU32  uint32
	benchU64  uint64
	benchPlan = PlanShuffle([16]byte{0, 1, 2, 3, 20, 21, 22, 23, 8, 9, 10, 11, 28, 29, 30, 31})
)

func BenchmarkSIMD(b *testing.B) {
	bins := []struct {
		name string
		f    func(a, b V128) V128
	}{
		{"I8x16Add", I8x16Add},
		{"I8x16Eq", I8x16Eq},
		{"I8x16LtS", I8x16LtS},
		{"I8x16AddSatS", I8x16AddSatS},
		{"I16x8Mul", I16x8Mul},
		{"I16x8Q15mulrSatS", I16x8Q15mulrSatS},
		{"I32x4MinS", I32x4MinS},
		{"I32x4DotI16x8S", I32x4DotI16x8S},
		{"F32x4Add", F32x4Add},
		{"F32x4Min", F32x4Min},
		{"F64x2Max", F64x2Max},
		{"I8x16Swizzle", I8x16Swizzle},
		{"I8x16Shuffle", func(a, b V128) V128 { return I8x16Shuffle(a, b, V128{0x1716151403020100, 0x1f1e1d1c0b0a0908}) }},
		{"ShufflePlan32", func(a, b V128) V128 { return benchPlan.Shuffle(a, b) }},
		{"I8x16NarrowI16x8S", I8x16NarrowI16x8S},
	}
	for _, c := range bins {
		b.Run(c.name, func(b *testing.B) {
			x, y := benchA, benchB
			for i := 0; i < b.N; i++ {
				x = c.f(x, y)
			}
			benchSink = x
		})
	}
	b.Run("F32x4Nearest", func(b *testing.B) {
		x := V128{0x3fc000003fc00000, 0x4020000040200000}
		for i := 0; i < b.N; i++ {
			benchSink = F32x4Nearest(x)
		}
	})
}

func BenchmarkScalar(b *testing.B) {
	b.Run("F64Min", func(b *testing.B) {
		x := f64(1.5)
		for i := 0; i < b.N; i++ {
			x = F64Min(x, uint64(i))
		}
		benchU64 = x
	})
	b.Run("F32Nearest", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			benchU32 = F32Nearest(uint32(i))
		}
	})
	b.Run("I64TruncF64U", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			benchU64, _ = I64TruncF64U(uint64(i))
		}
	})
	b.Run("I32DivS", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			benchU32, _ = I32DivS(uint32(i), 7)
		}
	})
}
