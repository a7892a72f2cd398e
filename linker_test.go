package kiln

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

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

func TestMemoryWait32Notify(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features2 | wasm.FeatureThreads})
	host, err := rt.NewHostModule("env").
		MemoryOfType("memory", wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 1, HasMax: true}, Shared: true}).
		Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mem := host.Memory("memory")
	if r, err := mem.Wait32(ctx, 8, 1, -1); r != WaitNotEqual || err != nil {
		t.Fatalf("wait on a differing value: %v, %v", r, err)
	}
	if r, err := mem.Wait32(ctx, 8, 0, time.Millisecond); r != WaitTimedOut || err != nil {
		t.Fatalf("wait with timeout: %v, %v", r, err)
	}
	var trap *Trap
	if _, err := mem.Wait32(ctx, 6, 0, 0); !errors.As(err, &trap) || trap.Code != TrapUnalignedAtomic {
		t.Fatalf("unaligned: %v", err)
	}
	if _, err := mem.Notify(65536, 1); !errors.As(err, &trap) || trap.Code != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("out of bounds: %v", err)
	}
	woke := make(chan WaitResult)
	go func() {
		r, _ := mem.Wait32(ctx, 8, 0, -1)
		woke <- r
	}()
	// A wasm memory.atomic.notify wakes the host waiter: one queue.
	inst, err := rt.Instantiate(ctx, compile(t, rt, `(module
		(import "env" "memory" (memory 1 1 shared))
		(func (export "wake") (result i32) (memory.atomic.notify (i32.const 8) (i32.const 1))))`),
		ModuleConfig{Imports: NewLinker().Define("env", host)})
	if err != nil {
		t.Fatal(err)
	}
	for {
		n, err := inst.Func("wake").Call(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if n[0] == 1 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if r := <-woke; r != WaitOK {
		t.Fatalf("woken waiter got %v", r)
	}
}

// TestCallerMemoryConcurrent: the threads of a shared memory may call host
// functions of one instance at once, even their first calls; Caller.Memory
// is safe for that.
func TestCallerMemoryConcurrent(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features2 | wasm.FeatureThreads})
	var ready sync.WaitGroup
	host, err := rt.NewHostModule("h").
		Func("size", func(c *Caller) int32 {
			// Every goroutine is inside the host call before any of
			// them asks for the memory.
			ready.Done()
			ready.Wait()
			return int32(c.Memory().Size())
		}).
		Build(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cm := compile(t, rt, `(module
		(import "h" "size" (func $size (result i32)))
		(memory 1 1 shared)
		(func (export "size") (result i32) (call $size)))`)
	for round := 0; round < 10; round++ {
		inst, err := rt.Instantiate(ctx, cm, ModuleConfig{Imports: NewLinker().Define("h", host)})
		if err != nil {
			t.Fatal(err)
		}
		f := inst.Func("size")
		const n = 4
		ready.Add(n)
		errs := make(chan error, n)
		for g := 0; g < n; g++ {
			go func() {
				r, err := f.Call(ctx)
				if err == nil && r[0] != 1 {
					err = fmt.Errorf("size = %v", r)
				}
				errs <- err
			}()
		}
		for g := 0; g < n; g++ {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
}
