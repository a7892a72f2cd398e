//go:build kilnjit

package kiln

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/kilnrt/kiln/wasm"
)

// backtraceModule traps in many ways at the bottom of recursions; every
// function but $interp (which sets an imported mutable global, which the
// JIT leaves to the interpreter) is compiled by the JIT.
const backtraceModule = `(module
	(import "host" "fail" (func $fail (param i32)))
	(import "host" "callback" (func $callback (param i32)))
	(import "host" "g" (global $g (mut i32)))
	(memory 1)
	(table $t 2 funcref)
	(elem (i32.const 0) $leaf)
	(func $leaf (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
	;; recursion n deep, then a trap chosen by how
	(func $rec (export "rec") (param $n i32) (param $how i32) (result i32)
		(if (result i32) (local.get $n)
			(then (i32.add (i32.const 1)
				(call $rec (i32.sub (local.get $n) (i32.const 1)) (local.get $how))))
			(else (call $bottom (local.get $how)))))
	(func $bottom (param $how i32) (result i32)
		(block $b7 (block $b6 (block $b5 (block $b4 (block $b3 (block $b2 (block $b1 (block $b0
			(br_table $b0 $b1 $b2 $b3 $b4 $b5 $b6 $b7 (local.get $how)))
			unreachable)
			(return (i32.load offset=8 (i32.const 65530))))
			(return (call_indirect (param i32) (result i32) (i32.const 0) (i32.const 7))))
			(return (call_indirect (param i32) (result i32) (i32.const 0) (i32.const 0))))
			(call $fail (i32.const 3)) (return (i32.const 0)))
			(call $callback (i32.const 4)) (return (i32.const 0)))
			(memory.fill (i32.const 65000) (i32.const 0) (i32.const 1000)) (return (i32.const 0)))
		(call $interp (i32.const 2)))
	;; mutual recursion: $even and $odd, then through the interpreter
	(func $even (export "even") (param $n i32) (param $how i32) (result i32)
		(if (result i32) (local.get $n)
			(then (call $odd (i32.sub (local.get $n) (i32.const 1)) (local.get $how)))
			(else (call $bottom (local.get $how)))))
	(func $odd (param $n i32) (param $how i32) (result i32)
		(if (result i32) (local.get $n)
			(then (i32.mul (i32.const 2) (call $even (i32.sub (local.get $n) (i32.const 1)) (local.get $how))))
			(else (call $bottom (local.get $how)))))
	;; in the interpreter (an imported mutable global), calling back into
	;; machine code for a second recursion ending in a trap
	(func $interp (param $n i32) (result i32)
		(global.set $g (local.get $n))
		(call $rec (local.get $n) (i32.const 0)))
	;; loads off one address whose checks jit/opt makes one (widened)
	(func (export "group") (param $a i32) (result i32)
		(i32.add (i32.add (i32.load offset=0 (local.get $a)) (i32.load16_u offset=40 (local.get $a)))
			(i32.add (i32.load8_u offset=20 (local.get $a)) (i32.load offset=100 (local.get $a)))))
	;; what the host callback calls: a recursion ending in a division by zero
	(func (export "inner") (param $n i32) (result i32)
		(call $rec (local.get $n) (i32.const 3))))`

// trapOf runs export name of a fresh instance of backtraceModule under
// engine and returns its trap.
func trapOf(t *testing.T, eng Engine, name string, args ...uint64) *Trap {
	t.Helper()
	return trapWith(t, RuntimeConfig{Engine: eng}, name, args...)
}

// trapWith is trapOf with a runtime configuration.
func trapWith(t *testing.T, cfg RuntimeConfig, name string, args ...uint64) *Trap {
	t.Helper()
	eng := cfg.Engine
	ctx := context.Background()
	rt := NewRuntime(cfg)
	var inst *Instance
	if _, err := rt.NewHostModule("host").
		Func("fail", func(n int32) error { return &Trap{Code: TrapUnreachable} }).
		Func("callback", func(ctx context.Context, n int32) error {
			_, err := inst.Func("inner").Call(ctx, uint64(n))
			return err
		}).
		Global("g", wasm.GlobalType{Type: wasm.I32, Mutable: true}, ValueI32(0)).
		Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cm := compile(t, rt, backtraceModule)
	if eng == EngineJIT {
		if st := cm.EngineStats(); st[EngineInterpreter] != 1 {
			t.Fatalf("engines: %v, want one function in the interpreter", st)
		}
	}
	var err error
	if inst, err = rt.Instantiate(ctx, cm, ModuleConfig{Name: "bt"}); err != nil {
		t.Fatal(err)
	}
	_, err = inst.Func(name).Call(ctx, args...)
	var trap *Trap
	if !errors.As(err, &trap) {
		t.Fatalf("%s%v under %v: %v, want a trap", name, args, eng, err)
	}
	return trap
}

// TestJITBacktraces: traps in machine code, in Go for machine code, in
// host functions and callbacks, and across the interpreter have the
// interpreter's code, frames (function, offset, name, module) and
// omitted-frame count.
func TestJITBacktraces(t *testing.T) {
	var cases []struct {
		name string
		args []uint64
	}
	for how := uint64(0); how < 8; how++ {
		for _, n := range []uint64{0, 1, 7, 40} {
			cases = append(cases, struct {
				name string
				args []uint64
			}{"rec", []uint64{n, how}}, struct {
				name string
				args []uint64
			}{"even", []uint64{n, how}})
		}
	}
	deep := uint64(MaxTrapFrames + 25) // Frames is cut at MaxTrapFrames
	cases = append(cases, struct {
		name string
		args []uint64
	}{"rec", []uint64{deep, 0}}, struct {
		name string
		args []uint64
	}{"even", []uint64{deep, 2}})
	for _, a := range []uint64{65440, 65500, 65510, 65530, 65534, 1 << 20} {
		cases = append(cases, struct {
			name string
			args []uint64
		}{"group", []uint64{a}})
	}
	for _, c := range cases {
		t.Run(fmt.Sprint(c.name, c.args), func(t *testing.T) {
			want := trapOf(t, EngineInterpreter, c.name, c.args...)
			got := trapOf(t, EngineJIT, c.name, c.args...)
			if len(want.Frames) < 1 {
				t.Fatalf("the interpreter's backtrace has %d frames", len(want.Frames))
			}
			if got.Code != want.Code || got.OmittedFrames != want.OmittedFrames {
				t.Errorf("JIT: %v, %d omitted; interpreter: %v, %d omitted", got.Code, got.OmittedFrames, want.Code, want.OmittedFrames)
			}
			if d := cmp.Diff(want.Frames, got.Frames); d != "" {
				t.Errorf("frames differ (-interpreter +JIT):\n%s", d)
			}
		})
	}
}

// TestJITMaxCallDepth: under RuntimeConfig.MaxCallDepth, machine code
// traps "call stack exhausted" at the same call as the interpreter,
// with the same backtrace, in recursions of machine code alone, through
// the interpreter (JIT -> interpreter -> JIT) and through a host
// callback (whose run continues the caller's depth), and under
// EngineAuto once the functions are promoted.
func TestJITMaxCallDepth(t *testing.T) {
	for _, depth := range []int{1, 2, 5, 30, 100} {
		for _, c := range []struct {
			name string
			args []uint64
		}{
			{"rec", []uint64{200, 1}},  // out of bounds past the limit: the limit traps first
			{"even", []uint64{200, 1}}, // mutual recursion
			{"rec", []uint64{10, 7}},   // then through the interpreter, recursing again
			{"rec", []uint64{10, 5}},   // then through a host callback, recursing again
			{"rec", []uint64{uint64(depth) - 1, 1}},
			{"rec", []uint64{uint64(depth), 1}},
			{"rec", []uint64{uint64(depth) + 1, 1}},
		} {
			t.Run(fmt.Sprint(depth, c.name, c.args), func(t *testing.T) {
				want := trapWith(t, RuntimeConfig{Engine: EngineInterpreter, MaxCallDepth: depth}, c.name, c.args...)
				got := trapWith(t, RuntimeConfig{Engine: EngineJIT, MaxCallDepth: depth}, c.name, c.args...)
				if got.Code != want.Code || got.OmittedFrames != want.OmittedFrames {
					t.Errorf("JIT: %v, %d omitted; interpreter: %v, %d omitted", got.Code, got.OmittedFrames, want.Code, want.OmittedFrames)
				}
				if d := cmp.Diff(want.Frames, got.Frames); d != "" {
					t.Errorf("frames differ (-interpreter +JIT):\n%s", d)
				}
			})
		}
	}
}

// exceptionModule: $rec recurses n deep in machine code, then calls
// $throw, which the JIT leaves to the interpreter (exception handling);
// "caught" catches the exception in the interpreter above the machine
// frames.
const exceptionModule = `(module
	(tag $e (param i32))
	(func $throw (param i32) (throw $e (local.get 0)))
	(func $rec (export "rec") (param $n i32) (result i32)
		(if (result i32) (local.get $n)
			(then (i32.add (i32.const 1) (call $rec (i32.sub (local.get $n) (i32.const 1)))))
			(else (call $throw (i32.const 7)) (i32.const 0))))
	(func (export "caught") (param $n i32) (result i32)
		(block $h (result i32)
			(try_table (catch $e $h) (return (call $rec (local.get $n))))
			(unreachable))))`

// TestJITUncaughtExceptionBacktraces: an exception thrown in the
// interpreter below machine frames and caught by none has the
// interpreter's backtrace, from the throw to the outermost frame (it
// once kept only the frames of the Run that gave up on it), and one
// caught above them is caught.
func TestJITUncaughtExceptionBacktraces(t *testing.T) {
	ctx := context.Background()
	call := func(eng Engine, name string, n uint64) ([]uint64, error) {
		rt := NewRuntime(RuntimeConfig{Engine: eng})
		cm := compile(t, rt, exceptionModule)
		if st := cm.EngineStats(); eng == EngineJIT && st[EngineJIT] != 1 {
			t.Fatalf("engines: %v, want $rec compiled", st)
		}
		inst, err := rt.Instantiate(ctx, cm, ModuleConfig{Name: "exn"})
		if err != nil {
			t.Fatal(err)
		}
		return inst.Func(name).Call(ctx, n)
	}
	for _, n := range []uint64{0, 1, 7, MaxTrapFrames + 25} {
		_, werr := call(EngineInterpreter, "rec", n)
		_, gerr := call(EngineJIT, "rec", n)
		var want, got *Trap
		if !errors.As(werr, &want) || !errors.As(gerr, &got) || want.Code != TrapUncaughtException || got.Code != want.Code {
			t.Fatalf("rec(%d): JIT %v, interpreter %v; want uncaught exceptions", n, gerr, werr)
		}
		if len(want.Frames) < 2 || got.OmittedFrames != want.OmittedFrames {
			t.Errorf("rec(%d): JIT %d frames, %d omitted; interpreter %d, %d", n, len(got.Frames), got.OmittedFrames, len(want.Frames), want.OmittedFrames)
		}
		if d := cmp.Diff(want.Frames, got.Frames); d != "" {
			t.Errorf("rec(%d): frames differ (-interpreter +JIT):\n%s", n, d)
		}
		res, err := call(EngineJIT, "caught", n)
		if err != nil || len(res) != 1 || res[0] != 7 {
			t.Errorf("caught(%d) on the JIT: %v %v, want 7", n, res, err)
		}
	}
}
