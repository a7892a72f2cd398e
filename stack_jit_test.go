//go:build kilnjit && linux && (amd64 || arm64)

package kiln

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

// sumFunc is $sum, the recursion sum(n) = n + sum(n-1), n deep.
const sumFunc = `(func $sum (param i32) (result i32)
  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
    (else (i32.add (local.get 0) (call $sum (i32.sub (local.get 0) (i32.const 1)))))))`

// TestJITStackCharged: the JIT's machine stack is charged to a
// HeapLimiter as the interpreter's frame stack is: a deep recursion
// charges it while it runs and gives it all back, a limiter's refusal
// traps "call stack exhausted" saying so, and a frame larger than the
// stack's free window (80 KB of locals) grows it too.
func TestJITStackCharged(t *testing.T) {
	const sum = `(module ` + sumFunc + ` (export "f" (func $sum)))`
	run := func(t *testing.T, wat string, limit uint64, args ...uint64) (*heapLimiter, []uint64, error) {
		t.Helper()
		lim := &heapLimiter{limit: limit}
		rt := NewRuntime(RuntimeConfig{Engine: EngineJIT, Limiter: lim})
		inst := instantiate(t, rt, wat)
		if e := inst.Module().FuncEngine(0); e != EngineJIT {
			t.Fatalf("f compiled by %v, want the JIT", e)
		}
		res, err := inst.Func("f").Call(context.Background(), args...)
		if lim.usedNow() != 0 {
			t.Errorf("%d bytes still charged after the call", lim.usedNow())
		}
		return lim, res, err
	}
	lim, res, err := run(t, sum, 1<<30, 100_000)
	if err != nil || res[0] != 5000050000&0xFFFFFFFF {
		t.Fatalf("sum(100000) = %v, %v", res, err)
	}
	if lim.peak < 1<<20 {
		t.Errorf("sum(100000) charged at most %d bytes, want the machine stack it used (over 1 MiB)", lim.peak)
	}
	const why = "the frame stack's memory was refused by the resource limiter"
	var trap *Trap
	for _, c := range []struct {
		name string
		wat  string
		args []uint64
	}{{"sum(1000000)", sum, []uint64{1_000_000}}, {"big frames", bigFrameModule(), nil}} {
		lim, _, err = run(t, c.wat, 1<<20, c.args...)
		if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted || !strings.Contains(trap.Detail, why) {
			t.Errorf("%s under a 1 MiB limiter: %v, want call stack exhausted (%s)", c.name, err, why)
		}
		if lim.refused == 0 || lim.peak == 0 || lim.peak > 1<<20 {
			t.Errorf("%s: %d refusals, peak %d bytes; want refusals and a peak within 1 MiB", c.name, lim.refused, lim.peak)
		}
	}
}

// jitChargingLimiter is a heapLimiter that also counts the grants asked
// for by the JIT's machine-stack charging (jitengine's stackCharge on the
// caller's Go stack), which only machine code's prologue exits reach.
type jitChargingLimiter struct {
	heapLimiter
	jitGrants atomic.Int64
}

func (l *jitChargingLimiter) GrowHeap(cur, want uint64) bool {
	if want > cur {
		pcs := make([]uintptr, 32)
		frames := runtime.CallersFrames(pcs[:runtime.Callers(2, pcs)])
		for {
			f, more := frames.Next()
			if strings.Contains(f.Function, "jitengine.(*stackCharge).grow") {
				l.jitGrants.Add(1)
				break
			}
			if !more {
				break
			}
		}
	}
	return l.heapLimiter.GrowHeap(cur, want)
}

// TestTieringChargesStack: under EngineAuto an instance whose limiter
// bounds host memory runs its promoted functions as machine code too
// (it once stayed in the interpreter, before machine stacks were
// charged), and their machine stack is charged to the limiter: a deep
// recursion is charged and given back, and a refusal traps as the
// interpreter's would.
func TestTieringChargesStack(t *testing.T) {
	const sumWAT = `(module ` + sumFunc + `
	  (func (export "sum") (param i32) (result i32) (call $sum (local.get 0)))
	  (func (export "warm") (param $k i32)
	    (loop $l
	      (drop (call $sum (i32.const 3)))
	      (local.tee $k (i32.sub (local.get $k) (i32.const 1)))
	      (br_if $l))))`
	lim := &jitChargingLimiter{heapLimiter: heapLimiter{limit: 1 << 30}}
	rt := NewRuntime(RuntimeConfig{Limiter: lim})
	if rt.tierer == nil {
		t.Skip("no tiering on this CPU")
	}
	inst := instantiate(t, rt, sumWAT)
	ctx := context.Background()
	waitPromoted(t, inst.Module(), 0, func() error {
		_, err := inst.Func("warm").Call(ctx, 1000)
		return err
	})
	res, err := inst.Func("sum").Call(ctx, 100_000)
	if err != nil || res[0] != 5000050000&0xFFFFFFFF {
		t.Fatalf("sum(100000) = %v, %v", res, err)
	}
	if lim.jitGrants.Load() == 0 {
		t.Fatal("sum(100000) with $sum promoted: no machine stack charged, so it did not run as machine code")
	}
	if lim.usedNow() != 0 {
		t.Errorf("%d bytes still charged after the call", lim.usedNow())
	}
	lim.mu.Lock()
	lim.limit, lim.peak, lim.refused = 1<<20, 0, 0
	lim.mu.Unlock()
	const why = "the frame stack's memory was refused by the resource limiter"
	var trap *Trap
	_, err = inst.Func("sum").Call(ctx, 1_000_000)
	if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted || !strings.Contains(trap.Detail, why) {
		t.Errorf("sum(1000000) under a 1 MiB limiter: %v, want call stack exhausted (%s)", err, why)
	}
	if lim.refused == 0 || lim.peak > 1<<20 || lim.usedNow() != 0 {
		t.Errorf("sum(1000000): %d refusals, peak %d, %d bytes left charged; want refusals, a peak within 1 MiB, nothing left", lim.refused, lim.peak, lim.usedNow())
	}
}
