package examples_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"testing/fstest"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// The program of docs/migrating-from-wazero.md, translated from wazero:
// a host module "env" with a function reading guest memory, and a WASI
// command run with arguments, an environment, standard output and a
// read-only mount, under a memory cap.
func Example_migratingFromWazero() {
	ctx := context.Background()
	// wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
	//     WithMemoryLimitPages(256).WithCloseOnContextDone(true))
	rt := kiln.NewRuntime(kiln.RuntimeConfig{MaxMemoryPages: 256, CloseOnContextDone: true})

	// r.NewHostModuleBuilder("env").NewFunctionBuilder().
	//     WithFunc(func(ctx context.Context, m api.Module, ptr, n uint32) {...}).
	//     Export("log").Instantiate(ctx)
	_, err := rt.NewHostModule("env").
		Func("log", func(c *kiln.Caller, ptr, n uint32) {
			b, ok := c.Memory().Read(ptr, n) // m.Memory().Read(ptr, n)
			if !ok {
				panic(fmt.Errorf("log: out of range"))
			}
			fmt.Printf("guest says %q\n", b)
		}).
		Instantiate(ctx)
	if err != nil {
		log.Fatal(err)
	}

	// r.CompileModule(ctx, wasmBytes)
	cm := mustCompile(ctx, rt, `(module
		(import "env" "log" (func $log (param i32 i32)))
		(import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
		(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
		(memory (export "memory") 1)
		(data (i32.const 64) "hello")
		(func (export "_start")
			(call $log (i32.const 64) (i32.const 5))
			(drop (call $sizes (i32.const 0) (i32.const 4)))
			(call $exit (i32.load (i32.const 0)))))`) // exit code: argc

	// wasi_snapshot_preview1.MustInstantiate(ctx, r) and
	// r.InstantiateModule(ctx, compiled, wazero.NewModuleConfig().
	//     WithArgs("prog", "-v").WithEnv("HOME", "/").WithStdout(os.Stdout).
	//     WithFSConfig(wazero.NewFSConfig().WithFSMount(assets, "/assets")))
	assets := fstest.MapFS{"logo.txt": {Data: []byte("kiln")}}
	code, err := wasi.Run(ctx, rt, cm, wasi.Config{
		Args:   []string{"prog", "-v"},
		Env:    []string{"HOME=/"},
		Stdout: os.Stdout,
		Mounts: []wasi.Mount{{IOFS: assets, GuestPath: "/assets"}},
	})
	fmt.Println("exit code", code, err)
	// Output:
	// guest says "hello"
	// exit code 2 <nil>
}
