package kiln

import (
	"math/bits"
	"testing"
)

// TestSuperinstructions runs the patterns interp fuses into one
// instruction (shift or rotate with xor, multiply-add by a constant,
// 64-bit rotates by a constant) and checks them against Go, including
// results retargeted to locals and operands that alias the fused
// producer's dead result slot.
func TestSuperinstructions(t *testing.T) {
	xorshift := func(x uint32) uint32 {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		return x
	}
	qr := func(a, b uint32) uint32 { return bits.RotateLeft32(a^b, -8) }
	mix64 := func(h uint64) uint64 {
		h = bits.RotateLeft64(h, 31) * 0x9E3779B185EBCA87
		h ^= h >> 33
		return h ^ h<<7
	}
	var cases []opCase
	for _, x := range []uint32{1, 0x12345678, 0xffffffff, 0x80000000} {
		y := x*2654435761 + 7
		cases = append(cases,
			opCase{name: "xorshift32", sig: "(param i32) (result i32) (local i32)",
				body: `(local.set 1 (local.get 0))
					(local.set 1 (i32.xor (local.get 1) (i32.shl (local.get 1) (i32.const 13))))
					(local.set 1 (i32.xor (local.get 1) (i32.shr_u (local.get 1) (i32.const 17))))
					(local.set 1 (i32.xor (i32.shl (local.get 1) (i32.const 37)) (local.get 1)))
					(local.get 1)`,
				args: []uint64{uint64(x)}, want: []uint64{uint64(xorshift(x))}},
			opCase{name: "xor of a product and a shift", sig: "(param i32) (result i32)",
				body: `(i32.xor (i32.mul (local.get 0) (local.get 0)) (i32.shr_u (local.get 0) (i32.const 3)))`,
				args: []uint64{uint64(x)}, want: []uint64{uint64(x*x ^ x>>3)}},
			opCase{name: "rotr of a xor", sig: "(param i32 i32) (result i32)",
				body: `(i32.rotr (i32.xor (local.get 0) (local.get 1)) (i32.const 8))`,
				args: []uint64{uint64(x), uint64(y)}, want: []uint64{uint64(qr(x, y))}},
			opCase{name: "rotl of a xor into a local", sig: "(param i32 i32) (result i32)",
				body: `(local.set 1 (i32.rotl (i32.xor (local.get 1) (local.get 0)) (i32.const 16))) (local.get 1)`,
				args: []uint64{uint64(x), uint64(y)}, want: []uint64{uint64(bits.RotateLeft32(x^y, 16))}},
			opCase{name: "multiply-add", sig: "(param i32 i32) (result i32)",
				body: `(i32.add (local.get 1) (i32.mul (local.get 0) (i32.const -31)))`,
				args: []uint64{uint64(x), uint64(y)}, want: []uint64{uint64(y + x*(1<<32-31))}},
			opCase{name: "i64 rotate, multiply, xor-shifts", sig: "(param i64) (result i64)",
				body: `(local.set 0 (i64.mul (i64.rotl (local.get 0) (i64.const 31)) (i64.const 0x9E3779B185EBCA87)))
					(local.set 0 (i64.xor (local.get 0) (i64.shr_u (local.get 0) (i64.const 33))))
					(i64.xor (i64.shl (local.get 0) (i64.const 7)) (local.get 0))`,
				args: []uint64{uint64(x) << 20}, want: []uint64{mix64(uint64(x) << 20)}},
			opCase{name: "i64 rotr by a constant", sig: "(param i64) (result i64)",
				body: `(i64.rotr (local.get 0) (i64.const 67))`,
				args: []uint64{uint64(x) | 1<<40}, want: []uint64{bits.RotateLeft64(uint64(x)|1<<40, -3)}},
		)
	}
	runOpCases(t, cases)
}
