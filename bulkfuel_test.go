package kiln

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// TestBulkOperationsChargeFuel runs one bulk instruction of a million
// bytes or elements per call under a budget of 1000 units: each must run
// out of fuel (their work is charged by length, see interp.FuelBytesPerUnit
// and interp.FuelElemsPerUnit), while the same instruction on 1000 bytes
// or elements fits.
func TestBulkOperationsChargeFuel(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, Fuel: 1000})
	inst := instantiate(t, rt, `(module
	  (memory 32) (table $t 1048576 funcref) (table $u 1048576 funcref)
	  (func $f) (elem declare func $f)
	  (func (export "memory.fill") (param $n i32) (memory.fill (i32.const 0) (i32.const 7) (local.get $n)))
	  (func (export "memory.copy") (param $n i32) (memory.copy (i32.const 1) (i32.const 0) (local.get $n)))
	  (func (export "table.fill") (param $n i32) (table.fill $t (i32.const 0) (ref.func $f) (local.get $n)))
	  (func (export "table.copy") (param $n i32) (table.copy $u $t (i32.const 0) (i32.const 0) (local.get $n)))
	  (func (export "table.grow") (param $n i32) (drop (table.grow $u (ref.null func) (local.get $n)))))`)
	for _, name := range []string{"memory.fill", "memory.copy", "table.fill", "table.copy", "table.grow"} {
		f := inst.Func(name)
		if _, err := f.Call(context.Background(), 1000); err != nil {
			t.Errorf("%s of 1000: %v", name, err)
		}
		if _, err := f.Call(context.Background(), 1<<20); !errors.Is(err, ErrFuelExhausted) {
			t.Errorf("%s of 1Mi under 1000 units of fuel: %v, want ErrFuelExhausted", name, err)
		}
	}
}

// TestArrayOperationsChargeFuel: the GC array instructions are bulk
// instructions too.
func TestArrayOperationsChargeFuel(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, Fuel: 1000})
	inst := instantiate(t, rt, `(module
	  (type $a (array (mut i64)))
	  (global $g (ref $a) (array.new_default $a (i32.const 1048576)))
	  (func (export "array.new") (param $n i32) (drop (array.new $a (i64.const 7) (local.get $n))))
	  (func (export "array.fill") (param $n i32)
	    (array.fill $a (global.get $g) (i32.const 0) (i64.const 7) (local.get $n)))
	  (func (export "array.copy") (param $n i32)
	    (array.copy $a $a (global.get $g) (i32.const 1) (global.get $g) (i32.const 0) (local.get $n))))`)
	for _, name := range []string{"array.new", "array.fill", "array.copy"} {
		f := inst.Func(name)
		if _, err := f.Call(context.Background(), 1000); err != nil {
			t.Errorf("%s of 1000: %v", name, err)
		}
		if _, err := f.Call(context.Background(), 1<<20-1); !errors.Is(err, ErrFuelExhausted) {
			t.Errorf("%s of 1Mi under 1000 units of fuel: %v, want ErrFuelExhausted", name, err)
		}
	}
}

// TestOutOfBoundsBulkOperationsTrap: a bulk instruction longer than its
// destination traps (or table.grow fails) without doing work, so it is
// charged at most the destination's size and reports the trap, not fuel
// exhaustion, even under a small budget (the official scripts' table_copy,
// table_init, bulk64 and table_grow cases under kiln wast --fuel).
func TestOutOfBoundsBulkOperationsTrap(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, Fuel: 1000})
	inst := instantiate(t, rt, `(module
	  (memory 1) (table $t 30 funcref) (table $u 30 40 funcref)
	  (func $f) (elem $e func $f $f)
	  (data $d "abc")
	  (func (export "memory.fill") (memory.fill (i32.const 0) (i32.const 7) (i32.const -1)))
	  (func (export "memory.copy") (memory.copy (i32.const 1) (i32.const 0) (i32.const -1)))
	  (func (export "memory.init") (memory.init $d (i32.const 0) (i32.const 0) (i32.const -1)))
	  (func (export "table.fill") (table.fill $t (i32.const 0) (ref.func $f) (i32.const -1)))
	  (func (export "table.copy") (table.copy $u $t (i32.const 0) (i32.const 0) (i32.const -1)))
	  (func (export "table.init") (table.init $t $e (i32.const 0) (i32.const 0) (i32.const -1)))
	  (func (export "table.grow") (result i32) (table.grow $u (ref.null func) (i32.const -16))))`)
	for _, name := range []string{"memory.fill", "memory.copy", "memory.init", "table.fill", "table.copy", "table.init"} {
		_, err := inst.Func(name).Call(context.Background())
		var trap *Trap
		if !errors.As(err, &trap) || (trap.Code != TrapOutOfBoundsMemoryAccess && trap.Code != TrapOutOfBoundsTableAccess) {
			t.Errorf("%s of 4 GiB - 1: %v, want an out-of-bounds trap", name, err)
		}
	}
	if res, err := inst.Func("table.grow").Call(context.Background()); err != nil || int32(res[0]) != -1 {
		t.Errorf("table.grow beyond the maximum: %v, %v; want -1", res, err)
	}
}
