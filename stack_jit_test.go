//go:build kilnjit && linux && (amd64 || arm64)

package kiln

import (
	"context"
	"errors"
	"strings"
	"testing"
)

// TestJITStackCharged: the JIT's machine stack is charged to a
// HeapLimiter as the interpreter's frame stack is: a deep recursion
// charges it while it runs and gives it all back, a limiter's refusal
// traps "call stack exhausted" saying so, and a frame larger than the
// stack's free window (80 KB of locals) grows it too.
func TestJITStackCharged(t *testing.T) {
	const sum = `(module (func $sum (export "f") (param i32) (result i32)
	  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
	    (else (i32.add (local.get 0) (call $sum (i32.sub (local.get 0) (i32.const 1))))))))`
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
