//go:build kilnjit

package kiln

import (
	"context"
	"testing"
)

// TestJITImportedMemory: the JIT compiles functions whose memory 0 is
// imported, and sees the memory another instance or a host function
// grew while it had called out (its base and length are reloaded after
// every call out).
func TestJITImportedMemory(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Engine: EngineJIT})
	owner, err := rt.Instantiate(ctx, compile(t, rt, `(module
		(memory (export "mem") 1 8)
		(func (export "grow") (result i32) (memory.grow (i32.const 1))))`), ModuleConfig{Name: "owner"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rt.NewHostModule("host").Func("grow", func() int32 {
		old, ok := owner.Memory("mem").Grow(1)
		if !ok {
			return -1
		}
		return int32(old)
	}).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cm := compile(t, rt, `(module
		(import "owner" "mem" (memory 1))
		(import "owner" "grow" (func $wasm_grow (result i32)))
		(import "host" "grow" (func $host_grow (result i32)))
		;; grows memory through grow, then stores to and loads from the
		;; first byte past the old end; size*1000 + the value read
		(func $probe (param $grow i32) (result i32) (local $old i32)
			(if (local.get $grow)
				(then (local.set $old (call $wasm_grow)))
				(else (local.set $old (call $host_grow))))
			(i32.store (i32.mul (local.get $old) (i32.const 65536)) (i32.const 42))
			(i32.add (i32.mul (memory.size) (i32.const 1000))
				(i32.load (i32.mul (local.get $old) (i32.const 65536)))))
		(func (export "probe") (param i32) (result i32) (call $probe (local.get 0)))
		(func (export "size") (result i32) (memory.size)))`)
	if n := cm.EngineStats()[EngineInterpreter]; n != 0 {
		t.Fatalf("the JIT left %d functions to the interpreter: %v", n, cm.EngineStats())
	}
	user, err := rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for i, grow := range []uint64{1, 0, 1} {
		res, err := user.Func("probe").Call(ctx, grow)
		if err != nil {
			t.Fatalf("probe %d (grow by %v): %v", i, map[uint64]string{0: "host", 1: "wasm"}[grow], err)
		}
		if want := uint64((i+2)*1000 + 42); res[0] != want {
			t.Errorf("probe %d = %d, want %d", i, res[0], want)
		}
	}
	if _, err := owner.Func("grow").Call(ctx); err != nil {
		t.Fatal(err)
	}
	if res, err := user.Func("size").Call(ctx); err != nil || res[0] != 5 {
		t.Errorf("size after the owner grew the memory = %v, %v; want 5", res, err)
	}
}
