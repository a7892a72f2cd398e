package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// WASIX flag bits of the descriptor functions.
const (
	fdflagsextCloexec  = 1 // fdflagsext CLOEXEC (fd_fdflags_get/set)
	eventfdSemaphore   = 1 // eventfdflags SEMAPHORE (fd_event)
	descriptorSize     = 4 // a fd_t result is a u32 in both namespaces
	knownEventfdFlags  = eventfdSemaphore
	knownFdflagsextSet = fdflagsextCloexec
)

// fdPipe is fd_pipe(fd0 *fd, fd1 *fd): a host pipe, read end in fd0 and
// write end in fd1. Both result locations are checked first, so a bad
// pointer leaves no descriptor behind.
func fdPipe(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if e := checkResults(m, a[0], a[1]); e != kernel.ESUCCESS {
		return e, nil
	}
	r, w, e := t.Process().Pipe(ctx)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32Pair(a[0], r, a[1], w), nil
}

// fdDup is fd_dup(fd, new *fd): the lowest free number.
func fdDup(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if e := checkResults(m, a[1]); e != kernel.ESUCCESS {
		return e, nil
	}
	nfd, e := t.Process().FDDup(ctx, uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[1], nfd), nil
}

// fdDup2 is fd_dup2(fd, min_fd, cloexec bool, new *fd): fcntl F_DUPFD
// (F_DUPFD_CLOEXEC when cloexec is non-zero), the lowest free number not
// below min_fd; not POSIX dup2, which wasix-libc builds on fd_renumber.
func fdDup2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if e := checkResults(m, a[3]); e != kernel.ESUCCESS {
		return e, nil
	}
	nfd, e := t.Process().FDDupFrom(ctx, uint32(a[0]), uint32(a[1]), uint32(a[2]) != 0)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[3], nfd), nil
}

// fdEvent is fd_event(i64 initial, eventfdflags, fd *fd): an eventfd
// counter (SEMAPHORE: each read takes 1). Unknown flag bits are EINVAL.
func fdEvent(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	flags := uint32(a[1])
	if flags&^knownEventfdFlags != 0 {
		return kernel.EINVAL, nil
	}
	if e := checkResults(m, a[2]); e != kernel.ESUCCESS {
		return e, nil
	}
	fd, e := t.Process().EventFD(ctx, a[0], flags&eventfdSemaphore != 0)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[2], fd), nil
}

// fdFdflagsGet is fd_fdflags_get(fd, flags *fdflagsext u16).
func fdFdflagsGet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	on, e := t.Process().FDCloexec(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e, nil
	}
	var flags uint16
	if on {
		flags = fdflagsextCloexec
	}
	return m.PutU16(a[1], flags), nil
}

// fdFdflagsSet is fd_fdflags_set(fd, flags fdflagsext): unknown bits
// are EINVAL.
func fdFdflagsSet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	flags := uint32(a[1])
	if flags&^knownFdflagsextSet != 0 {
		return kernel.EINVAL, nil
	}
	return t.Process().FDSetCloexec(uint32(a[0]), flags&fdflagsextCloexec != 0), nil
}

// checkResults reports EFAULT unless every fd_t result location is in
// memory, before a descriptor is made that could not be returned.
func checkResults(m wasi.Mem, ptrs ...uint64) kernel.Errno {
	for _, p := range ptrs {
		if _, e := m.Bytes(p, descriptorSize); e != kernel.ESUCCESS {
			return e
		}
	}
	return kernel.ESUCCESS
}
