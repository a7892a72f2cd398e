package kernel

import (
	"context"
	"time"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// Blocking host calls watch the guest's context: a guest waiting for
// input from a pipe, terminal or socket must not outlive its deadline,
// its cancellation or the process. poll(2) cannot wait on a Go channel,
// so waits poll the host descriptor in slices of pollSlice and look at
// the context and the process between slices. Sockets are then read and
// written with MSG_DONTWAIT, so another thread that takes the data first
// cannot leave this one blocked; pipes and terminals have no per-call
// non-blocking flag, and a read that loses such a race to another guest
// thread blocks until more input arrives.

// mayBlock reports whether I/O on d can block on the host: a pipe,
// terminal or socket in blocking mode that is backed by a host descriptor.
func mayBlock(d *Descriptor) (vfs.HostDescriptor, bool) {
	switch d.Type {
	case vfs.TypeRegular, vfs.TypeDirectory, vfs.TypeBlockDevice:
		return nil, false
	}
	if d.Node.Flags()&vfs.FDNonblock != 0 {
		return nil, false
	}
	h, ok := d.Node.(vfs.HostDescriptor)
	if !ok || h.HostFD() < 0 {
		return nil, false
	}
	return h, true
}

// blockingIO runs op after waiting (cancellably) until the host
// descriptor h (from mayBlock) is ready for events. Callers test mayBlock
// first, so that I/O that cannot block builds no closure.
func (p *Process) blockingIO(ctx context.Context, h vfs.HostDescriptor, events int16, op func() (int, error)) (int, Errno) {
	var n int
	err := h.UseFD(func(fd int) error {
		if e := p.waitFD(ctx, fd, events); e != ESUCCESS {
			return e
		}
		var err error
		n, err = op()
		return err
	})
	return n, ErrnoOf(err)
}

// waitFD waits until fd reports one of events (or an error or hang-up,
// which the following operation then reports). It returns ECANCELED when
// ctx ends or the process is closed first.
func (p *Process) waitFD(ctx context.Context, fd int, events int16) Errno {
	return p.waitFDFor(ctx, fd, events, 0)
}

// waitFDFor is waitFD giving up with EAGAIN after timeout (a socket's
// receive, send or accept timeout); zero waits without limit.
func (p *Process) waitFDFor(ctx context.Context, fd int, events int16, timeout time.Duration) Errno {
	if ctx == nil {
		ctx = context.Background()
	}
	var deadline time.Time
	if timeout > 0 {
		deadline = time.Now().Add(timeout)
	}
	pfd := []unix.PollFd{{Fd: int32(fd), Events: events}}
	for {
		select {
		case <-ctx.Done():
			return ECANCELED
		case <-p.done:
			return ECANCELED
		default:
		}
		slice := pollSlice
		if !deadline.IsZero() {
			left := time.Until(deadline)
			if left <= 0 {
				return EAGAIN
			}
			slice = min(slice, left)
		}
		pfd[0].Revents = 0
		n, err := hostPoll(pfd, slice)
		if err != nil && err != unix.EINTR {
			return ErrnoOf(err)
		}
		if n > 0 {
			return ESUCCESS
		}
	}
}

// closed reports whether Exit or Close has ended the process.
func (p *Process) closed() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}
