package vfs

import (
	"sync"

	"golang.org/x/sys/unix"
)

// fdRef guards a host descriptor so that it is never closed, and its
// number never reused, while an operation of another guest thread still
// uses it: Close marks it closed at once (new operations get EBADF) and
// the last running operation closes it for real. Close never waits for a
// blocked read.
type fdRef struct {
	mu     sync.Mutex
	fd     int
	refs   int
	closed bool
}

func newFDRef(fd int) fdRef { return fdRef{fd: fd} }

// acquire returns the descriptor for one operation; release must follow.
func (r *fdRef) acquire() (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return -1, unix.EBADF
	}
	r.refs++
	return r.fd, nil
}

func (r *fdRef) release() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.refs--
	if r.closed && r.refs == 0 && r.fd >= 0 {
		unix.Close(r.fd)
		r.fd = -1
	}
}

// close marks the descriptor closed; it is closed now if idle.
func (r *fdRef) close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return unix.EBADF
	}
	r.closed = true
	if r.refs > 0 {
		return nil
	}
	err := unix.Close(r.fd)
	r.fd = -1
	return err
}

// peek returns the descriptor number without holding it (for polling,
// where a stale number only yields POLLNVAL), or -1 once closed.
func (r *fdRef) peek() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return -1
	}
	return r.fd
}
