package kernel

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// EventFD creates a host eventfd(2) counter starting at init and returns
// its descriptor (WASIX fd_event). Reading takes 8 bytes: the counter,
// which is reset, or 1 in semaphore mode, which decrements it; a read at
// zero blocks (cancellably, as pipes do) unless the descriptor is
// non-blocking (EAGAIN). Writing 8 bytes adds to it. The counter holds
// up to 2^64-2, so that is the largest init.
func (p *Process) EventFD(ctx context.Context, init uint64, semaphore bool) (FD, Errno) {
	if init == math.MaxUint64 {
		return 0, EINVAL
	}
	if e := p.roomFor(ctx, 1, "<eventfd>"); e != ESUCCESS {
		return 0, e
	}
	flags := unix.EFD_CLOEXEC
	if semaphore {
		flags |= unix.EFD_SEMAPHORE
	}
	hfd, err := unix.Eventfd(0, flags)
	if err != nil {
		return 0, ErrnoOf(err)
	}
	if init != 0 {
		// eventfd(2) takes a 32-bit start; a write sets any other.
		var b [8]byte
		binary.NativeEndian.PutUint64(b[:], init)
		if _, err := unix.Write(hfd, b[:]); err != nil {
			unix.Close(hfd)
			return 0, ErrnoOf(err)
		}
	}
	f := vfs.AdoptHostFD(hfd)
	d := &Descriptor{Node: f, Type: vfs.TypeUnknown, Rights: RightsStream, GuestPath: "<eventfd>"}
	fd, e := p.insert(ctx, d)
	if e != ESUCCESS {
		f.Close()
	}
	return fd, e
}
