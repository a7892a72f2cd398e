//go:build kilnjit

package kiln

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/internal/raceflag"
)

// tierWAT: $sq is hot (called in run's loop), $div traps on a zero
// divisor, $spin only loops (hot by back-edges), and $acc moves a
// global, so that the promoted code's effects are visible.
const tierWAT = `(module
  (global $g (mut i64) (i64.const 0))
  (func $sq (param i64) (result i64)
    (global.set $g (i64.add (global.get $g) (i64.const 1)))
    (i64.mul (local.get 0) (local.get 0)))
  (func $div (param i32 i32) (result i32) (i32.div_u (local.get 0) (local.get 1)))
  (func $spin (param $n i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 3)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $i))
  (func (export "run") (param $n i64) (result i64) (local $i i64) (local $acc i64)
    (block $done
      (loop $l
        (br_if $done (i64.ge_u (local.get $i) (local.get $n)))
        (local.set $acc (i64.add (local.get $acc) (call $sq (local.get $i))))
        (local.set $i (i64.add (local.get $i) (i64.const 1)))
        (br $l)))
    (i64.add (local.get $acc) (global.get $g)))
  (func (export "div") (param i32 i32) (result i32) (call $div (local.get 0) (local.get 1)))
  (func (export "spin") (param i32) (result i32) (call $spin (local.get 0)))
  (func (export "divs") (param $n i32) (result i32) (local $acc i32)
    (loop $l
      (local.set $acc (i32.add (local.get $acc) (call $div (i32.const 1000) (local.get $n))))
      (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.ne (i32.const 0))))
    (local.get $acc)))`

// tieringPair compiles wat on an EngineAuto runtime and on an
// EngineInterpreter one, skipping the test where there is no tiering.
func tieringPair(t *testing.T, wat string) (auto, interp *Runtime, cm, icm *CompiledModule) {
	t.Helper()
	auto = NewRuntime(RuntimeConfig{})
	if auto.tierer == nil {
		t.Skip("no tiering on this CPU")
	}
	interp = NewRuntime(RuntimeConfig{Engine: EngineInterpreter})
	return auto, interp, compile(t, auto, wat), compile(t, interp, wat)
}

// tierRun is one call's outcome: results, error, fuel.
type tierRun struct {
	res  []uint64
	err  error
	fuel uint64
}

func runTier(t *testing.T, rt *Runtime, cm *CompiledModule, name string, args ...uint64) tierRun {
	t.Helper()
	tank := NewFuelTank(1 << 40)
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{FuelSource: tank})
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Func(name).Call(context.Background(), args...)
	return tierRun{res, err, tank.Consumed()}
}

// promoted reports whether the code of defined function i was promoted.
func promoted(cm *CompiledModule, i int) bool {
	tc, ok := cm.codes[i].(engine.Tiered)
	return ok && tc.Promoted() != nil
}

// waitPromoted calls warm until defined function i of cm is promoted,
// failing the test after a minute.
func waitPromoted(t *testing.T, cm *CompiledModule, i int, warm func() error) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !promoted(cm, i) {
		if time.Now().After(deadline) {
			t.Fatalf("function %d was not promoted within a minute", i)
		}
		if err := warm(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Millisecond)
	}
}

// tierOf names the tier defined function i of cm runs in, by the code
// that replaced its interpreter code: "interpreter" (none yet),
// "baseline" or "optimizing".
func tierOf(cm *CompiledModule, i int) string {
	tc, ok := cm.codes[i].(engine.Tiered)
	if !ok {
		return "not tiering"
	}
	switch p := tc.Promoted().(type) {
	case nil:
		return "interpreter"
	case interface{ Baseline() bool }:
		if p.Baseline() {
			return "baseline"
		}
	}
	return "optimizing"
}

// TestTieringThroughBaseline: where the JIT has a baseline compiler
// (amd64), EngineAuto promotes a warm function to the baseline's code
// first and, once sampling finds it hot there, to the optimising
// pipeline's; every tier gives the interpreter's results and fuel.
func TestTieringThroughBaseline(t *testing.T) {
	auto, interp, cm, icm := tieringPair(t, tierWAT)
	const spin = 2 // $spin: 100 loop back-edges per call of spin(300)
	want := runTier(t, interp, icm, "spin", 300)
	calls := map[string]int{} // by the tier seen before the call
	deadline := time.Now().Add(time.Minute)
	for tier := tierOf(cm, spin); tier != "optimizing"; tier = tierOf(cm, spin) {
		if time.Now().After(deadline) {
			t.Fatalf("$spin not optimised within a minute (calls by tier: %v)", calls)
		}
		calls[tier]++
		if got := runTier(t, auto, cm, "spin", 300); got.err != nil || !equalU64(got.res, want.res) || got.fuel != want.fuel {
			t.Fatalf("spin(300) in the %s tier: %v %v fuel %d, want %v fuel %d", tier, got.res, got.err, got.fuel, want.res, want.fuel)
		}
	}
	if got := runTier(t, auto, cm, "spin", 300); got.err != nil || !equalU64(got.res, want.res) || got.fuel != want.fuel {
		t.Fatalf("spin(300) optimised: %v %v fuel %d, want %v fuel %d", got.res, got.err, got.fuel, want.res, want.fuel)
	}
	// A call that starts in the baseline's code runs it to its end, and
	// the next sample is at least a few calls away: the loop sees it.
	if runtime.GOARCH == "amd64" && calls["baseline"] == 0 {
		t.Errorf("$spin went from the interpreter to the optimising pipeline without the baseline (calls by tier: %v)", calls)
	}
	t.Logf("calls by tier: %v", calls)
}

// tierNestedWAT: "outer" loops, and calls $inner once per iteration
// only when $n is at least 100.
const tierNestedWAT = `(module
  (func $inner (param i32) (result i32) (local $i i32)
    (loop $l
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get 0))))
    (i32.add (local.get $i) (local.get 0)))
  (func (export "outer") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $acc i32)
    (loop $l
      (local.set $j (i32.const 0))
      (loop $busy
        (local.set $acc (i32.xor (local.get $acc) (local.get $j)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br_if $busy (i32.lt_u (local.get $j) (i32.const 40))))
      (if (i32.ge_u (local.get $n) (i32.const 100))
        (then (local.set $acc (i32.add (local.get $acc) (call $inner (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (local.get $acc)))`

// TestTieringSamplesCalleesOfOptimisedCode: under EngineAuto the
// interpreter hands the optimised code of a promoted function to the
// JIT executor itself; runs of it must still be sampled, or the
// baseline code it calls would never be found hot (where there is a
// baseline: amd64). outer is optimised first, before it ever calls
// $inner; then $inner must go through the baseline to the optimiser.
func TestTieringSamplesCalleesOfOptimisedCode(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("no baseline compiler on " + runtime.GOARCH)
	}
	if raceflag.Enabled {
		// The race detector's pools drop executors at random, and a new
		// executor takes its first sample at its second budget unit
		// (outer's loop here), so $inner is never sampled.
		t.Skip("sampling needs executors that outlive a few short runs")
	}
	auto, interp, cm, icm := tieringPair(t, tierNestedWAT)
	const inner, outer = 0, 1
	deadline := time.Now().Add(time.Minute)
	for _, phase := range []struct {
		n    uint64
		fn   int
		name string
	}{{2, outer, "outer"}, {200, inner, "$inner"}} {
		want := runTier(t, interp, icm, "outer", phase.n)
		for tierOf(cm, phase.fn) != "optimizing" {
			if time.Now().After(deadline) {
				t.Fatalf("%s not optimised within a minute: $inner %s, outer %s", phase.name, tierOf(cm, inner), tierOf(cm, outer))
			}
			if got := runTier(t, auto, cm, "outer", phase.n); got.err != nil || !equalU64(got.res, want.res) || got.fuel != want.fuel {
				t.Fatalf("outer(%d) with $inner %s, outer %s: %v %v fuel %d, want %v fuel %d",
					phase.n, tierOf(cm, inner), tierOf(cm, outer), got.res, got.err, got.fuel, want.res, want.fuel)
			}
		}
	}
}

// TestTiering: under EngineAuto the JIT takes hot functions over in
// the background (by calls and by loop back-edges) while calls run
// concurrently, and the promoted code gives the interpreter's results,
// traps and fuel.
func TestTiering(t *testing.T) {
	auto, interp, cm, icm := tieringPair(t, tierWAT)
	if s := cm.EngineStats(); s[EngineInterpreter] != len(cm.codes) {
		t.Errorf("EngineStats %v: every function is the interpreter's before it tiers up", s)
	}
	// Concurrent callers make $sq and $spin hot; wait for their promotion.
	deadline := time.Now().Add(2 * time.Minute)
	for !(promoted(cm, 0) && promoted(cm, 1) && promoted(cm, 2)) {
		if time.Now().After(deadline) {
			t.Fatalf("not promoted after 2 minutes: $sq %v, $div %v, $spin %v", promoted(cm, 0), promoted(cm, 1), promoted(cm, 2))
		}
		var wg sync.WaitGroup
		for g := 0; g < 4; g++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				want := runTier(t, interp, icm, "run", 300)
				if got := runTier(t, auto, cm, "run", 300); got.err != nil || got.res[0] != want.res[0] || got.fuel != want.fuel {
					t.Errorf("run(300) while tiering: %v %v fuel %d, want %v fuel %d", got.res, got.err, got.fuel, want.res, want.fuel)
				}
				runTier(t, auto, cm, "spin", 30000)
				runTier(t, auto, cm, "divs", 600)
			}()
		}
		wg.Wait()
		time.Sleep(10 * time.Millisecond)
	}
	if promoted(cm, 4) {
		t.Errorf("the div export promoted though it was called only a few times and has no loop")
	}
	for _, c := range []struct {
		name string
		args []uint64
	}{
		{"run", []uint64{0}}, {"run", []uint64{1000}}, {"spin", []uint64{100}}, {"spin", []uint64{1 << 20}},
		{"div", []uint64{7, 2}}, {"div", []uint64{7, 0}}, {"divs", []uint64{50}},
	} {
		want := runTier(t, interp, icm, c.name, c.args...)
		got := runTier(t, auto, cm, c.name, c.args...)
		if !equalU64(got.res, want.res) || got.fuel != want.fuel || (got.err == nil) != (want.err == nil) {
			t.Errorf("%s%v: %v %v fuel %d; interpreter: %v %v fuel %d", c.name, c.args, got.res, got.err, got.fuel, want.res, want.err, want.fuel)
		}
		var gt, wt *Trap
		if errors.As(want.err, &wt) {
			if !errors.As(got.err, &gt) || gt.Code != wt.Code || !sameFuncs(gt.Frames, wt.Frames) {
				t.Errorf("%s%v: trap %v, interpreter's %v", c.name, c.args, got.err, want.err)
			}
		}
	}
}

func equalU64(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// sameFuncs compares backtraces by function (the JIT's frames carry no
// code offsets yet).
func sameFuncs(a, b []Frame) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].FuncIndex != b[i].FuncIndex {
			return false
		}
	}
	return true
}

// TestZeroAllocPromotedCalls: once EngineAuto has promoted fib, a call
// from the host enters the interpreter and its calls of fib cross to the
// JIT (callForeign); that crossing allocates nothing, with a context
// that can be cancelled too (it once cost three allocations per call: a
// context per Run, and errors.As's escaping target; then one for
// context.AfterFunc).
func TestZeroAllocPromotedCalls(t *testing.T) {
	if raceflag.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	rt := NewRuntime(RuntimeConfig{})
	if rt.tierer == nil {
		t.Skip("no tiering on this CPU")
	}
	inst := instantiate(t, rt, fibWAT)
	fib := inst.Func("fib")
	stack := []uint64{15}
	waitPromoted(t, inst.Module(), 0, func() error {
		stack[0] = 15
		return fib.CallInto(context.Background(), stack)
	})
	allocs := testing.AllocsPerRun(20, func() {
		stack[0] = 15
		if err := fib.CallInto(context.Background(), stack); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || stack[0] != 610 {
		t.Fatalf("%v allocations per call of promoted fib(15) (result %d), want 0", allocs, stack[0])
	}
	// With a context that can be cancelled, the interpreter's Run
	// polls it (it once registered context.AfterFunc, a few allocations
	// per call from the host) and makes one context for its calls out
	// (hostCtx, once per Run); the crossing adds nothing else: the JIT
	// polls the context when its budget is spent (it once registered
	// context.AfterFunc per Run, six more allocations on every call
	// between engines).
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ifib := instantiate(t, NewRuntime(RuntimeConfig{Engine: EngineInterpreter}), fibWAT).Func("fib")
	perCall := func(f *Func) float64 {
		return testing.AllocsPerRun(20, func() {
			stack[0] = 15
			if err := f.CallInto(ctx, stack); err != nil {
				t.Fatal(err)
			}
		})
	}
	if got, interp := perCall(fib), perCall(ifib); got > interp+1 || stack[0] != 610 {
		t.Fatalf("cancellable context: %v allocations per call of promoted fib(15) (result %d), want at most the interpreter's %v + 1", got, stack[0], interp)
	}
}

// alternatingWAT: $even and $odd call each other n deep; "warm" makes
// $even hot on its own (n = 0 never reaches $odd).
const alternatingWAT = `(module
  (func $even (export "even") (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (i32.const 1) (call $odd (i32.sub (local.get $n) (i32.const 1)))))
      (else (i32.const 0))))
  (func $odd (param $n i32) (result i32)
    (if (result i32) (local.get $n)
      (then (i32.add (i32.const 2) (call $even (i32.sub (local.get $n) (i32.const 1)))))
      (else (i32.const 0))))
  (func (export "warm") (param $k i32)
    (loop $l
      (drop (call $even (i32.const 0)))
      (local.tee $k (i32.sub (local.get $k) (i32.const 1)))
      (br_if $l))))`

// TestTieringAlternatingRecursion: a recursion through a promoted
// function and one still interpreted crosses engines on every call; it
// must end where the interpreter's would (here: not at all, 5000 deep),
// not at the nesting limits of runs entered from another engine, which
// once made its outcome depend on when background compiles finished.
func TestTieringAlternatingRecursion(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	if rt.tierer == nil {
		t.Skip("no tiering on this CPU")
	}
	inst := instantiate(t, rt, alternatingWAT)
	ctx := context.Background()
	waitPromoted(t, inst.Module(), 0, func() error {
		_, err := inst.Func("warm").Call(ctx, 1000)
		return err
	})
	if promoted(inst.Module(), 1) {
		t.Fatal("$odd promoted before it was ever called")
	}
	const n = 5000 // 2500 crossings each way
	res, err := inst.Func("even").Call(ctx, n)
	if err != nil || res[0] != n/2*3 {
		t.Fatalf("even(%d) with only $even promoted: %v %v, want %d", n, res, err, n/2*3)
	}
}
