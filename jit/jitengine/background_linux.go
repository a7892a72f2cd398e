package jitengine

import (
	"runtime"

	"golang.org/x/sys/unix"
)

// backgroundNice is the scheduling priority (nice value) of the tiering
// compiler's thread. When the machine has no idle core, the program's
// thread, at 0, gets about nine tenths of the core they share, so the
// program starts about as fast as in the interpreter (EngineAuto's
// promise) while the compile still moves on. Not the lowest, 19: the
// thread holds one of Go's Ps, and a garbage collection's stop of the
// world waits until the OS runs it again.
const backgroundNice = 10

// inBackground runs f on a thread of its own at priority
// backgroundNice. The thread ends with f (a goroutine that exits locked
// to its thread takes the thread with it), so the priority never
// reaches other goroutines.
func inBackground(f func()) {
	runtime.LockOSThread()
	// Linux's setpriority with a thread ID sets that thread's nice
	// value only (the kernel reports 20 - nice). A process already
	// nicer keeps its value; failing leaves it too: only slower.
	tid := unix.Gettid()
	if p, err := unix.Getpriority(unix.PRIO_PROCESS, tid); err == nil && 20-p < backgroundNice {
		_ = unix.Setpriority(unix.PRIO_PROCESS, tid, backgroundNice)
	}
	f()
}
