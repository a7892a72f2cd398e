package main

import "testing"

// A spawn bomb: every thread spawns another before blocking forever, and
// the main thread spawns until thread-spawn fails, then exits with the
// errno. kiln run's default --max-threads (256) stops it with EAGAIN (6);
// exiting stops every blocked thread.
func TestHostileThreadBomb(t *testing.T) {
	hostile(t, hostileBomb{
		wat: `(module
		  (import "env" "memory" (memory 1 1 shared))
		  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
		  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
		  (func (export "wasi_thread_start") (param i32 i32)
		    (drop (call $spawn (i32.const 0)))
		    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
		  (func (export "_start") (local $r i32)
		    (loop $l
		      (local.set $r (call $spawn (i32.const 0)))
		      (br_if $l (i32.gt_s (local.get $r) (i32.const 0))))
		    (call $exit (i32.sub (i32.const 0) (local.get $r)))))`,
		exit: 6,
		// A goroutine per thread, and at exit briefly the callbacks
		// (context.AfterFunc) that stop each thread's context and run.
		bounds: hostileBounds{goroutines: 3*defaultMaxThreads + 64},
	})
}
