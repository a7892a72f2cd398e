package reclaim

import (
	"errors"
	"runtime"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestRetryCollects: an allocation that fails while an unreachable
// object holds the resource succeeds once the object's finalizer has
// given it back, as a linear memory's finalizer unmaps its region.
func TestRetryCollects(t *testing.T) {
	var held atomic.Bool
	held.Store(true)
	func() {
		holder := &struct{ _ *byte }{}
		runtime.SetFinalizer(holder, func(*struct{ _ *byte }) { held.Store(false) })
	}()
	calls := 0
	err := Retry(func() error {
		calls++
		if held.Load() {
			return syscall.ENOMEM
		}
		return nil
	})
	if err != nil || calls < 2 {
		t.Fatalf("Retry: %v after %d calls, want success after a collection", err, calls)
	}
}

// TestRetryGivesUp: memory that stays in use fails after a bounded number
// of tries with the allocation's own error; other errors are not retried.
func TestRetryGivesUp(t *testing.T) {
	calls := 0
	err := Retry(func() error { calls++; return syscall.ENOMEM })
	if !errors.Is(err, syscall.ENOMEM) || calls != 5 {
		t.Fatalf("Retry of a lasting ENOMEM: %v after %d calls, want ENOMEM after 5", err, calls)
	}
	calls = 0
	err = Retry(func() error { calls++; return syscall.EINVAL })
	if !errors.Is(err, syscall.EINVAL) || calls != 1 {
		t.Fatalf("Retry of EINVAL: %v after %d calls, want it after 1", err, calls)
	}
}
