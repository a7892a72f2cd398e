//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// mixed has functions the JIT compiles (loops, recursion, memory,
// globals, call_indirect, memory.fill) and one it leaves to the
// interpreter (fill, which reads an imported mutable global), calling
// each other both ways, and a host import.
const mixed = `(module
  (import "env" "twice" (func $twice (param i32) (result i32)))
  (import "env" "base" (global $base (mut i32)))
  (memory 1 4)
  (global $g (mut i32) (i32.const 5))
  (table 2 funcref)
  (elem (i32.const 0) $fib $viaGlobal)
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func $viaGlobal (export "viaGlobal") (param i32) (result i32)
    (global.set $g (i32.add (global.get $g) (local.get 0)))
    (call $fib (global.get $g)))
  (func (export "indirect") (param i32 i32) (result i32)
    (call_indirect (param i32) (result i32) (local.get 1) (local.get 0)))
  (func (export "mix") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (call $viaGlobal (i32.const 1))))
      (local.set 1 (i32.add (local.get 1) (call $twice (local.get 0))))
      (local.set 1 (i32.add (local.get 1) (call $fill (local.get 0))))
      (i32.store (i32.mul (local.get 0) (i32.const 4)) (local.get 1))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get 0) (i32.const 0))))
    (i32.add (local.get 1) (i32.load (i32.const 4))))
  (func (export "grow") (param i32) (result i32)
    (drop (memory.grow (local.get 0)))
    (i32.store (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)) (i32.const 77))
    (i32.add (memory.size) (i32.load (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 4)))))
  (func $fill (export "fill") (param i32) (result i32)
    (memory.fill (global.get $base) (i32.const 7) (local.get 0))
    (i32.add (call $fib (i32.const 10)) (i32.load8_u (i32.const 100))))
  (func (export "spin") (loop $l (br $l)))
  (func (export "div") (param i32 i32) (result i32) (i32.div_s (local.get 0) (local.get 1))))`

type call struct {
	name string
	args []uint64
}

var calls = []call{
	{"fib", []uint64{20}}, {"viaGlobal", []uint64{3}}, {"indirect", []uint64{0, 15}}, {"indirect", []uint64{1, 2}},
	{"mix", []uint64{10}}, {"grow", []uint64{2}}, {"grow", []uint64{9}}, {"div", []uint64{7, 0}}, {"div", []uint64{1 << 31, 0xffffffff}}, {"fill", []uint64{3}}, {"indirect", []uint64{5, 2}},
	{"fib", []uint64{15}},
}

func instance(t *testing.T, eng kiln.Engine, fuel kiln.FuelSource) (*kiln.Instance, *kiln.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	bin, err := wast.ParseModule("mixed.wat", []byte(mixed))
	if err != nil {
		t.Fatal(err)
	}
	r := kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng, FuelSource: fuel})
	if _, err := r.NewHostModule("env").Func("twice", func(ctx context.Context, x int32) int32 { return 2 * x }).
		Global("base", wasm.GlobalType{Type: wasm.I32, Mutable: true}, kiln.ValueI32(100)).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	return compileInstance(t, r, bin)
}

// The JIT engine computes what the interpreter computes, spends the same
// fuel, and traps the same, across JIT, interpreter and host calls.
func TestJITAgainstInterpreter(t *testing.T) {
	tanks := [2]*kiln.FuelTank{kiln.NewFuelTank(1 << 40), kiln.NewFuelTank(1 << 40)}
	jit, cm := instance(t, kiln.EngineJIT, tanks[0])
	interp, _ := instance(t, kiln.EngineInterpreter, tanks[1])
	stats := cm.EngineStats()
	if stats[kiln.EngineJIT] < 7 || stats[kiln.EngineInterpreter] != 1 {
		t.Errorf("engine stats %v: want the JIT to compile 7+ functions and leave fill (imported global)", stats)
	}
	ctx := context.Background()
	for _, c := range calls {
		got, gerr := jit.Func(c.name).Call(ctx, c.args...)
		want, werr := interp.Func(c.name).Call(ctx, c.args...)
		var gt, wt *kiln.Trap
		switch {
		case errors.As(werr, &wt):
			if !errors.As(gerr, &gt) || gt.Code != wt.Code {
				t.Errorf("%s%v: jit %v, %v; interpreter trap %v", c.name, c.args, got, gerr, wt.Code)
			}
		case werr != nil || gerr != nil:
			t.Errorf("%s%v: jit %v, interpreter %v", c.name, c.args, gerr, werr)
		case len(got) != len(want) || len(got) > 0 && got[0] != want[0]:
			t.Errorf("%s%v: jit %v, interpreter %v", c.name, c.args, got, want)
		}
		if tanks[0].Consumed() != tanks[1].Consumed() {
			t.Errorf("after %s%v: jit consumed %d fuel, interpreter %d", c.name, c.args, tanks[0].Consumed(), tanks[1].Consumed())
		}
	}
	t.Logf("engine stats %v, fuel %d", stats, tanks[0].Consumed())
}

// Fuel exhaustion and context cancellation stop an endless loop.
func TestJITStops(t *testing.T) {
	inst, _ := instance(t, kiln.EngineJIT, kiln.NewFuelTank(100_000))
	if _, err := inst.Func("spin").Call(context.Background()); !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Errorf("spin with fuel: %v", err)
	}
	inst, _ = instance(t, kiln.EngineJIT, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := inst.Func("spin").Call(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("spin with a deadline: %v", err)
	}
	// Deep recursion traps instead of crashing.
	if _, err := inst.Func("fib").Call(context.Background(), 1<<30); err == nil {
		t.Error("fib(2^30) returned")
	}
}

// compileInstance compiles bin on r and instantiates it, failing t on an
// error: the set-up the engine tests share once their host modules are
// in place.
func compileInstance(t *testing.T, r *kiln.Runtime, bin []byte) (*kiln.Instance, *kiln.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := r.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return inst, cm
}
