package wasi_test

import (
	"bytes"
	"context"
	"errors"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// compileThreaded compiles a text module with threads enabled.
func compileThreaded(t *testing.T, rt *kiln.Runtime, src string) *kiln.CompiledModule {
	t.Helper()
	bin, err := wast.Parser{Features: wasm.Features3 | wasm.FeatureThreads}.ParseModule("threads.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	return cm
}

func threadedRuntime() *kiln.Runtime {
	return kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features3 | wasm.FeatureThreads})
}

// spawnThree spawns three threads that wait forever and exits with the
// negated result of the third spawn (or 100 + the spawn that failed
// first).
const spawnThree = `(module
  (import "env" "memory" (memory 1 1 shared))
  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
  (func (export "wasi_thread_start") (param i32 i32)
    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1))))
  (func (export "_start") (local $r i32)
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then (call $exit (i32.const 101))))
    (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then (call $exit (i32.const 102))))
    (local.set $r (call $spawn (i32.const 0)))
    (call $exit (i32.sub (i32.const 0) (local.get $r)))))`

func TestThreadQuota(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, spawnThree)
	var log bytes.Buffer
	// The main thread counts: three threads in all leave room for two.
	code, err := wasi.Run(context.Background(), rt, cm, wasi.Config{
		Limits: sandbox.Limits{Threads: 3}, Audit: sandbox.NewJSONAuditor(&log)})
	if err != nil || code != 6 {
		t.Fatalf("exit %d, %v; want 6 (the third spawn returns -EAGAIN)", code, err)
	}
	if !strings.Contains(log.String(), `"op":"quota"`) || !strings.Contains(log.String(), "threads") {
		t.Fatalf("refused spawn not audited:\n%s", log.String())
	}
	// Without a limit all three spawns succeed: the third returns a tid.
	code, err = wasi.Run(context.Background(), rt, cm, wasi.Config{})
	if err != nil || int32(code) != -4 {
		t.Fatalf("unlimited: exit %d, %v; want -4 (tid 4 negated)", int32(code), err)
	}
}

func TestThreadTrapEndsProcess(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "env" "memory" (memory 1 1 shared))
	  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
	  (func (export "wasi_thread_start") (param i32 i32) unreachable)
	  (func (export "_start")
	    (drop (call $spawn (i32.const 0)))
	    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))`)
	_, err := wasi.Run(context.Background(), rt, cm, wasi.Config{})
	var trap *kiln.Trap
	if !errors.As(err, &trap) || trap.Code != kiln.TrapUnreachable || !strings.Contains(err.Error(), "thread 2") {
		t.Fatalf("err = %v, want thread 2's unreachable trap", err)
	}
}

// TestProcessesShareRuntime runs one compiled module as two processes at
// once in one runtime: each instance reaches its own process (argc).
func TestProcessesShareRuntime(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory 1)
	  (func (export "_start")
	    (drop (call $sizes (i32.const 0) (i32.const 4)))
	    (call $exit (i32.load (i32.const 0)))))`)
	var wg sync.WaitGroup
	for _, argc := range []int{3, 5, 8} {
		wg.Add(1)
		go func(argc int) {
			defer wg.Done()
			s, err := wasi.New(context.Background(), wasi.Config{Args: make([]string, argc)})
			if err != nil {
				t.Error(err)
				return
			}
			defer s.Close()
			if code, err := s.Run(context.Background(), rt, cm); err != nil || code != uint32(argc) {
				t.Errorf("process with %d arguments: exit %d, %v", argc, code, err)
			}
		}(argc)
	}
	wg.Wait()
}

// TestThreadsStress spawns 1000 threads that each add 1 to a counter and
// end; the main thread waits for the total. No goroutine or descriptor
// may outlive the run.
func TestThreadsStress(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "env" "memory" (memory 1 1 shared))
	  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
	  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
	  (func (export "wasi_thread_start") (param i32 i32)
	    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
	    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
	  (func (export "_start") (local $i i32) (local $n i32) (local $r i32)
	    (loop $spawn
	      (local.set $r (call $spawn (local.get $i)))
	      ;; At the thread quota (EAGAIN): yield and retry.
	      (if (i32.eq (local.get $r) (i32.const -6))
	        (then (drop (call $yield)) (br $spawn)))
	      (if (i32.le_s (local.get $r) (i32.const 0)) (then unreachable))
	      (local.set $i (i32.add (local.get $i) (i32.const 1)))
	      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 1000))))
	    (loop $wait
	      (local.set $n (i32.atomic.load (i32.const 0)))
	      (if (i32.lt_u (local.get $n) (i32.const 1000))
	        (then
	          (drop (memory.atomic.wait32 (i32.const 0) (local.get $n) (i64.const 10000000)))
	          (br $wait))))))`)
	runtime.GC()
	goroutines, fds := runtime.NumGoroutine(), testsuite.OpenFDs(t)
	var stdout bytes.Buffer
	s, err := wasi.New(context.Background(), wasi.Config{Stdout: &stdout, Limits: sandbox.Limits{Threads: 64}})
	if err != nil {
		t.Fatal(err)
	}
	code, err := s.Run(context.Background(), rt, cm)
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	s.Close()
	if n := s.Process().NumThreads(); n != 0 {
		t.Errorf("%d threads live after the run", n)
	}
	if used := s.Quota().Used(sandbox.ResThreads); used != 0 {
		t.Errorf("%d threads still charged after the run", used)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines {
		t.Errorf("%d goroutines after the run, %d before", n, goroutines)
	}
	if n := testsuite.OpenFDs(t); n > fds {
		t.Errorf("%d descriptors open after the run, %d before", n, fds)
	}
}

// TestThreadFuelAndTime: a spawned thread draws from the process's fuel
// and lives under its wall-time quota.
func TestThreadFuelAndTime(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "env" "memory" (memory 1 1 shared))
	  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
	  (func (export "wasi_thread_start") (param i32 i32) (loop $l (br $l)))
	  (func (export "_start")
	    (drop (call $spawn (i32.const 0)))
	    (drop (memory.atomic.wait32 (i32.const 0) (i32.const 0) (i64.const -1)))))`)
	_, err := wasi.Run(context.Background(), rt, cm, wasi.Config{Limits: sandbox.Limits{Fuel: 100000}})
	if !errors.Is(err, kiln.ErrFuelExhausted) || !strings.Contains(err.Error(), "thread 2") {
		t.Errorf("fuel: %v, want thread 2's fuel exhaustion", err)
	}
	_, err = wasi.Run(context.Background(), rt, cm, wasi.Config{Limits: sandbox.Limits{WallTime: 50 * time.Millisecond}})
	if !errors.Is(err, context.DeadlineExceeded) || !errors.Is(err, sandbox.ErrQuotaExceeded) {
		t.Errorf("wall time: %v", err)
	}
}

// TestSpawnNeedsSharedMemory: thread-spawn from a module whose memory is
// its own (not an imported shared one) returns -ENOTSUP, and a process
// created in a given process table is listed there with its parent.
func TestSpawnNeedsSharedMemory(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
	  (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
	  (memory 1 1 shared)
	  (func (export "wasi_thread_start") (param i32 i32))
	  (func (export "_start") (call $exit (i32.sub (i32.const 0) (call $spawn (i32.const 0))))))`)
	tab := kernel.NewProcTable()
	s, err := wasi.New(context.Background(), wasi.Config{ProcTable: tab, Parent: 7})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if p := s.Process(); tab.Get(p.PID()) != p || p.Parent() != 7 {
		t.Fatalf("process %d (parent %d) not listed in its table", p.PID(), p.Parent())
	}
	code, err := s.Run(context.Background(), rt, cm)
	if err != nil || kernel.Errno(code) != kernel.ENOTSUP {
		t.Fatalf("exit %d, %v; want ENOTSUP (%d)", code, err, kernel.ENOTSUP)
	}
}
