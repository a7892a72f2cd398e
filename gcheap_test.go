package kiln

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// gcKeepWAT allocates arrays of $size bytes, $n times, keeping each one
// alive in a table when $keep is set, and returns how many it allocated.
const gcKeepWAT = `(module
  (type $bytes (array (mut i8)))
  (type $pair (struct (field i32) (field i32)))
  (table $keep 1000 (ref null $bytes))
  (func (export "arrays") (param $size i32) (param $n i32) (param $keep i32) (result i32)
    (local $i i32) (local $a (ref null $bytes))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (array.new_default $bytes (local.get $size)))
      (if (local.get $keep) (then (table.set $keep (local.get $i) (local.get $a))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $i))
  (func (export "structs") (param $n i32) (result i32)
    (local $i i32)
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (drop (struct.new $pair (local.get $i) (local.get $i)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $i)))`

// TestGCHeapLimit: live GC objects are bounded by MaxHeapBytes (a trap
// with TrapHeapExhausted, not a host out-of-memory), while objects that
// died are given back, so allocating many times the limit in garbage
// works.
func TestGCHeapLimit(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, MaxHeapBytes: 64 << 20})
	inst := instantiate(t, rt, gcKeepWAT)
	arrays := inst.Func("arrays")
	_, err := arrays.Call(context.Background(), 1<<20, 200, 1)
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapHeapExhausted || !strings.Contains(err.Error(), "GC heap exhausted") {
		t.Fatalf("200 live arrays of 1 MiB under a 64 MiB heap: %v, want GC heap exhausted", err)
	}
	inst = instantiate(t, rt, gcKeepWAT)
	res, err := inst.Func("arrays").Call(context.Background(), 1<<20, 1000, 0)
	if err != nil || res[0] != 1000 {
		t.Fatalf("1000 dead arrays of 1 MiB under 64 MiB: %v, %v", res, err)
	}
	res, err = inst.Func("structs").Call(context.Background(), 2_000_000)
	if err != nil || res[0] != 2_000_000 {
		t.Fatalf("2M dead structs under 64 MiB: %v, %v", res, err)
	}
	if got := NewRuntime(RuntimeConfig{}).Config().MaxHeapBytes; got != DefaultMaxHeapBytes {
		t.Fatalf("default MaxHeapBytes = %d, want %d", got, DefaultMaxHeapBytes)
	}
}

// TestGCHeapLimiter: GC allocations are charged to a HeapLimiter too;
// its refusal traps.
func TestGCHeapLimiter(t *testing.T) {
	lim := &heapLimiter{limit: 16 << 20}
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, Limiter: lim})
	inst := instantiate(t, rt, gcKeepWAT)
	_, err := inst.Func("arrays").Call(context.Background(), 1<<20, 100, 1)
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapHeapExhausted || lim.refused == 0 {
		t.Fatalf("live arrays under a 16 MiB limiter: %v, %d refusals", err, lim.refused)
	}
	if lim.peak > 16<<20 || lim.peak < 8<<20 {
		t.Fatalf("limiter peak %d bytes, want 8..16 MiB", lim.peak)
	}
}

// TestGCConstExprArrays: an array allocated by a constant expression is
// capped and charged like one allocated by code: a huge one fails the
// instantiation cleanly.
func TestGCConstExprArrays(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, MaxHeapBytes: 64 << 20})
	for _, n := range []string{"0x7fffffff", "0x1000000"} {
		_, err := rt.Instantiate(context.Background(), compile(t, rt, `(module (type $a (array i64))
		  (global (ref $a) (array.new_default $a (i32.const `+n+`))))`), ModuleConfig{})
		var trap *Trap
		if !errors.As(err, &trap) || (trap.Code != TrapHeapExhausted && trap.Code != TrapOutOfBoundsArrayAccess) {
			t.Errorf("global array of %s i64: %v, want a trap", n, err)
		}
	}
}

// TestGCHeapCycles: dead objects that refer to each other are given
// back too (a cycle must not keep its own accounting alive): 1000 pairs
// of 1 MiB arrays, each pointing at the other, under a 64 MiB heap.
func TestGCHeapCycles(t *testing.T) {
	const cycles = `(module
  (type $refs (array (mut anyref)))
  (func (export "pairs") (param $len i32) (param $n i32) (result i32)
    (local $i i32) (local $a (ref null $refs)) (local $b (ref null $refs))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
      (local.set $a (array.new_default $refs (local.get $len)))
      (local.set $b (array.new_default $refs (local.get $len)))
      (array.set $refs (local.get $a) (i32.const 0) (local.get $b))
      (array.set $refs (local.get $b) (i32.const 0) (local.get $a))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
    (local.get $i)))`
	rt := NewRuntime(RuntimeConfig{Features: wasm.Features3, MaxHeapBytes: 64 << 20})
	inst := instantiate(t, rt, cycles)
	// An anyref element is charged as 16 bytes: 65536 of them are 1 MiB.
	res, err := inst.Func("pairs").Call(context.Background(), 65536, 1000)
	if err != nil || res[0] != 1000 {
		t.Fatalf("1000 dead pairs of 1 MiB arrays under 64 MiB: %v, %v", res, err)
	}
}
