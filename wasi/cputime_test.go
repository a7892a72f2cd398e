package wasi_test

import (
	"context"
	"errors"
	"runtime"
	"testing"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// spinInThread spawns a thread that spins while the main thread waits
// without using CPU time.
const spinInThread = `(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (func (export "wasi_thread_start") (param i32 i32) (loop (br 0)))
  (func (export "_start")
    (drop (call $spawn (i32.const 0)))
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))`

// TestCPUTimeThreads: the CPU time of a spawned thread counts: the run
// ends at the limit although its main thread is blocked.
func TestCPUTimeThreads(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("CPU time is measured with Linux's thread CPU clocks")
	}
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, spinInThread)
	const limit = 200 * time.Millisecond
	acct := sandbox.NewAccount(sandbox.Limits{CPUTime: limit})
	_, err := wasi.Run(context.Background(), rt, cm, wasi.Config{Quota: acct})
	var q *sandbox.QuotaExceeded
	if !errors.As(err, &q) || q.Resource != sandbox.ResCPUTime {
		t.Fatalf("run ended with %v, want the CPU-time quota", err)
	}
	if used := acct.Used(sandbox.ResCPUTime); used != uint64(limit) {
		t.Errorf("CPU time charged %v, want %v", time.Duration(used), limit)
	}
	// A blocked guest is not charged: the same wait without the
	// spinning thread ends by the wall-time limit, having used little.
	idle := sandbox.NewAccount(sandbox.Limits{CPUTime: limit, WallTime: 300 * time.Millisecond})
	cm2 := compileThreaded(t, rt, `(module (import "env" "memory" (memory 1 1 shared))
	  (func (export "_start") (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))`)
	_, err = wasi.Run(context.Background(), rt, cm2, wasi.Config{Quota: idle})
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("blocked run ended with %v, want the wall-time limit", err)
	}
	if used := idle.Used(sandbox.ResCPUTime); used >= uint64(limit/2) {
		t.Errorf("a blocked guest was charged %v of CPU time", time.Duration(used))
	}
}
