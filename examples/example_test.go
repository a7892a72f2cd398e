package examples_test

import (
	"context"
	"fmt"
	"log"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// mustCompile converts WAT source to a binary and compiles it.
func mustCompile(ctx context.Context, rt *kiln.Runtime, src string) *kiln.CompiledModule {
	bin, err := wast.ParseModule("example.wat", []byte(src))
	if err != nil {
		log.Fatal(err)
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		log.Fatal(err)
	}
	return cm
}

// A module calls back into the host: the host module "env" provides a
// function taking plain Go integers and one that reads guest memory
// through its *kiln.Caller.
func Example_hostFunctions() {
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})

	_, err := rt.NewHostModule("env").
		Func("square", func(x int32) int32 { return x * x }).
		Func("print", func(c *kiln.Caller, ptr, n uint32) {
			msg, ok := c.Memory().Read(ptr, n)
			if !ok {
				panic(fmt.Errorf("print: pointer out of range"))
			}
			fmt.Println(string(msg))
		}).
		Instantiate(ctx)
	if err != nil {
		log.Fatal(err)
	}

	cm := mustCompile(ctx, rt, `(module
		(import "env" "square" (func $square (param i32) (result i32)))
		(import "env" "print" (func $print (param i32 i32)))
		(memory (export "memory") 1)
		(data (i32.const 0) "hello from wasm")
		(func (export "run") (param i32) (result i32)
			(call $print (i32.const 0) (i32.const 15))
			(i32.add (call $square (local.get 0)) (i32.const 1))))`)
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{Name: "app"})
	if err != nil {
		log.Fatal(err)
	}
	res, err := inst.Func("run").Call(ctx, 7)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("run(7) =", int32(res[0]))
	// Output:
	// hello from wasm
	// run(7) = 50
}

// The host passes a string to a guest function through linear memory and
// reads the transformed string back.
func Example_memoryExchange() {
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm := mustCompile(ctx, rt, `(module
		(memory (export "memory") 1)
		;; upper(ptr, len): ASCII upper-case in place, returns the count changed.
		(func (export "upper") (param $p i32) (param $n i32) (result i32)
			(local $end i32) (local $c i32) (local $changed i32)
			(local.set $end (i32.add (local.get $p) (local.get $n)))
			(block $done
				(loop $next
					(br_if $done (i32.ge_u (local.get $p) (local.get $end)))
					(local.set $c (i32.load8_u (local.get $p)))
					(if (i32.and (i32.ge_u (local.get $c) (i32.const 97))
					             (i32.le_u (local.get $c) (i32.const 122)))
						(then
							(i32.store8 (local.get $p) (i32.sub (local.get $c) (i32.const 32)))
							(local.set $changed (i32.add (local.get $changed) (i32.const 1)))))
					(local.set $p (i32.add (local.get $p) (i32.const 1)))
					(br $next)))
			(local.get $changed)))`)
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		log.Fatal(err)
	}
	mem := inst.Memory("memory")
	input := "Hello, kiln!"
	if !mem.Write(1024, []byte(input)) {
		log.Fatal("write out of range")
	}
	res, err := inst.Func("upper").Call(ctx, 1024, uint64(len(input)))
	if err != nil {
		log.Fatal(err)
	}
	out, _ := mem.Read(1024, uint32(len(input)))
	fmt.Printf("%s (%d letters changed)\n", out, res[0])
	fmt.Println(strings.EqualFold(string(out), input))
	// Output:
	// HELLO, KILN! (8 letters changed)
	// true
}

// Traps come back as *kiln.Trap with the specification's message.
func Example_trap() {
	ctx := context.Background()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{MaxCallDepth: 1000})
	cm := mustCompile(ctx, rt, `(module
		(func $down (export "down") (param i32) (result i32)
			(call $down (i32.add (local.get 0) (i32.const 1)))))`)
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		log.Fatal(err)
	}
	_, err = inst.Func("down").Call(ctx, 0)
	fmt.Println(err)
	// Output:
	// wasm trap: call stack exhausted
}
