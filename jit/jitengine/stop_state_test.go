//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// counting writes a global and memory on every iteration of an endless
// loop: what a call stopped by fuel or cancellation leaves behind.
const counting = `(module
  (memory (export "memory") 1)
  (global $n (export "n") (mut i32) (i32.const 0))
  (func (export "count")
    (loop $l
      (global.set $n (i32.add (global.get $n) (i32.const 1)))
      (i32.store (i32.const 8) (global.get $n))
      (br $l))))`

func countingInstance(t *testing.T, eng kiln.Engine, fuel uint64) (*kiln.Instance, *kiln.CompiledModule) {
	t.Helper()
	ctx := context.Background()
	bin, err := wast.ParseModule("counting.wat", []byte(counting))
	if err != nil {
		t.Fatal(err)
	}
	r := kiln.NewRuntime(kiln.RuntimeConfig{Engine: eng, Fuel: fuel})
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	if got := cm.FuncEngine(0); got != eng {
		t.Fatalf("count compiled by %v, want %v", got, eng)
	}
	inst, err := r.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return inst, cm
}

// A call that runs out of fuel in machine code leaves the globals it
// wrote, as the interpreter does (found by TestDifferentialJIT: the JIT
// dropped them, so a global read after the call had its old value).
func TestFuelExhaustionKeepsGlobals(t *testing.T) {
	var got [2]uint64
	var mem [2]uint32
	for i, eng := range []kiln.Engine{kiln.EngineJIT, kiln.EngineInterpreter} {
		inst, _ := countingInstance(t, eng, 1000)
		if _, err := inst.Func("count").Call(context.Background()); !errors.Is(err, kiln.ErrFuelExhausted) {
			t.Fatalf("%v: count: %v, want fuel exhaustion", eng, err)
		}
		got[i] = inst.Global("n").Get().Lo
		mem[i], _ = inst.Memory("memory").ReadUint32(8)
	}
	if got[0] != got[1] || mem[0] != mem[1] || got[1] == 0 {
		t.Errorf("after fuel exhaustion: jit n=%d mem=%d, interpreter n=%d mem=%d", got[0], mem[0], got[1], mem[1])
	}
}

// So does a call stopped by its context. The context is cancelled once
// the loop has stored a count: a fixed deadline could expire before the
// call's entry under load or emulation, which stops it before any
// iteration.
func TestCancellationKeepsGlobals(t *testing.T) {
	inst, _ := countingInstance(t, kiln.EngineJIT, 0)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	mem := inst.Memory("memory")
	go func() {
		defer cancel()
		for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
			if m, _ := mem.ReadUint32(8); m != 0 {
				return
			}
		}
	}()
	if _, err := inst.Func("count").Call(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("count: %v, want the cancellation", err)
	}
	n := inst.Global("n").Get().Lo
	m, _ := inst.Memory("memory").ReadUint32(8)
	if n == 0 || uint32(n) != m {
		t.Errorf("after cancellation: n=%d, memory %d: want the same, not 0", n, m)
	}
}
