package examples_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// Host values travel through wasm code as externrefs: the host module
// hands out Go values and receives them back unchanged.
func Example_hostReferences() {
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	type user struct{ name string }

	_, err := rt.NewHostModule("env").
		Func("lookup", func(id int32) any { return &user{name: fmt.Sprintf("user-%d", id)} }).
		Func("greet", func(u any) { fmt.Println("hello,", u.(*user).name) }).
		Instantiate(ctx)
	if err != nil {
		log.Fatal(err)
	}
	cm := mustCompile(ctx, rt, `(module
		(import "env" "lookup" (func $lookup (param i32) (result externref)))
		(import "env" "greet" (func $greet (param externref)))
		(func (export "run") (param i32) (call $greet (call $lookup (local.get 0)))))`)
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := inst.Func("run").Call(ctx, 42); err != nil {
		log.Fatal(err)
	}
	// Output: hello, user-42
}

// With the exception-handling proposal enabled, an exception that wasm
// code does not catch reaches the embedder as a trap carrying its payload.
func Example_exceptions() {
	ctx := context.Background()
	features := wasm.Features2 | wasm.FeatureExceptions
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Features: features})
	bin, err := wast.Parser{Features: features}.ParseModule("exn.wat", []byte(`(module
		(tag $fail (param i32))
		(func $check (param i32) (result i32)
			(if (i32.lt_s (local.get 0) (i32.const 0)) (then (throw $fail (local.get 0))))
			(local.get 0))
		(func (export "safe") (param i32) (result i32)
			(block $caught (result i32)
				(try_table (result i32) (catch $fail $caught) (call $check (local.get 0)))
				(return))
			(drop)
			(i32.const 0))
		(func (export "unsafe") (param i32) (result i32) (call $check (local.get 0))))`))
	if err != nil {
		log.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		log.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		log.Fatal(err)
	}
	res, _ := inst.Func("safe").Call(ctx, uint64(0xFFFFFFFF)) // -1
	fmt.Println("safe(-1) =", res[0])
	_, err = inst.Func("unsafe").Call(ctx, uint64(0xFFFFFFFE)) // -2
	var trap *kiln.Trap
	if errors.As(err, &trap) && trap.Code == kiln.TrapUncaughtException {
		fmt.Println("uncaught exception with payload", int32(trap.Exception.Vals[0]))
	}
	// Output:
	// safe(-1) = 0
	// uncaught exception with payload -2
}
