package jitengine

import (
	"fmt"
	"os"
	"runtime"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// TestInBackground: the tiering compiler's function runs on a thread at
// least backgroundNice nicer than the thread that started it (the kernel
// reports 20 - nice; TestInBackgroundRaised: relative), and that thread ends
// with it, so no other goroutine inherits the priority. (The process's
// main thread cannot end: Go parks it for good instead, which equally
// keeps it from running anything else. It can only be met once, so the
// second try runs on another thread.)
func TestInBackground(t *testing.T) {
	type seen struct{ tid, prio int }
	var s seen
	for try := 0; try < 2; try++ {
		done := make(chan seen)
		runtime.LockOSThread() // both on this thread
		nice, ok := backgroundPriority()
		mine, err := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
		runtime.UnlockOSThread()
		if !ok || err != nil {
			t.Fatalf("backgroundPriority: %v, %v", ok, err)
		}
		if want := min(20-mine+backgroundNice, 19); nice != want {
			t.Errorf("backgroundPriority from nice %d: %d, want %d", 20-mine, nice, want)
		}
		go inBackground(nice, ok, func() {
			tid := unix.Gettid()
			prio, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
			if err != nil {
				prio = -1
			}
			done <- seen{tid, prio}
		})
		s = <-done
		// A thread started nicer keeps its value.
		if s.prio < 1 || 20-s.prio < nice {
			t.Errorf("thread %d: nice %d, want at least %d", s.tid, 20-s.prio, nice)
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

// TestInBackgroundRaised: the compiler's thread is backgroundNice nicer
// than the program's thread whatever its value, at most 19: from a
// thread at nice 3 above this one's, 13 above (or 19).
func TestInBackgroundRaised(t *testing.T) {
	type got struct {
		from, want, nice int
		err              error
	}
	done := make(chan got)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with this goroutine
		tid := unix.Gettid()
		p, err := unix.Getpriority(unix.PRIO_PROCESS, tid)
		if err == nil {
			err = unix.Setpriority(unix.PRIO_PROCESS, tid, min(20-p+3, 19))
		}
		if err != nil {
			done <- got{err: err}
			return
		}
		p, _ = unix.Getpriority(unix.PRIO_PROCESS, tid)
		nice, ok := backgroundPriority()
		if !ok {
			done <- got{err: fmt.Errorf("no priority")}
			return
		}
		inner := make(chan int)
		go inBackground(nice, ok, func() {
			q, _ := unix.Getpriority(unix.PRIO_PROCESS, unix.Gettid())
			inner <- 20 - q
		})
		done <- got{from: 20 - p, want: min(20-p+backgroundNice, 19), nice: <-inner}
	}()
	g := <-done
	if g.err != nil {
		t.Fatal(g.err)
	}
	if g.nice < g.want || g.want != min(g.from+backgroundNice, 19) {
		t.Errorf("from a thread at nice %d: compiler's thread at %d, want %d", g.from, g.nice, min(g.from+backgroundNice, 19))
	}
}
