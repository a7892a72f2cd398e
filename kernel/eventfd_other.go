//go:build !linux

package kernel

// EventFD needs Linux's eventfd(2).
func (p *Process) EventFD(init uint64, semaphore bool) (FD, Errno) { return 0, ENOSYS }
