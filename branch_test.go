package kiln

import (
	"context"
	"fmt"
	"math"
	"strings"
	"testing"
)

// TestI64CompareBranches checks every i64 comparison consumed by br_if and
// if (with a register operand, a constant that fits in 32 bits and one
// that does not) against the same comparison computed into a value, so
// that any fusion of i64 compare-and-branch keeps the semantics.
func TestI64CompareBranches(t *testing.T) {
	cmps := []string{"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"}
	consts := []int64{0, 1, -1, 5, -5, math.MaxInt32, math.MinInt32, 1 << 32, -1 << 40, math.MaxInt64, math.MinInt64}
	var src strings.Builder
	src.WriteString("(module\n")
	for _, c := range cmps {
		// branch(x, y) is 1 when the fused branch is taken; value(x, y)
		// computes the comparison without a branch.
		fmt.Fprintf(&src, `(func (export "br_%[1]s") (param i64 i64) (result i32)
		  (block (br_if 0 (i64.%[1]s (local.get 0) (local.get 1))) (return (i32.const 0))) (i32.const 1))
		(func (export "if_%[1]s") (param i64 i64) (result i32)
		  (if (result i32) (i64.%[1]s (local.get 0) (local.get 1)) (then (i32.const 1)) (else (i32.const 0))))
		(func (export "val_%[1]s") (param i64 i64) (result i32) (i64.%[1]s (local.get 0) (local.get 1)))
		`, c)
		for i, k := range consts {
			fmt.Fprintf(&src, `(func (export "brk_%s_%d") (param i64) (result i32)
			  (block (br_if 0 (i64.%s (local.get 0) (i64.const %d))) (return (i32.const 0))) (i32.const 1))
			`, c, i, c, k)
		}
	}
	src.WriteString(")")
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, src.String())
	ctx := context.Background()
	call := func(name string, args ...uint64) uint64 {
		t.Helper()
		res, err := inst.Func(name).Call(ctx, args...)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		return res[0]
	}
	for _, c := range cmps {
		for _, x := range consts {
			for i, y := range consts {
				want := call("val_"+c, uint64(x), uint64(y))
				if got := call("br_"+c, uint64(x), uint64(y)); got != want {
					t.Errorf("br_if (i64.%s %d %d) taken = %d, want %d", c, x, y, got, want)
				}
				if got := call("if_"+c, uint64(x), uint64(y)); got != want {
					t.Errorf("if (i64.%s %d %d) = %d, want %d", c, x, y, got, want)
				}
				if got := call(fmt.Sprintf("brk_%s_%d", c, i), uint64(x)); got != want {
					t.Errorf("br_if (i64.%s %d (i64.const %d)) taken = %d, want %d", c, x, y, got, want)
				}
			}
		}
	}
}
