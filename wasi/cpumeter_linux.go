//go:build linux

package wasi

import (
	"runtime"
	"time"

	"golang.org/x/sys/unix"
)

// threadClock is the CPU-time clock of one OS thread of this process,
// readable from any thread (Linux's per-thread CPU clock ids: the
// bitwise complement of the thread id shifted left by 3, with the
// per-thread bit (4) and the scheduler clock (2)).
type threadClock int32

// lockThreadClock locks the calling goroutine to its OS thread and
// returns that thread's CPU clock and the function that unlocks it.
func lockThreadClock() (threadClock, func(), bool) {
	runtime.LockOSThread()
	tid := unix.Gettid()
	return threadClock(^int32(tid)<<3 | 6), runtime.UnlockOSThread, true
}

// now returns the CPU time the thread has used; false once it is gone.
func (c threadClock) now() (time.Duration, bool) {
	var ts unix.Timespec
	if err := unix.ClockGettime(int32(c), &ts); err != nil {
		return 0, false
	}
	return time.Duration(ts.Nano()), true
}
