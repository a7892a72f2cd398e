//go:build kilnjit && linux && (amd64 || arm64)

package main

import "testing"

// Threads recursing in machine code under a small memory quota: 16
// threads and the main one each recurse without end under --engine jit
// and --max-memory 8M. Their machine stacks (each as large as
// --max-stack, 256 MiB by default) are charged to the memory quota as
// they grow, as the interpreter's frame stacks are, so the first thread
// to reach the quota traps "call stack exhausted (the frame stack's
// memory was refused by the resource limiter)" and ends the process
// while the stacks hold a few MiB, where uncharged they committed up to
// 256 MiB each.
func TestHostileJITThreadStacks(t *testing.T) {
	hostile(t, hostileBomb{
		wat: `(module
		  (import "env" "memory" (memory 1 1 shared))
		  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		  (func $deep (call $deep))
		  (func (export "wasi_thread_start") (param i32 i32) (call $deep))
		  (func (export "_start") (local $i i32)
		    (loop $l
		      (drop (call $spawn (i32.const 0)))
		      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 16))))
		    (call $deep)))`,
		args:   []string{"run", "--engine", "jit", "--max-memory", "8M", "{file}"},
		exit:   exitTrap,
		stderr: "call stack exhausted (the frame stack's memory was refused by the resource limiter)",
		bounds: hostileBounds{rssMiB: 128},
	})
}
