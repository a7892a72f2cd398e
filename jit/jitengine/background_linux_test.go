package jitengine

import (
	"fmt"
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestInBackground: the tiering compiler's function runs on a thread at
// at least backgroundNice (the kernel reports 20 - nice), and that thread ends
// with it, so no other goroutine inherits the priority. (The process's
// main thread cannot end: Go parks it for good instead, which equally
// keeps it from running anything else. It can only be met once, so the
// second try runs on another thread.)
func TestInBackground(t *testing.T) {
	type seen struct{ tid, prio int }
	var s seen
	for try := 0; try < 2; try++ {
		done := make(chan seen)
		go inBackground(func() {
			tid := unix.Gettid()
			prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
			if err != nil {
				prio = -1
			}
			done <- seen{tid, prio}
		})
		s = <-done
		// A process started at a higher nice value keeps it.
		if s.prio < 1 || s.prio > 20-backgroundNice {
			t.Errorf("thread %d: priority %d, want at most %d (nice at least %d)", s.tid, s.prio, 20-backgroundNice, backgroundNice)
		}
		if s.tid != os.Getpid() {
			break
		}
	}
	if s.tid == os.Getpid() {
		t.Fatalf("both tries ran on the main thread %d", s.tid)
	}
	task := fmt.Sprintf("/proc/self/task/%d", s.tid)
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		if _, err := os.Stat(task); os.IsNotExist(err) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("thread %d still exists after its function returned", s.tid)
		}
	}
}
