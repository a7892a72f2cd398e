//go:build linux

package wasi_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"golang.org/x/sys/unix"
)

// TestCPUTimeNested: a thread metered twice (exec runs the new program
// inside the old one's host call, on the same thread) is charged once.
func TestCPUTimeNested(t *testing.T) {
	sys, err := wasi.New(context.Background(), wasi.Config{Limits: sandbox.Limits{CPUTime: time.Hour}})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	threadCPU := func() time.Duration {
		var ts unix.Timespec
		if err := unix.ClockGettime(unix.CLOCK_THREAD_CPUTIME_ID, &ts); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ts.Nano())
	}
	begin := threadCPU()
	outer := sys.MeterCPU()
	inner := sys.MeterCPU()
	for threadCPU()-begin < 100*time.Millisecond {
	}
	inner()
	outer()
	used := time.Duration(sys.Quota().Used(sandbox.ResCPUTime))
	spent := threadCPU() - begin
	if used < 90*time.Millisecond || used > spent {
		t.Errorf("charged %v for %v of the thread's CPU time", used, spent)
	}
}
