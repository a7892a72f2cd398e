//go:build linux && (amd64 || arm64) && kilnjit

package jitengine_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"runtime"
	"sort"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/raceflag"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wast"
)

// spinning is a guest that never returns by itself.
const spinning = `(module (func (export "spin") (loop $l (br $l))))`

// spinInstance compiles spinning with the JIT (checking that spin is
// machine code) and instantiates it.
func spinInstance(t *testing.T, cfg kiln.RuntimeConfig) *kiln.Instance {
	t.Helper()
	ctx := context.Background()
	bin, err := wast.ParseModule("spin.wat", []byte(spinning))
	if err != nil {
		t.Fatal(err)
	}
	cfg.Engine = kiln.EngineJIT
	r := kiln.NewRuntime(cfg)
	cm, err := r.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	if got := cm.FuncEngine(0); got != kiln.EngineJIT {
		t.Fatalf("spin compiled by %v, want the JIT", got)
	}
	inst, err := r.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return inst
}

// gcTimes returns the durations of n runtime.GC() calls, sorted.
func gcTimes(n int) []time.Duration {
	var took []time.Duration
	for i := 0; i < n; i++ {
		start := time.Now()
		runtime.GC()
		took = append(took, time.Since(start))
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	return took
}

// spinChildEnv makes TestSpinDoesNotBlockGC measure (in a child
// process) instead of starting one.
const spinChildEnv = "KILN_JIT_SPIN_CHILD"

// A guest spinning in machine code, without fuel, does not stall the
// garbage collector: runtime.GC() needs every goroutine at a safe point,
// and machine code gets there by leaving to Go every yieldQuantum budget
// units. With one P the test's own goroutine also needs the spinner to
// yield. The spinner must still be running when the collections end.
// Of 15 collections, one at least must take at most 10 ms (or 4 times
// the median collection with nothing spinning, on a machine so loaded
// that this is more; 50 ms under the race detector), and none more than
// 5 s: a collector that waited for the guest would wait until the end of
// the call, and on a loaded machine the OS deschedules the spinner's or
// the collector's thread for tens of milliseconds now and then, so the
// log shows the median too. The measurement runs
// in a child process with a deadline: a collection that waits for the
// spinner stops the world, watchdogs included, so only another process
// can tell that it hangs.
func TestSpinDoesNotBlockGC(t *testing.T) {
	if os.Getenv(spinChildEnv) == "" {
		cmd, err := testsuite.SelfCommand("-test.run=^TestSpinDoesNotBlockGC$", "-test.v", "-test.count=1")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(os.Environ(), spinChildEnv+"=1")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		timer := time.AfterFunc(60*time.Second, func() { _ = cmd.Process.Kill() })
		err = cmd.Wait()
		stopped := !timer.Stop()
		t.Logf("child process:\n%s", out.Bytes())
		switch {
		case stopped:
			t.Fatal("the child was killed after 60 s: runtime.GC() waited for a guest spinning in machine code")
		case err != nil:
			t.Fatalf("child: %v", err)
		}
		return
	}
	for _, procs := range []int{2, 1} {
		func() {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(procs))
			idle := gcTimes(15)
			inst := spinInstance(t, kiln.RuntimeConfig{})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			done := make(chan error, 1)
			started := make(chan struct{})
			go func() {
				close(started)
				_, err := inst.Func("spin").Call(ctx)
				done <- err
			}()
			<-started
			time.Sleep(20 * time.Millisecond) // well into the loop
			took := gcTimes(15)
			select {
			case err := <-done:
				t.Fatalf("GOMAXPROCS %d: spin returned during the collections: %v", procs, err)
			default:
			}
			cancel()
			if err := <-done; !errors.Is(err, context.Canceled) {
				t.Fatalf("GOMAXPROCS %d: spin: %v, want context.Canceled", procs, err)
			}
			q, med, idleMed := took[len(took)/4], took[len(took)/2], idle[len(idle)/2]
			t.Logf("GOMAXPROCS %d: runtime.GC() while a guest spins took %v (quartile %v, median %v); with nothing spinning %v (median %v)",
				procs, took, q, med, idle, idleMed)
			fastest, slowest := max(10*time.Millisecond, 4*idleMed), 5*time.Second
			if raceflag.Enabled {
				// Instrumented, the collector itself is slower.
				fastest = max(50*time.Millisecond, fastest)
			}
			if took[0] > fastest || took[len(took)-1] > slowest {
				t.Errorf("GOMAXPROCS %d: runtime.GC() took from %v to %v while a guest spun in machine code", procs, took[0], took[len(took)-1])
			}
		}()
	}
}

// Fuel and context deadlines stop a guest spinning in machine code, with
// fuel metered exactly across the quanta the executor hands out.
func TestSpinStops(t *testing.T) {
	const fuel = 3*(1<<20) + 17 // more than one yield quantum
	tank := kiln.NewFuelTank(1 << 40)
	inst := spinInstance(t, kiln.RuntimeConfig{Fuel: fuel, FuelSource: tank})
	if _, err := inst.Func("spin").Call(context.Background()); !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Fatalf("spin with fuel: %v, want fuel exhaustion", err)
	}
	if got := tank.Consumed(); got != fuel {
		t.Errorf("spin consumed %d fuel, want the call's whole budget %d", got, fuel)
	}
	inst = spinInstance(t, kiln.RuntimeConfig{Fuel: fuel})
	if _, err := inst.Func("spin").Call(context.Background()); !errors.Is(err, kiln.ErrFuelExhausted) {
		t.Fatalf("spin with fuel and no tank: %v, want fuel exhaustion", err)
	}
	inst = spinInstance(t, kiln.RuntimeConfig{})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	start := time.Now()
	if _, err := inst.Func("spin").Call(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("spin with a deadline: %v", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("spin with a 30ms deadline returned after %v", d)
	}
}
