package main

import (
	"context"
	"fmt"
	"runtime"
	"time"

	"github.com/kilnrt/kiln/bench"
	"golang.org/x/sys/unix"
)

// cpuTime runs c on e, after its checked setup, until the operations have
// used at least benchtime of CPU time, and returns the CPU nanoseconds per
// operation. The compile and load groups count the whole process's CPU time (a
// compiler may work on several threads, and its garbage is part of its
// cost; nothing else runs meanwhile); the others count the thread
// running the operations only.
func cpuTime(ctx context.Context, c bench.Case, e bench.Engine, benchtime time.Duration) (float64, error) {
	clock := threadCPU
	if c.Group == "compile" || c.Group == "load" {
		clock = processCPU
		runtime.GC() // the previous case's garbage is not this one's cost
	}
	return clockTime(ctx, c, e, benchtime, clock)
}

// clockTime runs c on e until clock has advanced by benchtime and
// returns clock nanoseconds per operation.
func clockTime(ctx context.Context, c bench.Case, e bench.Engine, benchtime time.Duration, clock func() (time.Duration, error)) (float64, error) {
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	op, cleanup, err := c.Setup(ctx, e)
	if err != nil {
		return 0, err
	}
	defer cleanup()
	for n := 1; ; {
		start, err := clock()
		if err != nil {
			return 0, err
		}
		for i := 0; i < n; i++ {
			if err := op(ctx); err != nil {
				return 0, err
			}
		}
		end, err := clock()
		if err != nil {
			return 0, err
		}
		d := end - start
		if d >= benchtime || n >= 1e9 {
			return float64(d) / float64(n), nil
		}
		// Aim 20% past benchtime, growing at most 100x per step.
		next := n * 100
		if d > 0 {
			next = min(next, int(float64(n)*1.2*float64(benchtime)/float64(d))+1)
		}
		n = max(next, n+1)
	}
}

// threadCPU is the CPU time the calling thread has used.
func threadCPU() (time.Duration, error) {
	var ts unix.Timespec
	if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
		return 0, fmt.Errorf("thread CPU clock: %w", err)
	}
	return time.Duration(ts.Nano()), nil
}

// processCPU is the CPU time (user and system) the process has used.
func processCPU() (time.Duration, error) {
	var ru unix.Rusage
	if err := unix.Getrusage(unix.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("process CPU clock: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}
