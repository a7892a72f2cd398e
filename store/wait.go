package store

import (
	"context"
	"sync"
	"time"
)

// waitQueues holds the threads suspended in memory.atomic.wait on one
// memory, per address, in arrival order.
type waitQueues struct {
	mu     sync.Mutex
	queues map[uint64][]chan struct{}
}

// WaitResult is the result of memory.atomic.wait32/64.
type WaitResult uint32

// The results of memory.atomic.wait, as the instruction returns them.
const (
	WaitOK       WaitResult = 0 // woken by memory.atomic.notify
	WaitNotEqual WaitResult = 1 // the loaded value differed from the expected one
	WaitTimedOut WaitResult = 2
)

// Wait suspends the caller on address addr until Notify wakes it or
// timeout (nanoseconds; negative means forever) expires, if load (called
// with the queue locked, so that no notification is lost between the
// check and the suspension) reports that the memory still holds the
// expected value. A cancelled ctx ends the wait early with its error.
func (m *Memory) Wait(ctx context.Context, addr uint64, timeout int64, load func() bool) (WaitResult, error) {
	w := &m.waiters
	w.mu.Lock()
	if !load() {
		w.mu.Unlock()
		return WaitNotEqual, nil
	}
	if timeout == 0 {
		w.mu.Unlock()
		return WaitTimedOut, nil
	}
	ch := make(chan struct{})
	if w.queues == nil {
		w.queues = map[uint64][]chan struct{}{}
	}
	w.queues[addr] = append(w.queues[addr], ch)
	w.mu.Unlock()

	var expired <-chan time.Time
	if timeout > 0 {
		t := time.NewTimer(time.Duration(timeout))
		defer t.Stop()
		expired = t.C
	}
	var done <-chan struct{}
	if ctx != nil {
		done = ctx.Done()
	}
	select {
	case <-ch:
		return WaitOK, nil
	case <-expired:
		if m.dequeue(addr, ch) {
			return WaitTimedOut, nil
		}
		return WaitOK, nil // notified while timing out
	case <-done:
		m.dequeue(addr, ch)
		return WaitOK, ctx.Err()
	}
}

// dequeue removes waiter ch from the queue of addr and reports whether it
// was still there (not yet notified).
func (m *Memory) dequeue(addr uint64, ch chan struct{}) bool {
	w := &m.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.queues[addr]
	for i, c := range q {
		if c == ch {
			q = append(q[:i:i], q[i+1:]...)
			if len(q) == 0 {
				delete(w.queues, addr)
			} else {
				w.queues[addr] = q
			}
			return true
		}
	}
	return false
}

// Notify wakes up to count threads waiting on address addr, oldest first,
// and returns how many it woke.
func (m *Memory) Notify(addr uint64, count uint32) uint32 {
	w := &m.waiters
	w.mu.Lock()
	defer w.mu.Unlock()
	q := w.queues[addr]
	n := uint32(len(q))
	if count < n {
		n = count
	}
	for _, ch := range q[:n] {
		close(ch)
	}
	if rest := q[n:]; len(rest) == 0 {
		delete(w.queues, addr)
	} else {
		w.queues[addr] = rest
	}
	return n
}
