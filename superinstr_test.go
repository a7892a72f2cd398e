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

// TestIncrementBranch runs loops whose counter increment is fused with
// the compare-and-branch after it, and a jump straight to such a branch
// (which must still run alone).
func TestIncrementBranch(t *testing.T) {
	fnv := func(n uint32) uint32 {
		h := uint32(2166136261)
		for i := uint32(0); i == 0 || i < n; i++ {
			h = (h ^ i) * 16777619
		}
		return h
	}
	var cases []opCase
	for _, n := range []uint64{1, 2, 7, 100} {
		sum := n * (n - 1) / 2
		cases = append(cases,
			opCase{name: "count up, ne", sig: "(param i32) (result i32) (local i32 i32)",
				body: `(loop (local.set 2 (i32.add (local.get 2) (local.get 1)))
					(br_if 0 (i32.ne (local.tee 1 (i32.add (local.get 1) (i32.const 1))) (local.get 0))))
					(local.get 2)`,
				args: []uint64{n}, want: []uint64{sum}},
			opCase{name: "count down, br_if", sig: "(param i32) (result i32) (local i32)",
				body: `(loop (local.set 1 (i32.add (local.get 1) (local.get 0)))
					(br_if 0 (local.tee 0 (i32.add (local.get 0) (i32.const -1)))))
					(local.get 1)`,
				args: []uint64{n}, want: []uint64{n * (n + 1) / 2}},
			opCase{name: "stride, lt_u", sig: "(param i32) (result i32) (local i32 i32)",
				body: `(local.set 1 (i32.const 3))
					(loop (local.set 2 (i32.add (local.get 2) (i32.const 1)))
					(br_if 0 (i32.lt_u (local.tee 1 (i32.add (local.get 1) (local.get 1))) (local.get 0))))
					(local.get 2)`,
				args: []uint64{n * 10}, want: []uint64{uint64(bits.Len64((n*10 - 1) / 3))}},
			opCase{name: "signed, negative bound", sig: "(param i32) (result i32) (local i32)",
				body: `(local.set 1 (i32.const 0))
					(loop (br_if 0 (i32.gt_s (local.tee 1 (i32.add (local.get 1) (i32.const -1))) (i32.sub (i32.const 0) (local.get 0)))))
					(local.get 1)`,
				args: []uint64{n}, want: []uint64{uint64(uint32(-int32(n)))}},
			opCase{name: "bound on the left, fnv", sig: "(param i32) (result i32) (local i32 i32)",
				body: `(local.set 2 (i32.const 2166136261))
					(loop (local.set 2 (i32.mul (i32.xor (local.get 2) (local.get 1)) (i32.const 16777619)))
					(local.set 1 (i32.add (local.get 1) (i32.const 1)))
					(br_if 0 (i32.gt_u (local.get 0) (local.get 1))))
					(local.get 2)`,
				args: []uint64{n}, want: []uint64{uint64(fnv(uint32(n)))}},
			opCase{name: "values carried by br", sig: "(param i32) (result i32) (local i32 i32)",
				body: `(block (result i32) (loop
					(local.set 1 (i32.add (local.get 1) (local.get 2)))
					(br_if 1 (i32.const 7) (i32.ge_u (local.get 2) (local.get 0)))
					(local.set 2 (i32.add (local.get 2) (i32.const 1)))
					(br 0))
					(unreachable))
					(i32.add (local.get 1))
					(if (result i32) (i32.and (local.get 0) (i32.const 1))
						(then (local.get 2)) (else (i32.add (local.get 2) (i32.const 100))))
					(i32.add)`,
				args: []uint64{n}, want: []uint64{n*(n+1)/2 + 7 + n + map[bool]uint64{true: 0, false: 100}[n&1 == 1]}},
			opCase{name: "branch reached by a jump", sig: "(param i32) (result i32) (local i32)",
				body: `(block (br_if 0 (i32.eqz (local.get 0)))
					(local.set 1 (i32.add (local.get 1) (i32.const 5))))
					(block (br_if 0 (local.get 1)) (local.set 1 (i32.const 1)))
					(local.get 1)`,
				args: []uint64{n - 1}, want: []uint64{map[bool]uint64{true: 1, false: 5}[n == 1]}},
		)
	}
	runOpCases(t, cases)
}

// TestRecursiveFib runs a recursive fib, whose arguments subtract
// constants (translated as additions of their negations), with a copy
// fused into the branch that ends its then arm.
func TestRecursiveFib(t *testing.T) {
	fib := func(n uint64) uint64 {
		a, b := uint64(0), uint64(1)
		for i := uint64(0); i < n; i++ {
			a, b = b, a+b
		}
		return a
	}
	var cases []opCase
	for _, n := range []uint64{0, 1, 2, 10, 15} {
		cases = append(cases, opCase{name: "fib", sig: "(param i32) (result i32)",
			body: `(if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
				(else (i32.add (call 0 (i32.sub (local.get 0) (i32.const 1))) (call 0 (i32.sub (local.get 0) (i32.const 2))))))`,
			args: []uint64{n}, want: []uint64{fib(n)}})
	}
	runOpCases(t, cases)
}

// TestZeroStoreElision checks the stores of zero to declared locals that
// the translator drops (the local still holds its entry zero) and the
// ones it must keep: after a write on some path, and inside a loop, where
// a back edge brings a later write.
func TestZeroStoreElision(t *testing.T) {
	runOpCases(t, []opCase{
		{name: "dropped at entry", sig: "(param i32) (result i32) (local i32)",
			body: `(local.set 1 (i32.const 0)) (i32.add (local.get 1) (local.get 0))`,
			args: []uint64{5}, want: []uint64{5}},
		{name: "kept after a write in a block", sig: "(param i32) (result i32) (local i32)",
			body: `(local.set 1 (i32.const 0))
				(block (br_if 0 (i32.eqz (local.get 0))) (local.set 1 (i32.const 5)))
				(local.set 1 (i32.const 0))
				(local.get 1)`,
			args: []uint64{1}, want: []uint64{0}},
		{name: "kept inside a loop", sig: "(param i32) (result i32) (local i32)",
			body: `(loop
					(local.set 0 (i32.sub (local.get 0) (i32.const 1)))
					(if (i32.eq (local.get 0) (i32.const 1))
						(then (local.set 1 (i32.const 0)))
						(else (local.set 1 (i32.const 9))))
					(br_if 0 (i32.gt_u (local.get 0) (i32.const 1))))
				(local.get 1)`,
			args: []uint64{3}, want: []uint64{0}},
		{name: "tee of zero", sig: "(result i32) (local i32 i64)",
			body: `(i64.eqz (local.tee 1 (i64.const 0))) (i32.wrap_i64 (local.get 1)) (i32.add)`,
			want: []uint64{1}},
	})
}
