//go:build kilnjit

package kiln

import (
	"context"
	"errors"
	"runtime"
	"strings"
	"testing"
	"time"
)

// tierLoopWAT: spin is called once and loops n times, calling the host's
// tick at the top of every iteration; at iteration 900 its mode makes it
// trap out of bounds (1), recurse in $deep until the call stack is
// exhausted (2), counting the levels in $depth, or call $throw, which
// throws an exception that "outer" catches (3) or not (4). "outer" calls
// spin from a frame of its own, so that backtraces, call depth and
// exception handlers have a caller.
const tierLoopWAT = `(module
  (import "host" "tick" (func $tick (param i32)))
  (global $depth (export "depth") (mut i32) (i32.const 0))
  (memory 1)
  (tag $e (param i32))
  (func $deep (param i32)
    (global.set $depth (i32.add (global.get $depth) (i32.const 1)))
    (call $deep (local.get 0)))
  (func $spin (param $n i32) (param $mode i32) (result i64)
    (local $i i32) (local $acc i64) (local $f f64)
    (loop $l
      (call $tick (local.get $i))
      (local.set $acc (i64.add (i64.mul (local.get $acc) (i64.const 31)) (i64.extend_i32_u (local.get $i))))
      (local.set $f (f64.add (local.get $f) (f64.const 0.5)))
      (if (i32.eq (local.get $i) (i32.const 900))
        (then
          (if (i32.eq (local.get $mode) (i32.const 1))
            (then (i32.store (i32.const 65536) (i32.const 1))))
          (if (i32.eq (local.get $mode) (i32.const 2))
            (then (call $deep (i32.const 0))))
          (if (i32.ge_u (local.get $mode) (i32.const 3))
            (then (call $throw (local.get $i))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i64.add (local.get $acc) (i64.trunc_f64_s (local.get $f))))
  (func $throw (param i32) (throw $e (local.get 0)))
  (func (export "outer") (param i32 i32) (result i64)
    (if (i32.eq (local.get 1) (i32.const 4))
      (then (return (call $spin (local.get 0) (local.get 1)))))
    (i64.extend_i32_u
      (block $caught (result i32)
        (try_table (catch $e $caught)
          (return (i64.add (call $spin (local.get 0) (local.get 1)) (i64.const 1))))
        (unreachable)))))`

// tierLoopSpin is $spin's defined function index in tierLoopWAT.
const tierLoopSpin = 1

// loopRun is one call of outer on a fresh compile of tierLoopWAT: what
// it returned, the fuel it spent, the last iteration it ticked, $depth,
// and how many ticks came from a frame continued in machine code.
type loopRun struct {
	res                []uint64
	err                error
	fuel               uint64
	last, depth        uint32
	ticks, machineTick int
}

// runLoop calls outer(n, mode) with a fuel budget on a runtime of eng
// with a call depth limit. Under EngineAuto, tick holds iteration 200
// until $spin is promoted: the frame running since iteration 0 must
// then continue in the promoted code at the loop's head (on-stack
// replacement), which the host sees on its Go stack.
func runLoop(t *testing.T, eng Engine, n, mode uint32, budget uint64) loopRun {
	t.Helper()
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Engine: eng, MaxCallDepth: 3000})
	if eng == EngineAuto && rt.tierer == nil {
		t.Skip("no tiering on this CPU")
	}
	var r loopRun
	var cm *CompiledModule
	tick := func(i uint32) error {
		r.last = i
		r.ticks++
		if eng != EngineAuto {
			return nil
		}
		if i == 200 {
			deadline := time.Now().Add(time.Minute)
			for !promoted(cm, tierLoopSpin) {
				if time.Now().After(deadline) {
					return errors.New("$spin was not promoted within a minute")
				}
				time.Sleep(time.Millisecond)
			}
		}
		if i > 200 && onGoStack("jitengine.(*executor).RunLoop") {
			r.machineTick++
		}
		return nil
	}
	if _, err := rt.NewHostModule("host").Func("tick", tick).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cm = compile(t, rt, tierLoopWAT)
	tank := NewFuelTank(budget)
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{FuelSource: tank})
	if err != nil {
		t.Fatal(err)
	}
	r.res, r.err = inst.Func("outer").Call(ctx, uint64(n), uint64(mode))
	r.fuel = tank.Consumed()
	r.depth = uint32(inst.Global("depth").Get().I32())
	return r
}

// onGoStack reports whether a function whose name contains name is on
// the calling goroutine's stack.
func onGoStack(name string) bool {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	for {
		f, more := frames.Next()
		if strings.Contains(f.Function, name) {
			return true
		}
		if !more {
			return false
		}
	}
}

// TestTieringEntersLoops: a frame of a function promoted while it runs
// continues in the promoted code at its next back-edge, with the same
// results, fuel, traps (backtraces included), call depth and fuel
// exhaustion as in the interpreter.
func TestTieringEntersLoops(t *testing.T) {
	if runtime.GOARCH != "amd64" {
		t.Skip("loop entries are the baseline compiler's (amd64)")
	}
	cases := []struct {
		name   string
		n      uint32
		mode   uint32
		budget uint64
	}{
		{"returns", 1000, 0, 1 << 40},
		{"traps", 1000, 1, 1 << 40},
		{"exhausts the call stack", 1000, 2, 1 << 40},
		{"runs out of fuel", 1000, 0, 700},
		{"throws to its caller", 1000, 3, 1 << 40},
		{"throws beyond the call", 1000, 4, 1 << 40},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			want := runLoop(t, EngineInterpreter, c.n, c.mode, c.budget)
			got := runLoop(t, EngineAuto, c.n, c.mode, c.budget)
			if got.machineTick == 0 {
				t.Fatalf("no tick after iteration 200 came from machine code entered at the loop (%d ticks)", got.ticks)
			}
			if !equalU64(got.res, want.res) || got.fuel != want.fuel || got.last != want.last || got.depth != want.depth {
				t.Errorf("auto: %v fuel %d, last tick %d, depth %d\nwant %v fuel %d, last tick %d, depth %d",
					got.res, got.fuel, got.last, got.depth, want.res, want.fuel, want.last, want.depth)
			}
			var gt, wt *Trap
			switch {
			case errors.As(want.err, &wt):
				if !errors.As(got.err, &gt) || gt.Code != wt.Code {
					t.Fatalf("auto: %v, want %v", got.err, want.err)
				}
				if len(gt.Frames) != len(wt.Frames) || gt.OmittedFrames != wt.OmittedFrames {
					t.Fatalf("auto's backtrace: %d frames, %d omitted: %v...\nwant %d, %d: %v...", len(gt.Frames), gt.OmittedFrames, gt.Frames[:min(4, len(gt.Frames))],
						len(wt.Frames), wt.OmittedFrames, wt.Frames[:min(4, len(wt.Frames))])
				}
				for i := range wt.Frames {
					if gt.Frames[i].FuncIndex != wt.Frames[i].FuncIndex || gt.Frames[i].Offset != wt.Frames[i].Offset {
						t.Errorf("frame %d: %+v, want %+v", i, gt.Frames[i], wt.Frames[i])
					}
				}
			case !errors.Is(got.err, want.err):
				t.Errorf("auto: %v, want %v", got.err, want.err)
			}
			if (c.mode == 1 || c.mode == 2 || c.mode == 4) && wt == nil {
				t.Errorf("the interpreter did not trap: %v", want.err)
			}
			if got.err != nil && want.err != nil && got.err.Error() != want.err.Error() {
				t.Errorf("auto: %q, want %q", got.err, want.err)
			}
			t.Logf("%d ticks, %d from machine code; %v", got.ticks, got.machineTick, got.err)
		})
	}
}
