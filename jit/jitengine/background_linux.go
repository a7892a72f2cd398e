package jitengine

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// backgroundNice is how much nicer than the program the tiering
// compiler's thread runs. When the machine has no idle core, the
// program's thread gets about nine tenths of the core they share, so the
// program starts about as fast as in the interpreter (EngineAuto's
// promise) while the compile still moves on. Relative, so that a
// program run at a raised priority (a negative nice value) keeps its
// compiles ahead of other processes' work as one at 0 does, and one run
// nicer gets compiles nicer still. Not the lowest, 19, from 0: the
// thread holds one of Go's Ps, and a garbage collection's stop of the
// world waits until the OS runs it again.
const backgroundNice = 10

// backgroundPriority returns the nice value for a background thread
// started by the calling goroutine: backgroundNice above its thread's
// (the program's), at most 19; ok is false when it cannot be read.
// Linux's getpriority with a thread ID reads that thread's value (the
// kernel reports 20 - nice).
func backgroundPriority() (nice int, ok bool) {
	p, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
	if err != nil {
		return 0, false
	}
	return min(20-p+backgroundNice, 19), true
}

// inBackground runs f on a thread of its own at priority nice (from
// backgroundPriority; not ok: unchanged). The thread ends with f (a
// goroutine that exits locked to its thread takes the thread with it),
// so the priority never reaches other goroutines.
func inBackground(nice int, ok bool, f func()) {
	runtime.LockOSThread()
	// A thread already nicer keeps its value; failing leaves it too:
	// only slower.
	tid := unix.Gettid()
	if p, err := unix.Getpriority(unix.PRIO_PROCESS, tid); ok && err == nil && 20-p < nice {
		_ = unix.Setpriority(unix.PRIO_PROCESS, tid, nice)
	}
	f()
}
