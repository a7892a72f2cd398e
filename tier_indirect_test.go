//go:build kilnjit

package kiln

import (
	"context"
	"testing"
	"time"
)

// tierIndirectWAT calls $sq and $neg through its table: under tiering
// the caller and the callees are promoted at different times, while one
// instance keeps running (its call index learns the entries of code
// promoted after it was built).
const tierIndirectWAT = `(module
  (type $t (func (param i64) (result i64)))
  (table 4 funcref)
  (elem (i32.const 0) $sq $neg)
  (func $sq (type $t) (i64.mul (local.get 0) (local.get 0)))
  (func $neg (type $t) (i64.sub (i64.const 0) (local.get 0)))
  (func $run (param $n i64) (result i64) (local $i i64) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc)
          (call_indirect (type $t) (local.get $i) (i32.wrap_i64 (i64.and (local.get $i) (i64.const 1))))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $l)))
    (local.get $acc))
  ;; Promoted code runs for calls from wasm code.
  (func (export "run") (param i64) (result i64) (call $run (local.get 0))))`

// Under EngineAuto, call_indirect through code promoted at different
// times gives the interpreter's results and fuel.
func TestTieringCallIndirect(t *testing.T) {
	auto, interp, cm, icm := tieringPair(t, tierIndirectWAT)
	ctx := context.Background()
	tanks := [2]*FuelTank{NewFuelTank(1 << 50), NewFuelTank(1 << 50)}
	a, err := auto.Instantiate(ctx, cm, ModuleConfig{FuelSource: tanks[0]})
	if err != nil {
		t.Fatal(err)
	}
	b, err := interp.Instantiate(ctx, icm, ModuleConfig{FuelSource: tanks[1]})
	if err != nil {
		t.Fatal(err)
	}
	check := func(n uint64) {
		t.Helper()
		got, gerr := a.Func("run").Call(ctx, n)
		want, werr := b.Func("run").Call(ctx, n)
		if (gerr == nil) != (werr == nil) || gerr != nil && gerr.Error() != werr.Error() || !equalU64(got, want) {
			t.Fatalf("run(%d): %v %v; interpreter %v %v", n, got, gerr, want, werr)
		}
		if tanks[0].Consumed() != tanks[1].Consumed() {
			t.Fatalf("run(%d): fuel %d, interpreter %d", n, tanks[0].Consumed(), tanks[1].Consumed())
		}
	}
	// $sq and $run first; $neg (element 1) only once $run is promoted, so
	// that the index, built by $run's first promoted call, learns $neg's
	// entry from an exit.
	wait := func(what string, n uint64, fns ...int) {
		t.Helper()
		deadline := time.Now().Add(2 * time.Minute)
		for {
			all := true
			for _, f := range fns {
				all = all && promoted(cm, f)
			}
			if all {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s not promoted after 2 minutes", what)
			}
			check(n)
			time.Sleep(time.Millisecond)
		}
	}
	wait("$sq and $run", 1, 0, 2)
	if promoted(cm, 1) {
		t.Fatal("$neg promoted before it was called")
	}
	wait("$neg", 2, 1)
	check(2)
	check(1000)
}
