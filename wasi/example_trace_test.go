package wasi_test

import (
	"context"
	"io"
	"os"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wast"
)

// A Tracer prints every WASI call of a process, strace-style (kiln run
// --trace does this); here only the files and processes groups.
func ExampleTracer() {
	ctx := context.Background()
	bin, err := wast.ParseModule("hi.wat", []byte(`(module
	  (import "wasi_snapshot_preview1" "fd_write" (func $write (param i32 i32 i32 i32) (result i32)))
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory (export "memory") 1)
	  (data (i32.const 0) "\10\00\00\00\03\00\00\00")
	  (data (i32.const 16) "hi\n")
	  (func (export "_start")
	    (drop (call $write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 8)))
	    (call $exit (i32.const 0))))`))
	if err != nil {
		panic(err)
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		panic(err)
	}
	tracer := wasi.NewTracer(os.Stdout, wasi.TraceFiles|wasi.TraceProcesses)
	if _, err := wasi.Run(ctx, rt, cm, wasi.Config{Stdout: io.Discard, Trace: tracer}); err != nil {
		panic(err)
	}
	// Output:
	// fd_write(1, "hi\n", [3]) = 0
	// proc_exit(0) = ? <exit 0>
}
