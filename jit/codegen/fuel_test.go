//go:build linux && amd64 && !kilnjit

package codegen

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// fuelModule has loops of each shape (br_if back-edges, an unconditional
// br, br_table into a loop, nested loops), direct recursion and calls.
const fuelModule = `(module
  (func $count (export "count") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 1))
  (func $fib (export "fib") (param i32) (result i32)
    (if (result i32) (i32.lt_u (local.get 0) (i32.const 2))
      (then (local.get 0))
      (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
                     (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
  (func (export "nested") (param i32) (result i32) (local i32 i32 i32)
    (loop $outer
      (local.set 2 (i32.const 0))
      (loop $inner
        (local.set 3 (i32.add (local.get 3) (local.get 2)))
        (local.set 2 (i32.add (local.get 2) (i32.const 1)))
        (br_if $inner (i32.lt_u (local.get 2) (local.get 1))))
      (local.set 1 (i32.add (local.get 1) (i32.const 1)))
      (br_if $outer (i32.lt_u (local.get 1) (local.get 0))))
    (local.get 3))
  (func (export "table") (param i32) (result i32) (local i32)
    (block $done
      (loop $l
        (local.set 1 (i32.add (local.get 1) (call $count (i32.const 3))))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br_table $l $done $l (i32.and (local.get 0) (i32.const 3)))))
    (local.get 1))
  (func (export "uncond") (param i32) (result i32)
    (block $b
      (loop $l
        (br_if $b (i32.eqz (local.get 0)))
        (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
        (br $l)))
    (local.get 0)))`

// (Not built with the kilnjit tag: kiln then imports this package.)
//
// TestFuelMatchesInterpreter runs each function natively and in kiln's
// interpreter with fuel, and compares the units consumed.
func TestFuelMatchesInterpreter(t *testing.T) {
	bin, err := wast.ParseModule("fuel.wat", []byte(fuelModule))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	funcs := gentest.BuildModule(t, m)
	e, n := compileNative(t, funcs, 0, nil, targets(t)[1])
	if n != len(funcs) {
		t.Fatalf("%d of %d functions compiled", n, len(funcs))
	}
	ctx := context.Background()
	for _, x := range m.Exports {
		for _, arg := range []uint64{0, 1, 2, 5, 17, 20} {
			tank := kiln.NewFuelTank(1 << 40)
			rtm := kiln.NewRuntime(kiln.RuntimeConfig{FuelSource: tank})
			cm, err := rtm.CompileModule(ctx, bin)
			if err != nil {
				t.Fatal(err)
			}
			inst, err := rtm.Instantiate(ctx, cm, kiln.ModuleConfig{})
			if err != nil {
				t.Fatal(err)
			}
			want, err := inst.Func(x.Name).Call(ctx, arg)
			if err != nil {
				t.Fatal(err)
			}
			const budget = 1 << 40
			got, err := e.Run(x.Index, []uint64{arg}, budget)
			if err != nil {
				t.Fatal(err)
			}
			used := e.Used
			if got[0] != want[0] || used != tank.Consumed() {
				t.Errorf("%s(%d): native %d using %d fuel, interpreter %d using %d", x.Name, arg, got[0], used, want[0], tank.Consumed())
			}
		}
	}
}

// benchFib runs fib(25) natively or in kiln's interpreter.
func benchFib(b *testing.B, native bool) {
	bin, err := wast.ParseModule("fuel.wat", []byte(fuelModule))
	if err != nil {
		b.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		b.Fatal(err)
	}
	var fib uint32
	for _, x := range m.Exports {
		if x.Name == "fib" {
			fib = x.Index
		}
	}
	if native {
		e, _ := compileNative(b, gentest.BuildModule(b, m), 0, nil, amd64.Detect())
		for i := 0; i < b.N; i++ {
			if r, err := e.Run(fib, []uint64{25}, 1<<40); err != nil || r[0] != 75025 {
				b.Fatal(r, err)
			}
		}
		return
	}
	ctx := context.Background()
	rtm := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rtm.CompileModule(ctx, bin)
	if err != nil {
		b.Fatal(err)
	}
	inst, err := rtm.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		b.Fatal(err)
	}
	f := inst.Func("fib")
	for i := 0; i < b.N; i++ {
		if r, err := f.Call(ctx, 25); err != nil || r[0] != 75025 {
			b.Fatal(r, err)
		}
	}
}

func BenchmarkFibNative(b *testing.B)      { benchFib(b, true) }
func BenchmarkFibInterpreter(b *testing.B) { benchFib(b, false) }
