package wasix

import (
	"context"
	"errors"
	"math"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// option<timestamp>, futex_wait's timeout: a one-byte tag (0 none, 1
// some) and the nanoseconds at offset 8.
const (
	optionTagNone   = 0
	optionTagSome   = 1
	optionValueAt   = 8
	optionTimestamp = 16
)

// futexWait is futex_wait(addr *u32, expected, timeout *option<timestamp>,
// woken *bool): sleep while *addr == expected, until futex_wake (or
// memory.atomic.notify, which shares the queues) or the timeout. woken is
// 0 only when the timeout ended the wait; a value that already differs
// counts as woken (errno 0), as in the reference runtime. An address that
// is not 4-aligned is EINVAL. A signal for the guest's handler ends the
// wait with EINTR.
func futexWait(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	addr, expected, timeoutPtr, wokenPtr := a[0], uint32(a[1]), a[2], a[3]
	timeout, e := readTimeout(m, timeoutPtr)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	mem, e := futexMemory(m, addr, wokenPtr)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	wctx, intr, stop := interruptible(ctx, t)
	defer stop()
	res, err := mem.Wait32(wctx, addr, expected, timeout)
	if err != nil {
		if intr() {
			return kernel.EINTR, nil
		}
		return futexErrno(err), nil
	}
	woken := uint8(1)
	if res == kiln.WaitTimedOut {
		woken = 0
	}
	return m.PutU8(wokenPtr, woken), nil
}

// readTimeout reads the option<timestamp> at ptr: -1 for none.
func readTimeout(m wasi.Mem, ptr uint64) (time.Duration, kernel.Errno) {
	if _, e := m.Bytes(ptr, optionTimestamp); e != kernel.ESUCCESS {
		return 0, e
	}
	tag, _ := m.U8(ptr)
	switch tag {
	case optionTagNone:
		return -1, kernel.ESUCCESS
	case optionTagSome:
		ns, _ := m.U64(ptr + optionValueAt)
		return duration(ns), kernel.ESUCCESS
	}
	return 0, kernel.EINVAL
}

// futexWake is futex_wake(addr *u32, woken *bool): wake the oldest
// waiter; woken says whether there was one.
func futexWake(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return wake(m, a[0], a[1], 1)
}

// futexWakeAll is futex_wake_all(addr *u32, woken *bool): wake every
// waiter.
func futexWakeAll(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return wake(m, a[0], a[1], math.MaxUint32)
}

func wake(m wasi.Mem, addr, wokenPtr uint64, count uint32) (kernel.Errno, error) {
	mem, e := futexMemory(m, addr, wokenPtr)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	n, err := mem.Notify(addr, count)
	if err != nil {
		return futexErrno(err), nil
	}
	var woken uint8
	if n > 0 {
		woken = 1
	}
	return m.PutU8(wokenPtr, woken), nil
}

// futexMemory checks a futex call's pointers (the word, 4-aligned, and
// the woken flag) and returns the memory whose wait queues to use.
func futexMemory(m wasi.Mem, addr, wokenPtr uint64) (*kiln.Memory, kernel.Errno) {
	if _, e := m.Bytes(addr, 4); e != kernel.ESUCCESS {
		return nil, e
	}
	if _, e := m.Bytes(wokenPtr, 1); e != kernel.ESUCCESS {
		return nil, e
	}
	if addr%4 != 0 {
		return nil, kernel.EINVAL
	}
	mem := callerMemory(m)
	if mem == nil {
		return nil, kernel.EFAULT
	}
	return mem, kernel.ESUCCESS
}

// futexErrno maps a failed wait or notify to an errno: the end of the
// run or process is ECANCELED (which unwinds the thread); a trap cannot
// happen once the address was checked, but would be EFAULT.
func futexErrno(err error) kernel.Errno {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return kernel.ECANCELED
	}
	var trap *kiln.Trap
	if errors.As(err, &trap) {
		return kernel.EFAULT
	}
	return kernel.ErrnoOf(err)
}
