package kiln

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/kilnrt/kiln/wasm"
)

func TestHostFunctionsAndMemory(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	var logged []string
	errBadPointer := errors.New("bad pointer")
	_, err := rt.NewHostModule("env").
		Func("add", func(a, b int32) int32 { return a + b }).
		Func("log", func(ctx context.Context, c *Caller, ptr, n uint32) {
			b, ok := c.Memory().Read(ptr, n)
			if !ok {
				panic(errBadPointer)
			}
			logged = append(logged, string(b))
		}).
		RawFunc("twice", wasm.FuncType{Params: []wasm.ValType{wasm.I64}, Results: []wasm.ValType{wasm.I64}},
			func(ctx context.Context, c *Caller, stack []uint64) { stack[0] *= 2 }).
		Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	inst := instantiate(t, rt, `(module
		(import "env" "add" (func $add (param i32 i32) (result i32)))
		(import "env" "log" (func $log (param i32 i32)))
		(import "env" "twice" (func $twice (param i64) (result i64)))
		(memory (export "mem") 1)
		(data (i32.const 16) "hello")
		(func (export "run") (result i32 i64)
			(call $log (i32.const 16) (i32.const 5))
			(call $add (i32.const 40) (i32.const 2))
			(call $twice (i64.const 21)))
		(func (export "badlog") (call $log (i32.const -1) (i32.const 5))))`)
	res, err := inst.Func("run").Call(ctx)
	if err != nil || res[0] != 42 || res[1] != 42 {
		t.Fatalf("run = %v, %v", res, err)
	}
	if len(logged) != 1 || logged[0] != "hello" {
		t.Fatalf("logged %q", logged)
	}
	if _, err = inst.Func("badlog").Call(ctx); !errors.Is(err, errBadPointer) {
		t.Fatalf("badlog: %v, want the host function's error", err)
	}
	mem := inst.Memory("mem")
	if !mem.WriteUint32(100, 0xdeadbeef) {
		t.Fatal("WriteUint32 failed")
	}
	if v, ok := mem.ReadUint32(100); !ok || v != 0xdeadbeef {
		t.Fatalf("ReadUint32 = %x, %v", v, ok)
	}
	if _, ok := mem.ReadUint64(65530); ok {
		t.Fatal("out-of-range read succeeded")
	}
	if old, ok := mem.Grow(1); !ok || old != 1 || mem.Size() != 2 {
		t.Fatal("Grow failed")
	}
}

func TestLinkErrors(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	if _, err := rt.NewHostModule("env").Func("f", func(int32) {}).Memory("mem", 1, 2).
		Global("g", wasm.GlobalType{Type: wasm.I32}, ValueI32(7)).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	cases := []struct{ src, msg string }{
		{`(module (import "nope" "f" (func)))`, "unknown import"},
		{`(module (import "env" "nope" (func)))`, "unknown import"},
		{`(module (import "env" "f" (func (param i64))))`, "incompatible import type"},
		{`(module (import "env" "f" (memory 1)))`, "incompatible import type"},
		{`(module (import "env" "mem" (memory 3)))`, "incompatible import type"},
		{`(module (import "env" "mem" (memory 1 1)))`, "incompatible import type"},
		{`(module (import "env" "g" (global (mut i32))))`, "incompatible import type"},
	}
	for _, c := range cases {
		_, err := rt.Instantiate(ctx, compile(t, rt, c.src), ModuleConfig{})
		var le *LinkError
		if !errors.Is(err, ErrLink) || !errors.As(err, &le) || le.Msg != c.msg {
			t.Errorf("%s: err = %v, want %q", c.src, err, c.msg)
		}
	}
	inst := instantiate(t, rt, `(module (import "env" "g" (global $g i32)) (import "env" "mem" (memory 1 2))
		(func (export "g") (result i32) (global.get $g)))`)
	if res, err := inst.Func("g").Call(ctx); err != nil || res[0] != 7 {
		t.Fatalf("imported global = %v, %v", res, err)
	}
}

func TestInstantiationTraps(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	shared := instantiate(t, rt, `(module (memory (export "m") 1) (func (export "peek") (result i32) (i32.load8_u (i32.const 0))))`)
	rt.Register("shared", shared)
	_, err := rt.Instantiate(ctx, compile(t, rt, `(module (import "shared" "m" (memory 1))
		(data (i32.const 0) "a") (data (i32.const 65536) "b"))`), ModuleConfig{})
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapOutOfBoundsMemoryAccess {
		t.Fatalf("err = %v, want out of bounds memory access", err)
	}
	if res, _ := shared.Func("peek").Call(ctx); res[0] != 'a' {
		t.Fatalf("first segment not applied: %v", res)
	}
	_, err = rt.Instantiate(ctx, compile(t, rt, `(module (func $s unreachable) (start $s))`), ModuleConfig{})
	if !errors.As(err, &trap) || trap.Code != TrapUnreachable {
		t.Fatalf("start: err = %v", err)
	}
}

func TestCompileErrors(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	if _, err := rt.CompileModule(context.Background(), []byte("\x00asm\x02\x00\x00\x00")); !errors.Is(err, wasm.ErrMalformed) {
		t.Fatalf("bad version: %v", err)
	}
	// (module (func (result i32))) with an empty body: type mismatch.
	bin := []byte("\x00asm\x01\x00\x00\x00\x01\x05\x01\x60\x00\x01\x7f\x03\x02\x01\x00\x0a\x04\x01\x02\x00\x0b")
	if _, err := rt.CompileModule(context.Background(), bin); !errors.Is(err, wasm.ErrInvalid) {
		t.Fatalf("ill-typed body: %v", err)
	}
}

func TestCallValues(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, `(module
		(func $id (export "id") (param v128 externref funcref f32) (result f32 funcref externref v128)
			local.get 3 local.get 2 local.get 1 local.get 0)
		(func (export "ref") (result funcref) (ref.func $id))
		(global (export "g") (mut externref) (ref.null extern)))`)
	ref, err := inst.Func("ref").CallValues(ctx, nil)
	if err != nil || ref[0].Ref == nil {
		t.Fatalf("ref.func: %v, %v", ref, err)
	}
	id := ref[0].Ref.(*Func)
	if id != inst.Func("id") {
		t.Fatal("funcref does not round-trip to the same *Func")
	}
	host := &struct{ n int }{42}
	out, err := id.CallValues(ctx, []Value{ValueV128(1, 2), ValueExtern(host), ValueFunc(id), ValueF32(1.5)})
	if err != nil {
		t.Fatal(err)
	}
	if out[0].F32() != 1.5 || out[1].Ref != id || out[2].Ref != host || out[3].Lo != 1 || out[3].Hi != 2 {
		t.Fatalf("results %v", out)
	}
	g := inst.Global("g")
	if !g.Get().IsNull() {
		t.Fatal("global not null")
	}
	if err := g.Set(ValueExtern("x")); err != nil || g.Get().Ref != "x" {
		t.Fatalf("global set: %v", err)
	}
	if err := g.Set(ValueI32(1)); err == nil {
		t.Fatal("type-mismatched global set succeeded")
	}
	if _, err := id.CallValues(ctx, []Value{ValueI32(1)}); err == nil {
		t.Fatal("wrong arity accepted")
	}
}

const spinWAT = `(module (func (export "spin") (loop $l (br $l))))`

func TestFuelExhaustion(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{Fuel: 10000})
	inst := instantiate(t, rt, spinWAT)
	if _, err := inst.Func("spin").Call(context.Background()); !errors.Is(err, ErrFuelExhausted) {
		t.Fatalf("err = %v, want ErrFuelExhausted", err)
	}
	fib := instantiate(t, rt, fibWAT).Func("fib")
	if res, err := fib.Call(context.Background(), 10); err != nil || res[0] != 55 {
		t.Fatalf("fib(10) with fuel = %v, %v", res, err)
	}
}

func TestContextCancellation(t *testing.T) {
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, spinWAT)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := inst.Func("spin").Call(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want context.DeadlineExceeded", err)
	}
}

func TestTrapBacktrace(t *testing.T) {
	// testdata/backtrace.wasm (wat2wasm --debug-names, so it has a name
	// section): $outer calls $inner, which divides by zero.
	bin, err := os.ReadFile("testdata/backtrace.wasm")
	if err != nil {
		t.Fatal(err)
	}
	rt := NewRuntime(RuntimeConfig{})
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{Name: "bt"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = inst.Func("outer").Call(context.Background())
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapIntegerDivideByZero {
		t.Fatalf("err = %v", err)
	}
	want := []Frame{{FuncIndex: 0, Name: "inner", Module: "bt"}, {FuncIndex: 1, Name: "outer", Module: "bt"}}
	if len(trap.Frames) != 2 {
		t.Fatalf("frames = %+v", trap.Frames)
	}
	for i, f := range trap.Frames {
		if f.Offset <= 0 || f.Offset >= len(bin) {
			t.Errorf("frame %d offset %d outside the binary", i, f.Offset)
		}
		f.Offset = 0
		if f != want[i] {
			t.Errorf("frame %d = %+v, want %+v", i, f, want[i])
		}
	}
}

func TestClosedInstance(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	inst := instantiate(t, rt, fibWAT)
	f := inst.Func("fib")
	inst.Close(ctx)
	if _, err := f.Call(ctx, 1); !errors.Is(err, ErrClosed) {
		t.Fatalf("err = %v, want ErrClosed", err)
	}

	// A defined memory is released on close unless another instance
	// imported it.
	owner := instantiate(t, rt, `(module (memory (export "m") 1))`)
	mem := owner.Memory("m")
	owner.Close(ctx)
	if mem.Size() != 0 || mem.WriteUint8(0, 1) {
		t.Fatal("memory of a closed instance is still usable")
	}
	shared := instantiate(t, rt, `(module (memory (export "m") 1))`)
	rt.Register("shared", shared)
	user := instantiate(t, rt, `(module (import "shared" "m" (memory 1)) (func (export "peek") (result i32) (i32.load8_u (i32.const 0))))`)
	shared.Close(ctx)
	if _, err := user.Func("peek").Call(ctx); err != nil {
		t.Fatalf("imported memory released by its owner's close: %v", err)
	}
}

func TestHostPanicIsTrap(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	if _, err := rt.NewHostModule("h").Func("boom", func() { panic("boom") }).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	inst := instantiate(t, rt, `(module (import "h" "boom" (func $b)) (func (export "f") (call $b)))`)
	_, err := inst.Func("f").Call(ctx)
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapHostPanic || len(trap.Frames) != 1 {
		t.Fatalf("err = %v, want a host panic trap with a backtrace", err)
	}
}

// A compiled module is shared by instances running on several goroutines.
func TestConcurrentInstances(t *testing.T) {
	ctx := context.Background()
	rt := NewRuntime(RuntimeConfig{})
	cm := compile(t, rt, fibWAT)
	errs := make(chan error, 4)
	for g := 0; g < 4; g++ {
		go func() {
			inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
			if err != nil {
				errs <- err
				return
			}
			for i := 0; i < 20; i++ {
				res, err := inst.Func("fib").Call(ctx, 15)
				if err != nil || res[0] != 610 {
					errs <- fmt.Errorf("fib(15) = %v, %v", res, err)
					return
				}
			}
			errs <- nil
		}()
	}
	for g := 0; g < 4; g++ {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}
