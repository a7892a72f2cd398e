package kiln

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// TestLinkerPerInstance instantiates one module twice in one runtime, each
// instance linked to its own memory through its own Linker and bound to
// its own host context, which the shared host function reads back.
func TestLinkerPerInstance(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features2 | wasm.FeatureThreads})
	host, err := rt.NewHostModule("sys").
		Func("whoami", func(c *Caller) int32 { return c.HostContext().(int32) }).
		Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if rt.Lookup("sys") != nil {
		t.Fatal("Build registered the host module")
	}
	cm := compile(t, rt, `(module
		(import "sys" "whoami" (func $who (result i32)))
		(import "env" "memory" (memory 1 1 shared))
		(func (export "tag") (i32.store (i32.const 0) (call $who)))
		(func (export "read") (result i32) (i32.load (i32.const 0))))`)
	var insts []*Instance
	for _, id := range []int32{7, 9} {
		mem, err := rt.NewHostModule("env").
			MemoryOfType("memory", wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 1, HasMax: true}, Shared: true}).
			Build(ctx)
		if err != nil {
			t.Fatal(err)
		}
		l := NewLinker().Define("sys", host).Define("env", mem)
		inst, err := rt.Instantiate(ctx, cm, ModuleConfig{Imports: l, HostContext: id})
		if err != nil {
			t.Fatal(err)
		}
		if inst.HostContext() != id || inst.Module() != cm || inst.Config().Imports != l {
			t.Fatalf("instance %d: accessors disagree with its configuration", id)
		}
		insts = append(insts, inst)
	}
	for i, want := range []uint64{7, 9} {
		if _, err := insts[i].Func("tag").Call(ctx); err != nil {
			t.Fatal(err)
		}
		if got, err := insts[i].Func("read").Call(ctx); err != nil || got[0] != want {
			t.Fatalf("instance %d read %v, %v; want %d (its own memory and host context)", i, got, err, want)
		}
	}
	// Without a linker the imports resolve through the registry, which
	// has neither module.
	if _, err := rt.Instantiate(ctx, cm, ModuleConfig{}); !errors.Is(err, ErrLink) {
		t.Fatalf("instantiate without imports: %v, want a link error", err)
	}
	// A host function called by the embedder has no caller instance.
	var c *Caller
	if c.HostContext() != nil {
		t.Fatal("nil Caller has a host context")
	}
}
