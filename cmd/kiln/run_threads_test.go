package main

import (
	"strings"
	"testing"
)

// threadsWat spawns a wasi-threads thread that stores its tid, wakes the
// main thread and blocks forever; the main thread then spawns a second
// one and exits with that spawn's errno (the negated result) if it
// failed, else with 100 + the first thread's tid. A thread stores its tid
// only into a zero word (compare-and-swap), so the second thread, which
// may run before the main thread reads the word, cannot replace it.
// Exiting stops the blocked threads.
const threadsWat = `(module
  (import "env" "memory" (memory 2 16 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param $tid i32) (param i32)
    (drop (i32.atomic.rmw.cmpxchg (i32.const 4) (i32.const 0) (local.get $tid)))
    (drop (memory.atomic.notify (i32.const 4) (i32.const 1)))
    (drop (memory.atomic.wait32 (i32.const 8) (i32.const 0) (i64.const -1))))
  (func (export "_start") (local $r i32)
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
    (drop (memory.atomic.wait32 (i32.const 4) (i32.const 0) (i64.const -1)))
    (local.set $r (call $spawn (i32.const 0)))
    (if (i32.lt_s (local.get $r) (i32.const 0))
      (then (call $exit (i32.sub (i32.const 0) (local.get $r)))))
    (call $exit (i32.add (i32.const 100) (i32.atomic.load (i32.const 4))))))`

// TestRunThreads: kiln run accepts a threaded module (an imported shared
// memory, wasi-threads) with no flag, and --max-threads limits its
// threads.
func TestRunThreads(t *testing.T) {
	m := writeWat(t, threadsWat)
	if code, out, errOut := kilnRun(t, m); code != 102 {
		t.Fatalf("threads: code %d (stdout %q, stderr %q), want 102 (thread 2 ran)", code, out, errOut)
	}
	if code, out, errOut := kilnRun(t, "--max-threads", "2", m); code != 6 {
		t.Fatalf("--max-threads 2: code %d (stdout %q, stderr %q), want 6 (EAGAIN)", code, out, errOut)
	}
	code, _, errOut := kilnRun(t, "--enable", "-threads", m)
	if code != exitError || !strings.Contains(errOut, "threads") {
		t.Fatalf("--enable -threads: code %d, stderr %q; want a load error naming threads", code, errOut)
	}
}
