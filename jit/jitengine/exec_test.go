//go:build linux && (amd64 || arm64)

package jitengine

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// The root package wires the engine only with the kilnjit tag
// (engine_test.go runs through it); this test drives the engine
// directly, as the root package does, with the interpreter as fallback:
// compiled code calling interpreted code (fill reads an imported
// mutable global, which compiled code leaves to the interpreter) and
// back, traps, fuel and memory.grow.
const direct = `(module
  (import "m" "g" (global $g (mut i32)))
  (memory 1 3)
  (func $sum (export "sum") (param i32) (result i32) (local i32)
    (loop $l
      (local.set 1 (i32.add (local.get 1) (i32.load8_u (local.get 0))))
      (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
      (br_if $l (i32.ge_s (local.get 0) (i32.const 0))))
    (local.get 1))
  (func $fill (export "fill") (param i32 i32) (result i32)
    (memory.fill (global.get $g) (local.get 1) (local.get 0))
    (call $sum (local.get 0)))
  (func (export "run") (param i32) (result i32)
    (i32.add (call $fill (local.get 0) (i32.const 3)) (memory.grow (i32.const 1))))
  (func (export "oob") (result i32) (i32.load (i32.const 0x7fffffff)))
  (table 3 funcref)
  (elem (i32.const 0) $sum $fill)
  (func (export "ind") (param i32 i32) (result i32)
    (call_indirect (param i32) (result i32) (local.get 0) (local.get 1))))`

// foreign runs calls from the interpreter into the JIT on a JIT executor.
type foreign struct{ e engine.Engine }

func (f foreign) CallForeign(ctx context.Context, fn *store.Function, slots []uint64, refs []any, fuel *engine.Fuel) error {
	x := f.e.NewExecutor(engine.ExecConfig{Foreign: f})
	s, r := x.Slots(len(slots))
	copy(s, slots)
	copy(r, refs)
	err := x.Run(ctx, fn, fuel)
	s, _ = x.Slots(len(slots))
	copy(slots, s)
	return err
}

func TestEngineDirect(t *testing.T) {
	bin, err := wast.ParseModule("direct.wat", []byte(direct))
	if err != nil {
		t.Fatal(err)
	}
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		t.Fatal(err)
	}
	fb := interp.NewEngine()
	j, err := New(fb)
	if err != nil {
		t.Skip(err)
	}
	comp := j.NewCompiler(m)
	if err := validator.ValidateModule(m, wasm.Features2, comp.Visitor); err != nil {
		t.Fatal(err)
	}
	codes := comp.Codes()
	inst := &store.Instance{}
	mem, err := store.NewMemory(m.Mems[0], 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	inst.Mems = []*store.Memory{mem}
	inst.Globals = []*store.Global{{Type: wasm.GlobalType{Type: wasm.I32, Mutable: true}}}
	native := 0
	inst.TypeIDs = make([]uint32, len(m.Types))
	inst.Types = make([]*store.Type, len(m.Types))
	for i := range inst.TypeIDs {
		inst.TypeIDs[i] = uint32(100 + i) // distinct: no two types are equal here
	}
	for i, c := range codes {
		if j.Owns(c) {
			native++
		}
		inst.Funcs = append(inst.Funcs, &store.Function{Type: m.FuncTypeOf(uint32(i)), TypeID: inst.TypeIDs[m.Funcs[i]], Module: inst, Index: uint32(i), Code: c})
	}
	inst.Tables = []*store.Table{{Elems: []any{inst.Funcs[0], inst.Funcs[1], nil}}}
	if native != 4 || j.Owns(codes[1]) {
		t.Fatalf("%d functions compiled, fill (imported global) compiled: %v", native, j.Owns(codes[1]))
	}
	x := j.NewExecutor(engine.ExecConfig{Foreign: foreign{j}})
	ctx := context.Background()
	var fuel engine.Fuel
	fuel.Reset(1_000_000, nil)
	s, _ := x.Slots(1)
	s[0] = 10
	if err := x.Run(ctx, inst.Funcs[2], &fuel); err != nil {
		t.Fatal(err)
	}
	s, _ = x.Slots(1)
	// bytes 0-9 are 3, byte 10 is 0; plus memory.grow's old size 1.
	if s[0] != 31 || mem.Pages() != 2 {
		t.Errorf("run(10) = %d with %d pages, want 31 with 2", s[0], mem.Pages())
	}
	// function entries: run, fill (interpreted), sum; loop: 10 back-edges
	if used := 1_000_000 - fuel.Left; used != 13 {
		t.Errorf("used %d fuel, want 13", used)
	}
	var trap *store.Trap
	if err := x.Run(ctx, inst.Funcs[3], &fuel); !errors.As(err, &trap) || trap.Code != store.TrapOutOfBoundsMemoryAccess ||
		len(trap.Frames) != 1 || trap.Frames[0].FuncIndex != 3 {
		t.Errorf("oob: %v", err)
	}
	// call_indirect: compiled sum (called back natively), the wrong type
	// (fill takes two parameters), a null element, out of bounds.
	fuel.Reset(1000, nil)
	for _, c := range []struct {
		elem uint64
		want uint64
		trap store.TrapCode
	}{{0, 30, 0}, {1, 0, store.TrapIndirectCallTypeMismatch}, {2, 0, store.TrapUninitializedElement}, {3, 0, store.TrapUndefinedElement}} {
		s, _ = x.Slots(2)
		s[0], s[1] = 10, c.elem
		err := x.Run(ctx, inst.Funcs[4], &fuel)
		s, _ = x.Slots(1)
		switch {
		case c.trap != 0 && (!errors.As(err, &trap) || trap.Code != c.trap):
			t.Errorf("ind(10, %d): %v, want trap %v", c.elem, err, c.trap)
		case c.trap != 0 && c.trap != store.TrapIndirectCallTypeMismatch && trap.Detail != strconv.FormatUint(c.elem, 10):
			// The interpreter's message names the element (the spec's
			// "uninitialized element 2").
			t.Errorf("ind(10, %d): %v, want the element's index in the message", c.elem, err)
		case c.trap == 0 && (err != nil || s[0] != c.want):
			t.Errorf("ind(10, %d) = %d, %v; want %d", c.elem, s[0], err, c.want)
		}
	}
	fuel.Reset(5, nil)
	s, _ = x.Slots(1)
	s[0] = 100
	if err := x.Run(ctx, inst.Funcs[0], &fuel); !errors.Is(err, engine.ErrFuelExhausted) {
		t.Errorf("sum(100) with 5 fuel: %v", err)
	}
}
