package kiln

import (
	"context"
	"errors"
	"testing"
)

// TestHostTrapDeepBacktrace: a trap returned by a host function under a
// recursion deeper than MaxTrapFrames keeps the innermost MaxTrapFrames
// frames and counts the others in OmittedFrames, as a trap raised by wasm
// code does, in each engine this build has.
func TestHostTrapDeepBacktrace(t *testing.T) {
	for _, eng := range []Engine{EngineInterpreter, EngineJIT} {
		if err := eng.Available(); err != nil {
			t.Logf("%v: %v", eng, err)
			continue
		}
		t.Run(eng.String(), func(t *testing.T) { hostTrapDeepBacktrace(t, eng) })
	}
}

func hostTrapDeepBacktrace(t *testing.T, eng Engine) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Engine: eng})
	if _, err := rt.NewHostModule("host").
		Func("fail", func() error { return &Trap{Code: TrapUnreachable} }).
		Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cm := compile(t, rt, `(module
		(import "host" "fail" (func $fail))
		(func $rec (export "rec") (param $n i32)
			(if (local.get $n)
				(then (call $rec (i32.sub (local.get $n) (i32.const 1))))
				(else (call $fail)))))`)
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{Name: "deep"})
	if err != nil {
		t.Fatal(err)
	}
	if eng == EngineJIT && cm.EngineStats()[EngineJIT] != 1 {
		t.Fatalf("engines: %v, want $rec compiled", cm.EngineStats())
	}
	for _, depth := range []int{0, MaxTrapFrames - 1, MaxTrapFrames + 30} {
		_, err := inst.Func("rec").Call(ctx, uint64(depth))
		var trap *Trap
		if !errors.As(err, &trap) {
			t.Fatalf("depth %d: %v, want a trap", depth, err)
		}
		frames := depth + 1 // $rec at every level, none for the host function
		wantKept := min(frames, MaxTrapFrames)
		if len(trap.Frames) != wantKept || trap.OmittedFrames != frames-wantKept {
			t.Errorf("depth %d: %d frames and %d omitted, want %d and %d", depth, len(trap.Frames), trap.OmittedFrames, wantKept, frames-wantKept)
		}
	}
}
