//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/jit/jitengine"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// indirectB defines a function another instance puts in its table.
const indirectB = `(module
  (func (export "f") (param i32) (result i32) (i32.add (local.get 0) (i32.const 100))))`

// indirectA calls through its table: its own compiled functions (the
// fast path), a host function, another instance's function, a function
// of another type, null and out-of-bounds elements (the exit).
const indirectA = `(module
  (import "env" "host" (func $host (param i32) (result i32)))
  (import "b" "f" (func $bf (param i32) (result i32)))
  (type $t (func (param i32) (result i32)))
  (type $u (func (param i32 i32) (result i32)))
  (table $tab (export "tab") 8 funcref)
  (elem (i32.const 0) $inc $dbl $host $bf $two)
  (func $inc (export "inc") (type $t) (i32.add (local.get 0) (i32.const 1)))
  (func $dbl (type $t) (i32.mul (local.get 0) (i32.const 2)))
  (func $two (type $u) (i32.add (local.get 0) (local.get 1)))
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $t) (local.get $x) (local.get $i)))
  (func (export "call2") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $u) (local.get $x) (local.get $x) (local.get $i)))
  ;; The element is computed next to other live values, so that it
  ;; may sit in any register when the call starts.
  (func (export "mixed") (param $i i32) (param $k i32) (param $x i32) (result i32)
    (local $a i32) (local $b i32)
    (local.set $a (i32.mul (local.get $x) (i32.const 3)))
    (local.set $b (i32.xor (local.get $k) (local.get $x)))
    (i32.add (i32.add (local.get $a) (local.get $b))
      (call_indirect (type $t) (i32.add (local.get $a) (local.get $x))
        (i32.and (i32.add (local.get $i) (local.get $k)) (i32.const 15)))))
  (func (export "masked") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $t) (local.get $x) (i32.and (local.get $i) (i32.const 15))))
  ;; Values live across the call take the other registers.
  (func (export "crowded") (param $i i32) (param $x i32) (result i32)
    (local $a0 i32) (local $a1 i32) (local $a2 i32) (local $a3 i32) (local $a4 i32) (local $a5 i32) (local $a6 i32) (local $a7 i32) (local $a8 i32) (local $a9 i32)
    (local.set $a0 (i32.mul (local.get $x) (i32.const 3)))
    (local.set $a1 (i32.mul (local.get $x) (i32.const 4)))
    (local.set $a2 (i32.mul (local.get $x) (i32.const 5)))
    (local.set $a3 (i32.mul (local.get $x) (i32.const 6)))
    (local.set $a4 (i32.mul (local.get $x) (i32.const 7)))
    (local.set $a5 (i32.mul (local.get $x) (i32.const 8)))
    (local.set $a6 (i32.mul (local.get $x) (i32.const 9)))
    (local.set $a7 (i32.mul (local.get $x) (i32.const 10)))
    (local.set $a8 (i32.mul (local.get $x) (i32.const 11)))
    (local.set $a9 (i32.mul (local.get $x) (i32.const 12)))
    (i32.add (call_indirect (type $t) (local.get $x) (i32.and (local.get $i) (i32.const 15)))
      (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (i32.add (local.get $a0) (local.get $a1)) (local.get $a2)) (local.get $a3)) (local.get $a4)) (local.get $a5)) (local.get $a6)) (local.get $a7)) (local.get $a8)) (local.get $a9))))
  (func (export "loop") (param $i i32) (param $n i32) (result i32) (local $s i32)
    (loop $l
      (local.set $s (i32.add (local.get $s) (call_indirect (type $t) (local.get $n) (local.get $i))))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (local.get $n)))
    (local.get $s))
  (func (export "copy") (param $i i32) (param $j i32)
    (table.set $tab (local.get $i) (table.get $tab (local.get $j))))
  (func (export "clear") (param $i i32) (table.set $tab (local.get $i) (ref.null func)))
  (func (export "fill") (param $i i32) (param $n i32) (table.fill $tab (local.get $i) (ref.func $dbl) (local.get $n)))
  (func (export "grow") (param $n i32) (result i32) (table.grow $tab (ref.func $inc) (local.get $n))))`

// indirectC shares indirectA's table: A's functions are another
// instance's to it, its own are compiled code of the same instance.
const indirectC = `(module
  (import "a" "tab" (table $tab 8 funcref))
  (type $t (func (param i32) (result i32)))
  (func $own (export "own") (type $t) (i32.add (local.get 0) (i32.const 1000)))
  (func (export "call") (param $i i32) (param $x i32) (result i32)
    (call_indirect (type $t) (local.get $x) (local.get $i)))
  (func (export "put") (param $i i32) (table.set $tab (local.get $i) (ref.func $own)))
  (elem declare func $own))`

type indirectWorld struct{ a, c *kiln.Instance }

func newIndirectWorld(t *testing.T, eng kiln.Engine, fuel kiln.FuelSource) indirectWorld {
	t.Helper()
	ctx := context.Background()
	r := kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng, FuelSource: fuel})
	if _, err := r.NewHostModule("env").Func("host", func(ctx context.Context, x int32) int32 { return x - 7 }).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	var w indirectWorld
	for _, m := range []struct {
		name, src string
		inst      **kiln.Instance
	}{{"b", indirectB, nil}, {"a", indirectA, &w.a}, {"c", indirectC, &w.c}} {
		bin, err := wast.ParseModule(m.name+".wat", []byte(m.src))
		if err != nil {
			t.Fatal(err)
		}
		cm, err := r.CompileModule(ctx, bin)
		if err != nil {
			t.Fatal(err)
		}
		inst, err := r.Instantiate(ctx, cm, kiln.ModuleConfig{Name: m.name})
		if err != nil {
			t.Fatal(err)
		}
		if m.inst != nil {
			*m.inst = inst
		}
	}
	return w
}

// indirectStep is one action on a world, shown as text to compare the
// engines: a call's results or its whole error (trap code, message and
// backtrace).
type indirectStep struct {
	name string
	do   func(w indirectWorld) string
}

func callStep(inst func(indirectWorld) *kiln.Instance, fn string, args ...uint64) indirectStep {
	return indirectStep{fmt.Sprintf("%s%v", fn, args), func(w indirectWorld) string {
		res, err := inst(w).Func(fn).Call(context.Background(), args...)
		if err != nil {
			return "error: " + err.Error()
		}
		return fmt.Sprint(res)
	}}
}

func hostSet(name string, i uint32, f func(indirectWorld) *kiln.Func) indirectStep {
	return indirectStep{name, func(w indirectWorld) string {
		v := kiln.ValueNullRef(wasm.FuncRef)
		if f != nil {
			v = kiln.ValueFunc(f(w))
		}
		if err := w.a.Table("tab").Set(i, v); err != nil {
			return "error: " + err.Error()
		}
		return "ok"
	}}
}

func instA(w indirectWorld) *kiln.Instance { return w.a }
func instC(w indirectWorld) *kiln.Instance { return w.c }

var indirectSteps = []indirectStep{
	callStep(instA, "call", 0, 5),      // own function: hit (after the first exit)
	callStep(instA, "loop", 0, 50),     // hits
	callStep(instA, "call", 1, 5),      // another own function
	callStep(instA, "call", 2, 5),      // host function
	callStep(instA, "call", 3, 5),      // another instance's function
	callStep(instA, "call", 4, 5),      // type mismatch
	callStep(instA, "call2", 4, 5),     // the right type
	callStep(instA, "call2", 4, 6),     // (its entry is known now)
	callStep(instA, "call", 4, 5),      // type mismatch
	callStep(instA, "call2", 0, 5),     // type mismatch the other way
	callStep(instA, "call", 5, 5),      // null
	callStep(instA, "call", 8, 5),      // out of bounds
	callStep(instA, "call", 1<<31, 5),  // far out of bounds
	callStep(instA, "mixed", 0, 0, 9),  // element computed, in a register
	callStep(instA, "mixed", 1, 15, 9), // (1+15)&15 = 0
	callStep(instA, "mixed", 4, 0, 9),  // type mismatch
	callStep(instA, "masked", 4, 5),    // a miss with the element in a register
	callStep(instA, "masked", 21, 5),   // 21&15 = 5: null
	callStep(instA, "masked", 9, 5),    // out of bounds
	callStep(instA, "crowded", 4, 5),   // a miss
	callStep(instA, "crowded", 1, 5),   // a hit
	callStep(instA, "crowded", 9, 5),   // out of bounds
	callStep(instA, "copy", 0, 1),      // table.set after compile: 0 is $dbl now
	callStep(instA, "loop", 0, 20),     //
	callStep(instA, "clear", 0),        // null now
	callStep(instA, "call", 0, 5),      //
	hostSet("host Set 0 inc", 0, func(w indirectWorld) *kiln.Func { return w.a.Func("inc") }),
	callStep(instA, "loop", 0, 20),     //
	hostSet("host Set 0 null", 0, nil), //
	callStep(instA, "call", 0, 5),      //
	hostSet("host Set 0 c.own", 0, func(w indirectWorld) *kiln.Func { return w.c.Func("own") }),
	callStep(instA, "call", 0, 5),        // another instance's function, set by the host
	callStep(instC, "call", 0, 5),        // C's own function through the shared table
	callStep(instC, "call", 1, 5),        // A's function: another instance's to C
	callStep(instC, "put", 6),            // C writes the shared table
	callStep(instA, "call", 6, 5),        //
	callStep(instC, "call", 6, 5),        //
	callStep(instA, "fill", 5, 3),        // table.fill over 5..7
	callStep(instA, "call", 6, 5),        //
	callStep(instC, "call", 6, 5),        // C's own before the fill
	callStep(instC, "call", 7, 5),        //
	callStep(instA, "fill", 6, 3),        // out of bounds: writes nothing
	callStep(instA, "grow", 3),           // 8 -> 11, new elements $inc
	callStep(instA, "call", 10, 5),       //
	callStep(instC, "call", 10, 5),       //
	callStep(instA, "call", 11, 5),       //
	callStep(instA, "loop", 10, 30),      //
	hostSet("host Set 10 null", 10, nil), //
	callStep(instA, "call", 10, 5),       //
	callStep(instA, "call", 1, 5),        //
}

// call_indirect resolved by machine code agrees with the interpreter
// on every kind of element, after every kind of table write, through a
// shared table, fuel included; and the fast path is taken.
func TestCallIndirectAgainstInterpreter(t *testing.T) {
	tanks := [2]*kiln.FuelTank{kiln.NewFuelTank(1 << 40), kiln.NewFuelTank(1 << 40)}
	jit := newIndirectWorld(t, kiln.EngineJIT, tanks[0])
	interp := newIndirectWorld(t, kiln.EngineInterpreter, tanks[1])
	for _, s := range indirectSteps {
		got, want := s.do(jit), s.do(interp)
		if got != want {
			t.Errorf("%s: jit %s\ninterpreter %s", s.name, got, want)
		}
		if tanks[0].Consumed() != tanks[1].Consumed() {
			t.Errorf("after %s: jit consumed %d fuel, interpreter %d", s.name, tanks[0].Consumed(), tanks[1].Consumed())
		}
	}
	// Hits do not exit: the index starts with the entries of the
	// functions compiled.
	ctx := context.Background()
	if _, err := jit.c.Func("put").Call(ctx, 6); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		inst *kiln.Instance
		fn   string
		elem uint64
	}{{jit.a, "loop", 1}, {jit.a, "loop", 9}, {jit.c, "call", 6}} { // 9: grown
		before := jitengine.IndirectExits()
		for i := 0; i < 1000; i++ {
			if _, err := c.inst.Func(c.fn).Call(ctx, c.elem, 3); err != nil {
				t.Fatal(err)
			}
		}
		if n := jitengine.IndirectExits() - before; n != 0 {
			t.Errorf("%s(%d) 1000 times: %d call_indirect exits, want 0", c.fn, c.elem, n)
		}
	}
}
