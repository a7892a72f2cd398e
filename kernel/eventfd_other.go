//go:build !linux

package kernel

import "context"

// EventFD needs Linux's eventfd(2).
func (p *Process) EventFD(ctx context.Context, init uint64, semaphore bool) (FD, Errno) {
	return 0, ENOSYS
}
