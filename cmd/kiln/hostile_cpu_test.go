package main

import (
	"runtime"
	"testing"
)

// TestHostileCPUSpinners: a guest whose main thread and five threads spin
// is ended at --max-cpu-time with exit 152 (128+SIGXCPU), its whole
// process tree stopped, well inside the CPU bound of the host.
func TestHostileCPUSpinners(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("--max-cpu-time measures Linux's thread CPU clocks")
	}
	hostile(t, hostileBomb{
		wat: `(module
		  (import "env" "memory" (memory 1 1 shared))
		  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		  (func (export "wasi_thread_start") (param i32 i32) (loop (br 0)))
		  (func (export "_start") (local $i i32)
		    (loop $l
		      (drop (call $spawn (i32.const 0)))
		      (local.set $i (i32.add (local.get $i) (i32.const 1)))
		      (br_if $l (i32.lt_u (local.get $i) (i32.const 5))))
		    (loop (br 0))))`,
		args:   []string{"run", "--max-cpu-time", "500ms", "{file}"},
		exit:   exitFuel,
		stderr: "CPU time limit exceeded",
	})
}
