package kiln

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/internal/raceflag"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// allFeatures enables every proposal kiln knows.
const allFeatures = ^wasm.Features(0)

// instantiateWith parses WAT source with features enabled and instantiates it.
func instantiateWith(t testing.TB, features wasm.Features, src string) *Instance {
	t.Helper()
	bin, err := wast.Parser{Features: features}.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	rt := NewRuntime(RuntimeConfig{Features: features})
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}

// call calls an export and fails the test on error.
func call(t testing.TB, inst *Instance, name string, args ...uint64) []uint64 {
	t.Helper()
	f := inst.Func(name)
	if f == nil {
		t.Fatalf("no export %q", name)
	}
	res, err := f.Call(context.Background(), args...)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// trapCode calls an export that must trap and returns the trap's code.
func trapCode(t testing.TB, inst *Instance, name string, args ...uint64) TrapCode {
	t.Helper()
	_, err := inst.Func(name).Call(context.Background(), args...)
	var tr *Trap
	if !errors.As(err, &tr) {
		t.Fatalf("%s: want a trap, got %v", name, err)
	}
	return tr.Code
}

func TestMemory64(t *testing.T) {
	inst := instantiateWith(t, allFeatures, `(module
	  (memory i64 1 2)
	  (func (export "store") (param i64 i64) (i64.store offset=8 (local.get 0) (local.get 1)))
	  (func (export "load") (param i64) (result i64) (i64.load offset=8 (local.get 0)))
	  (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0)))
	  (func (export "size") (result i64) (memory.size))
	  (func (export "fill") (param i64 i32 i64) (memory.fill (local.get 0) (local.get 1) (local.get 2))))`)
	call(t, inst, "store", 100, 0x1122334455667788)
	if got := call(t, inst, "load", 100)[0]; got != 0x1122334455667788 {
		t.Fatalf("load = %#x", got)
	}
	// An address whose sum with the offset overflows 64 bits is out of bounds.
	if c := trapCode(t, inst, "load", ^uint64(0)-4); c != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("overflowing address: %v", c)
	}
	if c := trapCode(t, inst, "load", 1<<32); c != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("address above 4 GiB: %v", c)
	}
	if got := call(t, inst, "grow", 1)[0]; got != 1 {
		t.Fatalf("grow = %d", got)
	}
	if got := call(t, inst, "grow", 1)[0]; got != ^uint64(0) {
		t.Fatalf("grow past the maximum = %#x, want -1", got)
	}
	if got := call(t, inst, "size")[0]; got != 2 {
		t.Fatalf("size = %d", got)
	}
	if c := trapCode(t, inst, "fill", 1, 0, ^uint64(0)); c != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("huge fill: %v", c)
	}
}

func TestMultiMemory(t *testing.T) {
	inst := instantiateWith(t, allFeatures, `(module
	  (memory $a 1)
	  (memory $b 1)
	  (data (memory $b) (i32.const 0) "\2a")
	  (func (export "copy") (memory.copy $a $b (i32.const 10) (i32.const 0) (i32.const 1)))
	  (func (export "loadA") (param i32) (result i32) (i32.load8_u $a (local.get 0)))
	  (func (export "loadB") (param i32) (result i32) (i32.load8_u $b (local.get 0)))
	  (func (export "sizeB") (result i32) (memory.size $b)))`)
	if got := call(t, inst, "loadA", 10)[0]; got != 0 {
		t.Fatalf("memory a before copy = %d", got)
	}
	call(t, inst, "copy")
	if got := call(t, inst, "loadA", 10)[0]; got != 42 {
		t.Fatalf("memory a after copy = %d", got)
	}
	if got := call(t, inst, "loadB", 0)[0]; got != 42 {
		t.Fatalf("memory b = %d", got)
	}
	if c := trapCode(t, inst, "loadB", 65536); c != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("memory b out of bounds: %v", c)
	}
	if got := call(t, inst, "sizeB")[0]; got != 1 {
		t.Fatalf("size of b = %d", got)
	}
}

func TestHostFunctionReferences(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	type token struct{ n int }
	_, err := rt.NewHostModule("env").
		Func("wrap", func(n int32) any { return &token{int(n)} }).
		Func("unwrap", func(x any) int32 {
			if x == nil {
				return -1
			}
			return int32(x.(*token).n)
		}).
		Func("same", func(f *Func) *Func { return f }).
		RawRefFunc("swap", wasm.FuncType{Params: []wasm.ValType{wasm.ExternRef, wasm.I32}, Results: []wasm.ValType{wasm.I32, wasm.ExternRef}},
			func(ctx context.Context, c *Caller, stack []uint64, refs []any) {
				x := refs[0]
				stack[0], refs[1] = stack[1]+1, x
			}).
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inst := instantiate(t, rt, `(module
		(import "env" "wrap" (func $wrap (param i32) (result externref)))
		(import "env" "unwrap" (func $unwrap (param externref) (result i32)))
		(import "env" "same" (func $same (param funcref) (result funcref)))
		(import "env" "swap" (func $swap (param externref i32) (result i32 externref)))
		(table 1 funcref)
		(func $seven (result i32) (i32.const 7))
		(elem declare func $seven)
		(func (export "roundtrip") (param i32) (result i32) (call $unwrap (call $wrap (local.get 0))))
		(func (export "null") (result i32) (call $unwrap (ref.null extern)))
		(func (export "callback") (result i32)
			(table.set (i32.const 0) (call $same (ref.func $seven)))
			(call_indirect (result i32) (i32.const 0)))
		(func (export "swap") (param i32) (result i32)
			(local $r externref)
			(call $swap (call $wrap (local.get 0)) (i32.const 10))
			(local.set $r)
			(i32.add (call $unwrap (local.get $r)))))`)
	if got := call(t, inst, "roundtrip", 42)[0]; got != 42 {
		t.Fatalf("roundtrip = %d", got)
	}
	if got := call(t, inst, "null")[0]; int32(got) != -1 {
		t.Fatalf("null = %d", int32(got))
	}
	if got := call(t, inst, "callback")[0]; got != 7 {
		t.Fatalf("callback = %d", got)
	}
	if got := call(t, inst, "swap", 5)[0]; got != 16 {
		t.Fatalf("swap = %d", got)
	}
}

func TestTailCalls(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Features: allFeatures, MaxCallDepth: 100})
	_, err := rt.NewHostModule("env").Func("inc", func(x int64) int64 { return x + 1 }).Instantiate(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wast.Parser{Features: allFeatures}.ParseModule("tail.wat", []byte(`(module
	  (import "env" "inc" (func $inc (param i64) (result i64)))
	  (type $t (func (param i64 i64) (result i64)))
	  (table funcref (elem $count))
	  (func $count (export "count") (param $n i64) (param $acc i64) (result i64)
	    (if (result i64) (i64.eqz (local.get $n))
	      (then (return_call $inc (local.get $acc)))
	      (else (return_call_indirect (type $t)
	        (i64.sub (local.get $n) (i64.const 1)) (i64.add (local.get $acc) (i64.const 2)) (i32.const 0)))))
	  (func (export "byref") (param i64) (result i64)
	    (return_call_ref $t (local.get 0) (i64.const 0) (ref.func $count)))
	  (elem declare func $count))`))
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	// A million tail calls run in constant frame depth (the limit is 100).
	if got := call(t, inst, "count", 1_000_000, 0)[0]; got != 2_000_001 {
		t.Fatalf("count = %d", got)
	}
	if got := call(t, inst, "byref", 10)[0]; got != 21 {
		t.Fatalf("byref = %d", got)
	}
}

func TestAtomics(t *testing.T) {
	inst := instantiateWith(t, allFeatures, `(module
	  (memory (export "mem") 1 1 shared)
	  (func (export "add8") (param i32 i32) (result i32) (i32.atomic.rmw8.add_u (local.get 0) (local.get 1)))
	  (func (export "cas") (param i32 i64 i64) (result i64) (i64.atomic.rmw.cmpxchg (local.get 0) (local.get 1) (local.get 2)))
	  (func (export "load16") (param i32) (result i32) (i32.atomic.load16_u (local.get 0)))
	  (func (export "load") (param i32) (result i32) (i32.atomic.load (local.get 0)))
	  (func (export "wait") (param i32 i32 i64) (result i32) (memory.atomic.wait32 (local.get 0) (local.get 1) (local.get 2)))
	  (func (export "notify") (param i32 i32) (result i32) (memory.atomic.notify (local.get 0) (local.get 1))))`)
	call(t, inst, "add8", 5, 250)
	if got := call(t, inst, "add8", 5, 10)[0]; got != 250 {
		t.Fatalf("old byte = %d", got)
	}
	if got := call(t, inst, "load16", 4)[0]; got != 0x0400 {
		t.Fatalf("halfword = %#x, want 0x0400 (the byte wrapped to 4)", got)
	}
	if got := call(t, inst, "cas", 8, 0, 77)[0]; got != 0 {
		t.Fatalf("cas old = %d", got)
	}
	if got := call(t, inst, "cas", 8, 1, 99)[0]; got != 77 {
		t.Fatalf("failed cas old = %d", got)
	}
	if c := trapCode(t, inst, "load", 2); c != TrapUnalignedAtomic {
		t.Fatalf("unaligned load: %v", c)
	}
	if got := call(t, inst, "wait", 0, 1, 0)[0]; got != 1 {
		t.Fatalf("wait with another value = %d, want 1 (not-equal)", got)
	}
	if got := call(t, inst, "wait", 0, 0, 1000)[0]; got != 2 {
		t.Fatalf("wait = %d, want 2 (timed out)", got)
	}
	// A waiter on another goroutine (a second instance of the same
	// function, as a thread would have) is woken by notify.
	done := make(chan uint64)
	go func() {
		res, err := inst.Func("wait").Call(context.Background(), 64, 0, ^uint64(0))
		if err != nil {
			t.Error(err)
		}
		done <- res[0]
	}()
	woken := uint64(0)
	for woken == 0 {
		woken = call(t, inst, "notify", 64, 1)[0]
	}
	if got := <-done; got != 0 {
		t.Fatalf("woken wait = %d, want 0", got)
	}
}

func TestExceptions(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: allFeatures})
	parse := func(src string) *CompiledModule {
		t.Helper()
		bin, err := wast.Parser{Features: allFeatures}.ParseModule("exn.wat", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			t.Fatal(err)
		}
		return cm
	}
	// A host function calls back into wasm code that throws: the
	// exception crosses the host frame.
	var callback *Func
	_, err := rt.NewHostModule("host").
		Func("reenter", func(ctx context.Context, x int32) (int32, error) {
			res, err := callback.Call(ctx, uint64(x))
			if err != nil {
				return 0, err
			}
			return int32(res[0]), nil
		}).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, parse(`(module
	  (import "host" "reenter" (func $reenter (param i32) (result i32)))
	  (tag $e (export "e") (param i32))
	  (tag $other)
	  (func $thrower (export "thrower") (param i32) (result i32)
	    (if (i32.eqz (local.get 0)) (then (throw $other)))
	    (throw $e (local.get 0)))
	  (func (export "catch") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (drop (call $thrower (local.get 0))))
	      (i32.const -1)))
	  (func (export "catch_all_ref") (param i32) (result i32)
	    (block $h (result exnref)
	      (try_table (catch_all_ref $h) (drop (call $thrower (local.get 0))))
	      (return (i32.const -1)))
	    (drop) (i32.const 7))
	  (func (export "rethrow_ref") (param i32) (result i32)
	    (block $outer (result i32)
	      (try_table (catch $e $outer)
	        (block $h (result i32 exnref)
	          (try_table (catch_ref $e $h) (drop (call $thrower (local.get 0))))
	          (return (i32.const -1)))
	        (throw_ref))
	      (i32.const -2)))
	  (func (export "legacy") (param i32) (result i32)
	    (try (result i32)
	      (do (try (result i32)
	        (do (call $thrower (local.get 0)))
	        (catch $e (i32.add (i32.const 100)) (drop) (rethrow 0))))
	      (catch $e (i32.add (i32.const 1000)))
	      (catch_all (i32.const -3))))
	  (func (export "delegate") (param i32) (result i32)
	    (try (result i32)
	      (do (try (result i32)
	        (do (call $thrower (local.get 0)))
	        (delegate 0)))
	      (catch $e)))
	  (func (export "through_host") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $e $h) (drop (call $reenter (local.get 0))))
	      (i32.const -1))))`), ModuleConfig{Name: "m"})
	if err != nil {
		t.Fatal(err)
	}
	callback = inst.Func("thrower")
	cases := []struct {
		fn   string
		arg  uint64
		want int32
	}{
		{"catch", 5, 5},
		{"catch_all_ref", 0, 7},
		{"rethrow_ref", 9, 9},
		{"legacy", 4, 1004},
		{"legacy", 0, -3},
		{"delegate", 3, 3},
		{"through_host", 6, 6},
	}
	for _, c := range cases {
		if got := int32(call(t, inst, c.fn, c.arg)[0]); got != c.want {
			t.Errorf("%s(%d) = %d, want %d", c.fn, c.arg, got, c.want)
		}
	}
	if code := trapCode(t, inst, "catch", 0); code != TrapUncaughtException {
		t.Errorf("uncaught: %v", code)
	}
	var tr *Trap
	if _, err := inst.Func("thrower").Call(ctx, 1); !errors.As(err, &tr) || tr.Exception == nil || tr.Exception.Vals[0] != 1 {
		t.Errorf("uncaught exception payload: %v", err)
	}
}

func TestGC(t *testing.T) {
	inst := instantiateWith(t, allFeatures, `(module
	  (type $point (sub (struct (field $x (mut i32)) (field $y i64))))
	  (type $point3 (sub $point (struct (field $x (mut i32)) (field $y i64) (field $z f32))))
	  (type $bytes (array (mut i8)))
	  (type $list (struct (field $head i32) (field $tail (ref null $list))))
	  (global $g (ref $point) (struct.new $point (i32.const 1) (i64.const 2)))
	  (func (export "sum") (param i32) (result i32)
	    (local $l (ref null $list)) (local $s i32)
	    (loop $build
	      (local.set $l (struct.new $list (local.get 0) (local.get $l)))
	      (br_if $build (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))
	    (block $done
	      (loop $walk
	        (local.set $s (i32.add (struct.get $list $head (br_on_null $done (local.get $l))) (local.get $s)))
	        (local.set $l (struct.get $list $tail (local.get $l)))
	        (br $walk)))
	    (local.get $s))
	  (func (export "bytes") (param i32) (result i32)
	    (local $a (ref $bytes))
	    (local.set $a (array.new $bytes (i32.const 200) (local.get 0)))
	    (array.set $bytes (local.get $a) (i32.const 0) (i32.const 255))
	    (i32.add (array.get_s $bytes (local.get $a) (i32.const 0))
	             (i32.add (array.get_u $bytes (local.get $a) (i32.const 1)) (array.len (local.get $a)))))
	  (func (export "cast") (param i32) (result i32)
	    (local $p (ref null $point))
	    (if (local.get 0)
	      (then (local.set $p (struct.new $point3 (i32.const 3) (i64.const 4) (f32.const 5))))
	      (else (local.set $p (global.get $g))))
	    (struct.set $point $x (local.get $p) (i32.const 9))
	    (i32.add (ref.test (ref $point3) (local.get $p))
	             (i32.mul (i32.const 10) (struct.get $point $x (ref.cast (ref $point) (local.get $p))))))
	  (func (export "bad_cast") (result i32)
	    (struct.get $point3 $x (ref.cast (ref $point3) (global.get $g))))
	  (func (export "i31") (param i32) (result i32)
	    (i31.get_s (ref.i31 (local.get 0))))
	  (func (export "oob") (drop (array.get_u $bytes (array.new_default $bytes (i32.const 1)) (i32.const 1)))))`)
	if got := call(t, inst, "sum", 100)[0]; got != 5050 {
		t.Errorf("sum = %d", got)
	}
	if got := int32(call(t, inst, "bytes", 3)[0]); got != -1+200+3 {
		t.Errorf("bytes = %d", got)
	}
	if got := call(t, inst, "cast", 1)[0]; got != 91 {
		t.Errorf("cast(1) = %d", got)
	}
	if got := call(t, inst, "cast", 0)[0]; got != 90 {
		t.Errorf("cast(0) = %d", got)
	}
	if c := trapCode(t, inst, "bad_cast"); c != TrapCastFailure {
		t.Errorf("bad cast: %v", c)
	}
	if got := int32(call(t, inst, "i31", 0x7FFFFFFF)[0]); got != -1 {
		t.Errorf("i31 = %d", got)
	}
	if c := trapCode(t, inst, "oob"); c != TrapOutOfBoundsArrayAccess {
		t.Errorf("oob: %v", c)
	}
}

func TestThreadsShareMemory(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: allFeatures})
	parse := func(src string) *CompiledModule {
		t.Helper()
		bin, err := wast.Parser{Features: allFeatures}.ParseModule("threads.wat", []byte(src))
		if err != nil {
			t.Fatal(err)
		}
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			t.Fatal(err)
		}
		return cm
	}
	if _, err := rt.Instantiate(ctx, parse(`(module (memory (export "mem") 1 4 shared))`), ModuleConfig{Name: "env"}); err != nil {
		t.Fatal(err)
	}
	worker := parse(`(module
	  (import "env" "mem" (memory 1 4 shared))
	  (func (export "work") (param $n i32)
	    (loop $l
	      (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
	      (drop (i64.atomic.rmw16.add_u (i32.const 10) (i64.const 1)))
	      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
	  (func (export "grow") (result i32) (memory.grow (i32.const 1)))
	  (func (export "get") (result i32) (i32.atomic.load (i32.const 0))))`)
	const threads, iters = 4, 2000
	errs := make(chan error, threads+1)
	for i := 0; i < threads; i++ {
		inst, err := rt.Instantiate(ctx, worker, ModuleConfig{})
		if err != nil {
			t.Fatal(err)
		}
		go func() {
			_, err := inst.Func("work").Call(ctx, iters)
			errs <- err
		}()
	}
	grower, err := rt.Instantiate(ctx, worker, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		_, err := grower.Func("grow").Call(ctx)
		errs <- err
	}()
	for i := 0; i < threads+1; i++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if got := call(t, grower, "get")[0]; got != threads*iters {
		t.Fatalf("counter = %d, want %d", got, threads*iters)
	}
	if got := grower.rt.Lookup("env").Memory("mem").Size(); got != 2 {
		t.Fatalf("size = %d pages, want 2", got)
	}
}

func TestProposalCallsDoNotAllocate(t *testing.T) {
	if raceflag.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector")
	}
	inst := instantiateWith(t, allFeatures, `(module
	  (type $t (func (param i64) (result i64)))
	  (elem declare func $down)
	  (func $down (param i64) (result i64)
	    (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 7))
	      (else (return_call $down (i64.sub (local.get 0) (i64.const 1))))))
	  (func (export "run") (param i64) (result i64)
	    (call_ref $t (local.get 0) (ref.func $down))))`)
	f := inst.Func("run")
	stack := []uint64{100}
	allocs := callAllocs(func() {
		stack[0] = 100
		if err := f.CallInto(context.Background(), stack); err != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 || stack[0] != 7 {
		t.Fatalf("%v allocations per call (result %d), want 0", allocs, stack[0])
	}
}

func TestHostThrows(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: allFeatures})
	bin, err := wast.Parser{Features: allFeatures}.ParseModule("tags.wat", []byte(`(module (tag (export "oops") (param i32)))`))
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	tags, err := rt.Instantiate(ctx, cm, ModuleConfig{Name: "tags"})
	if err != nil {
		t.Fatal(err)
	}
	oops := tags.Tag("oops")
	if _, err := rt.NewHostModule("host").
		Func("fail", func(x int32) error { return oops.Throw(uint64(x)) }).
		Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	inst := instantiateWithRuntime(t, rt, `(module
	  (import "tags" "oops" (tag $oops (param i32)))
	  (import "host" "fail" (func $fail (param i32)))
	  (func (export "run") (param i32) (result i32)
	    (block $h (result i32)
	      (try_table (catch $oops $h) (call $fail (local.get 0)))
	      (i32.const -1)))
	  (func (export "escape") (call $fail (i32.const 5))))`)
	if got := call(t, inst, "run", 33)[0]; got != 33 {
		t.Fatalf("run = %d, want the payload 33", got)
	}
	if _, err := inst.Func("escape").Call(ctx); !oops.Is(err) {
		t.Fatalf("escape: %v, want the oops exception", err)
	}
}

func instantiateWithRuntime(t testing.TB, rt *Runtime, src string) *Instance {
	t.Helper()
	bin, err := wast.Parser{Features: rt.Config().Features}.ParseModule("test.wat", []byte(src))
	if err != nil {
		t.Fatalf("parse: %v", err)
	}
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatalf("compile: %v", err)
	}
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	return inst
}

// FuzzRunProposals is FuzzRun with every proposal enabled, seeded with
// modules using tail calls, exceptions, GC, memory64, multi-memory and
// atomics.
func FuzzRunProposals(f *testing.F) {
	for _, src := range []string{
		`(module (func $f (export "f") (result i32) (return_call $g (i32.const 3))) (func $g (param i32) (result i32) (local.get 0)))`,
		`(module (tag $t (param i32)) (func (export "f") (result i32)
			(block $h (result i32) (try_table (catch $t $h) (throw $t (i32.const 1))) (i32.const 0))))`,
		`(module (tag $t) (func (export "f") (try (do (throw $t)) (catch $t) (catch_all))))`,
		`(module (type $s (struct (field (mut i32)) (field (ref null $s))))
			(type $a (array (mut i16)))
			(func (export "f") (result i32)
				(array.get_s $a (array.new $a (i32.const -1) (i32.const 4)) (i32.const 2))
				(struct.get $s 0 (struct.new $s (i32.const 5) (ref.null $s)))
				(i32.add)))`,
		`(module (memory i64 1) (func (export "f") (result i64) (i64.store offset=8 (i64.const 0) (i64.const 9)) (i64.load offset=8 (i64.const 0))))`,
		`(module (memory 1) (memory 1) (func (export "f") (result i32) (memory.copy 0 1 (i32.const 0) (i32.const 0) (i32.const 1)) (i32.load8_u 1 (i32.const 0))))`,
		`(module (memory 1 1 shared) (func (export "f") (result i32) (i32.atomic.rmw.cmpxchg (i32.const 0) (i32.const 0) (i32.const 1))))`,
		`(module (func (export "f") (result i32) (ref.test (ref i31) (ref.i31 (i32.const 1)))))`,
	} {
		bin, err := wast.Parser{Features: allFeatures}.ParseModule("seed.wat", []byte(src))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(bin)
	}
	f.Fuzz(func(t *testing.T, bin []byte) {
		ctx := context.Background()
		rt := NewRuntime(RuntimeConfig{Features: allFeatures, Fuel: 2000, MaxCallDepth: 200, MaxMemoryPages: 16})
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

func TestSharedMemoryGrownByAnotherThread(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{Features: allFeatures})
	bin, err := wast.Parser{Features: allFeatures}.ParseModule("grow.wat", []byte(`(module
	  (import "host" "start" (func $start))
	  (memory (export "mem") 1 2 shared)
	  (func (export "run") (result i32)
	    (i32.store (i32.const 0) (i32.const 1))
	    (call $start)
	    ;; Wait, without any call, until the other thread has grown the
	    ;; memory, then use the new page.
	    (loop $wait (br_if $wait (i32.eq (memory.size) (i32.const 1))))
	    (i32.store (i32.const 65536) (i32.const 7))
	    (i32.add (memory.size) (i32.load (i32.const 65536)))))`))
	if err != nil {
		t.Fatal(err)
	}
	var mem *Memory
	grown := make(chan struct{})
	if _, err := rt.NewHostModule("host").Func("start", func() {
		go func() { mem.Grow(1); close(grown) }()
	}).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	mem = inst.Memory("mem")
	if got := call(t, inst, "run")[0]; got != 9 {
		t.Fatalf("run = %d, want 2 pages + 7", got)
	}
	<-grown
}
