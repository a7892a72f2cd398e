package kiln

import (
	"context"
	"errors"
	"runtime/metrics"
	"strings"
	"sync/atomic"
	"testing"
)

// reentryRuntime defines a host function env.reenter that calls the
// export "f" of the instance it is given back with a fresh context, and
// an instance whose f calls env.reenter: each round nests one host call
// and one wasm call deeper. The host function gives up after 100000
// nested rounds (the recursion would otherwise end the process) and
// returns errUnbounded.
func reentryRuntime(t *testing.T, cfg RuntimeConfig) (*Instance, *atomic.Int64) {
	return reentryRuntimeHook(t, cfg, nil)
}

// reentryRuntimeHook is reentryRuntime with onCall run in every host call.
func reentryRuntimeHook(t *testing.T, cfg RuntimeConfig, onCall func()) (*Instance, *atomic.Int64) {
	t.Helper()
	rt := NewRuntime(cfg)
	var inst *Instance
	var depth, deepest atomic.Int64
	_, err := rt.NewHostModule("env").Func("reenter", func() error {
		d := depth.Add(1)
		defer depth.Add(-1)
		if d > deepest.Load() {
			deepest.Store(d)
		}
		if d > 100000 {
			return errUnbounded
		}
		if onCall != nil {
			onCall()
		}
		_, err := inst.Func("f").Call(context.Background())
		return err
	}).Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	inst = instantiate(t, rt, `(module (import "env" "reenter" (func $r))
	  (func (export "f") (call $r)))`)
	return inst, &deepest
}

var errUnbounded = errors.New("host re-entry was not bounded")

// TestHostReentryFreshContext: host->wasm->host recursion through calls
// made with context.Background() meets the call-depth limit and, without
// one, the re-entry limit, with a clear trap, on every engine of the
// build (the JIT finds the run waiting for the host function in the
// instance, as the interpreter does; EngineAuto's export runs its
// promoted code once it is hot).
func TestHostReentryFreshContext(t *testing.T) {
	for _, e := range []Engine{EngineInterpreter, EngineAuto, EngineJIT} {
		if e.Available() != nil {
			continue
		}
		t.Run(e.String(), func(t *testing.T) {
			inst, deepest := reentryRuntime(t, RuntimeConfig{Engine: e, MaxCallDepth: 50})
			_, err := inst.Func("f").Call(context.Background())
			var trap *Trap
			if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted || deepest.Load() > 50 {
				t.Fatalf("depth 50: %v after %d nested host calls; want call stack exhausted within 50", err, deepest.Load())
			}
			inst, deepest = reentryRuntime(t, RuntimeConfig{Engine: e, MaxHostReentry: 20})
			_, err = inst.Func("f").Call(context.Background())
			if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted || !strings.Contains(err.Error(), "host function re-entry") || deepest.Load() != 21 {
				t.Fatalf("re-entry 20: %v after %d nested host calls; want a re-entry trap in the 21st (20 nested calls into wasm run)", err, deepest.Load())
			}
			inst, deepest = reentryRuntime(t, RuntimeConfig{Engine: e})
			_, err = inst.Func("f").Call(context.Background())
			if !errors.As(err, &trap) || deepest.Load() != DefaultMaxHostReentry+1 {
				t.Fatalf("defaults: %v after %d nested host calls; want a trap after %d", err, deepest.Load(), DefaultMaxHostReentry)
			}
			// After the trap, the instance runs normally again (nothing stays
			// counted).
			if _, err := inst.Func("f").Call(context.Background()); !errors.As(err, &trap) || deepest.Load() != DefaultMaxHostReentry+1 {
				t.Fatalf("second run: %v after %d", err, deepest.Load())
			}
		})
	}
}

func bigFrameModule() string {
	return `(module (func $f (export "f") ` + strings.Repeat("(local i64) ", 10000) + ` call $f))`
}

// TestFrameStackBytes: the frame stack is bounded in bytes
// (MaxStackBytes) and charged to a HeapLimiter while a call holds it;
// recursion of big frames traps within the budget and gives it all back.
func TestFrameStackBytes(t *testing.T) {
	lim := &heapLimiter{limit: 1 << 30}
	rt := NewRuntime(RuntimeConfig{Limiter: lim, MaxStackBytes: 16 << 20})
	inst := instantiate(t, rt, bigFrameModule())
	_, err := inst.Func("f").Call(context.Background())
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted {
		t.Fatalf("err = %v, want call stack exhausted", err)
	}
	if lim.peak == 0 || lim.peak > 16<<20 || lim.usedNow() != 0 {
		t.Fatalf("limiter: peak %d bytes (want 1..16 MiB), %d still charged", lim.peak, lim.usedNow())
	}
	// The limiter's refusal is a trap too.
	lim = &heapLimiter{limit: 1 << 20}
	rt = NewRuntime(RuntimeConfig{Limiter: lim})
	inst = instantiate(t, rt, bigFrameModule())
	if _, err := inst.Func("f").Call(context.Background()); !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted || lim.refused == 0 {
		t.Fatalf("under a 1 MiB limiter: %v, %d refusals", err, lim.refused)
	}
}

// TestDeepRecursionDefault: the default budget holds a million frames of
// a small recursive function.
func TestDeepRecursionDefault(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, `(module (func $sum (export "sum") (param i32) (result i32)
	  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
	    (else (i32.add (local.get 0) (call $sum (i32.sub (local.get 0) (i32.const 1))))))))`)
	res, err := inst.Func("sum").Call(context.Background(), 1_000_000)
	if err != nil || res[0] != 500000500000&0xFFFFFFFF {
		t.Fatalf("sum(1000000) = %v, %v", res, err)
	}
}

// TestHostReentryHostStack measures the host's goroutine stacks while a
// guest recurses through a host function that calls back with a fresh
// context under the defaults: the recursion traps after
// DefaultMaxHostReentry levels with the Go stacks under 64 MiB (it grew
// until the process died before).
func TestHostReentryHostStack(t *testing.T) {
	sample := []metrics.Sample{{Name: "/memory/classes/heap/stacks:bytes"}}
	var peak uint64
	inst, deepest := reentryRuntimeHook(t, RuntimeConfig{}, func() {
		metrics.Read(sample)
		peak = max(peak, sample[0].Value.Uint64())
	})
	_, err := inst.Func("f").Call(context.Background())
	var trap *Trap
	if !errors.As(err, &trap) || deepest.Load() != DefaultMaxHostReentry+1 || peak > 64<<20 {
		t.Fatalf("%v after %d levels, Go stacks peaked at %d MiB", err, deepest.Load(), peak>>20)
	}
	t.Logf("%d levels, Go stacks peaked at %d KiB", deepest.Load(), peak>>10)
}
