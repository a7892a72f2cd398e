package kiln

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/raceflag"
)

// TestCancellableCallAllocatesNothing: a call from the embedder with a
// context that can be cancelled allocates nothing in the interpreter,
// which polls the context instead of registering with it (it once cost
// three allocations per call: context.AfterFunc's).
func TestCancellableCallAllocatesNothing(t *testing.T) {
	if raceflag.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	rt := NewRuntime(RuntimeConfig{Engine: EngineInterpreter})
	f := instantiate(t, rt, `(module (func (export "inc") (param i32) (result i32) (i32.add (local.get 0) (i32.const 1))))`).Func("inc")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	stack := []uint64{1}
	allocs := callAllocs(func() {
		stack[0] = 1
		if err := f.CallInto(ctx, stack); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || stack[0] != 2 {
		t.Fatalf("%v allocations per call with a cancellable context (result %d), want 0", allocs, stack[0])
	}
}

// TestCancellationStopsCalls: a guest that only calls (fib, no loop),
// so that the interpreter's fast call path does all the checks, stops
// soon after its deadline; so does one spinning in a loop
// (TestContextCancellation).
func TestCancellationStopsCalls(t *testing.T) {
	for _, e := range []Engine{EngineInterpreter, EngineAuto} {
		t.Run(e.String(), func(t *testing.T) {
			fib := instantiate(t, NewRuntime(RuntimeConfig{Engine: e}), fibWAT).Func("fib")
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err := fib.Call(ctx, 45) // minutes in the interpreter
			if elapsed := time.Since(start); !errors.Is(err, context.DeadlineExceeded) || elapsed > 2*time.Second {
				t.Fatalf("fib(45) with a 20ms deadline: %v after %v, want context.DeadlineExceeded within 2s", err, elapsed)
			}
		})
	}
}

// TestContextDoneBeforeCall: a call with a context already done returns
// its error without running the guest.
func TestContextDoneBeforeCall(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Engine: EngineInterpreter})
	inst := instantiate(t, rt, `(module (global (export "g") (mut i32) (i32.const 0))
		(func (export "mark") (global.set 0 (i32.const 1))))`)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := inst.Func("mark").Call(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if g := inst.Global("g").Get(); g.Lo != 0 {
		t.Fatalf("the guest ran: g = %d", g.Lo)
	}
}
