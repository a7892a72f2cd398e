// Package reclaim retries a host allocation made outside the Go heap
// (mmap, mprotect) that the kernel refused for want of memory or of
// mappings, after a garbage collection has let finalizers return what
// is no longer reachable.
//
// Linear memories, JIT code and machine stacks are mappings the Go
// collector does not see: an instance dropped without Close gives them
// back only when its finalizers run, and a program whose Go heap is small
// may not collect for a long time. An embedder instantiating many
// modules that way (internal/difftest does) reached Linux's limit of
// 65530 mappings per process, and every later instantiation failed with
// "cannot allocate memory" although almost all of those mappings were
// garbage. Retry makes that failure what it should be: one that happens
// only when the memory is really in use.
//
// Invariant: the retry costs nothing unless the call fails with ENOMEM.
package reclaim

import (
	"errors"
	"runtime"
	"syscall"
	"time"
)

// maxWait bounds the waits for finalizers across one Retry: 1, 4, 16
// and 64 ms, so a real exhaustion fails in well under a second.
const maxWait = 64 * time.Millisecond

// Retry calls alloc, and again after each collection while it fails with
// ENOMEM, at most four more times. It returns alloc's last error.
func Retry(alloc func() error) error {
	err := alloc()
	for wait := time.Millisecond; errors.Is(err, syscall.ENOMEM) && wait <= maxWait; wait *= 4 {
		collect(wait)
		err = alloc()
	}
	return err
}

// sentinel is an object whose finalizer tells collect that the
// finalizers queued before it have had their turn. It holds a pointer
// so that it is not placed in the tiny allocator's blocks, whose objects
// may never be finalized.
type sentinel struct{ _ *byte }

// collect runs a garbage collection and waits, at most wait, for the
// finalizer goroutine to reach a sentinel made unreachable after it.
func collect(wait time.Duration) {
	runtime.GC()
	done := make(chan struct{})
	s := &sentinel{}
	runtime.SetFinalizer(s, func(*sentinel) { close(done) })
	s = nil
	runtime.GC()
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	}
}
