package kiln

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// FuzzRun compiles arbitrary binaries and runs every exported function
// without parameters under a small fuel budget: nothing may panic and no
// run may end in an internal error.
func FuzzRun(f *testing.F) {
	for _, src := range []string{
		fibWAT,
		spinWAT,
		`(module (memory 1) (func (export "f") (result i32) (i32.store (i32.const 8) (i32.const 7)) (i32.load (i32.const 8))))`,
		`(module (table 2 funcref) (elem (i32.const 0) $g) (func $g (result i32) (i32.const 1))
			(func (export "f") (result i32) (call_indirect (result i32) (i32.const 1))))`,
		`(module (func (export "f") (result v128) (i32x4.add (v128.const i32x4 1 2 3 4) (v128.const i32x4 5 6 7 8))))`,
	} {
		bin, err := wast.ParseModule("seed.wat", []byte(src))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bin)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		ctx := context.Background()
		rt := NewRuntime(RuntimeConfig{Fuel: 2000, MaxCallDepth: 200, MaxMemoryPages: 16})
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			if !errors.Is(err, wasm.ErrMalformed) && !errors.Is(err, wasm.ErrInvalid) {
				t.Fatalf("compile error of no class: %v", err)
			}
			return
		}
		if len(cm.Module().Imports) > 0 {
			return
		}
		inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
		checkRunError(t, err)
		if err != nil {
			return
		}
		for _, e := range inst.Exports() {
			fn := inst.Func(e.Name)
			if fn == nil || len(fn.Type().Params) != 0 {
				continue
			}
			_, err := fn.CallValues(ctx, nil)
			checkRunError(t, err)
		}
	})
}

func checkRunError(t *testing.T, err error) {
	t.Helper()
	var trap *Trap
	if errors.As(err, &trap) && trap.Code == TrapInternalError {
		t.Fatalf("internal error: %v", err)
	}
}
