package kiln

import (
	"context"
	"encoding/binary"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

const captureWAT = `(module
  (import "wasix_32v1" "proc_fork" (func $capture (result i32)))
  (import "wasix_32v1" "stack_checkpoint" (func $setjmp (result i32)))
  (import "wasix_32v1" "stack_restore" (func $longjmp (param i32)))
  (memory (export "memory") 1)
  (global $g (mut i32) (i32.const 0))
  (type $t (func (result i32)))
  (table 2 funcref)
  (elem (i32.const 0) $get)
  (func $get (result i32) (global.get $g))
  (func $deep (param $n i32) (result i32)
    (if (result i32) (i32.eqz (local.get $n))
      (then (call $capture))
      (else (i32.add (local.get $n) (call $deep (i32.sub (local.get $n) (i32.const 1)))))))
  (func (export "run")
    (global.set $g (call $deep (i32.const 3)))
    (i32.store (i32.const 8) (call_indirect (type $t) (i32.const 0))))
  (func (export "sj") (result i32)
    (local $r i32)
    (local.set $r (call $setjmp))
    (if (i32.lt_u (local.get $r) (i32.const 3))
      (then (call $dive (i32.add (local.get $r) (i32.const 1)) (i32.const 5))))
    (local.get $r))
  (func $dive (param $v i32) (param $n i32)
    (if (i32.eqz (local.get $n)) (then (call $longjmp (local.get $v))))
    (call $dive (local.get $v) (i32.sub (local.get $n) (i32.const 1))))
  (func (export "setjmp_only") (result i32) (call $setjmp))
  (func (export "longjmp_only") (call $longjmp (i32.const 1))))`

// TestCaptureResume: a continuation captured four frames deep resumes
// in a second instance whose state was copied (a non-exported global, a
// table whose function must be the copy's, memory), with another result
// for the host call, while the original call goes on with its own; a
// checkpoint is returned to from five frames deeper. The host functions
// are named as WASIX's, whose importers every engine leaves to one that
// can capture.
func TestCaptureResume(t *testing.T) { testCaptureResume(t, RuntimeConfig{}) }

func testCaptureResume(t *testing.T, cfg RuntimeConfig) {
	ctx := context.Background()
	rt := NewRuntime(cfg)
	var (
		k        *Continuation
		cp       *Checkpoint
		clone    *Instance
		setjmps  int
		captured error
	)
	cm := compile(t, rt, captureWAT)
	if n := cm.EngineStats()[EngineJIT]; n != 0 {
		t.Errorf("%d functions compiled by the JIT, want all in the interpreter", n)
	}
	i32 := []wasm.ValType{wasm.I32}
	host, err := rt.NewHostModule("wasix_32v1").
		RawFunc("proc_fork", wasm.FuncType{Results: i32}, func(ctx context.Context, c *Caller, stack []uint64) {
			k, captured = c.Capture(ctx)
			if captured == nil {
				captured = clone.CopyStateFrom(c.Instance())
			}
			stack[0] = 100
		}).
		RawFunc("stack_checkpoint", wasm.FuncType{Results: i32}, func(ctx context.Context, c *Caller, stack []uint64) {
			setjmps++
			cp, captured = c.Checkpoint(ctx)
			stack[0] = 0
		}).
		RawFunc("stack_restore", wasm.FuncType{Params: i32}, func(ctx context.Context, c *Caller, stack []uint64) {
			panic(cp.Jump(stack[0]))
		}).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	clone, err = rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("run").Call(ctx); err != nil || captured != nil {
		t.Fatalf("run: %v, capture: %v", err, captured)
	}
	word := func(i *Instance) uint32 { return binary.LittleEndian.Uint32(i.Memory("memory").Bytes()[8:]) }
	if got := word(inst); got != 106 {
		t.Errorf("the original call: %d, want 106", got)
	}
	if err := clone.Resume(ctx, k, 200); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if got := word(clone); got != 206 {
		t.Errorf("the resumed call: %d, want 206 (its table's function reads its own global)", got)
	}
	if got := word(inst); got != 106 {
		t.Errorf("the original instance after the resume: %d, want 106", got)
	}
	// A continuation can be resumed again.
	if err := clone.Resume(ctx, k, 300); err != nil || word(clone) != 306 {
		t.Errorf("second resume: %v, %d, want 306", err, word(clone))
	}

	// setjmp/longjmp: the checkpoint returns 1, 2 and 3 from five frames down.
	r, err := inst.Func("sj").Call(ctx)
	if err != nil || captured != nil || r[0] != 3 || setjmps != 1 {
		t.Errorf("sj: %v %v, checkpoint %v, setjmp called %d times, want 3 and once", r, err, captured, setjmps)
	}
	// A checkpoint whose call has returned is not on the stack any more.
	if _, err := inst.Func("setjmp_only").Call(ctx); err != nil {
		t.Fatal(err)
	}
	if _, err := inst.Func("longjmp_only").Call(ctx); err == nil {
		t.Error("longjmp to a checkpoint of a finished call: no error")
	}
	// The embedder calling the host functions directly: nothing to capture.
	if _, err := host.Func("proc_fork").Call(ctx); err != nil || !errors.Is(captured, ErrNotCapturable) {
		t.Errorf("capture from the embedder: %v, %v, want ErrNotCapturable", err, captured)
	}
}
