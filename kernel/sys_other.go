//go:build !linux

package kernel

import (
	"time"

	"golang.org/x/sys/unix"
)

// clockRes assumes microsecond resolution where clock_getres is not
// available through x/sys.
func clockRes(clock int32) (int64, error) { return 1000, nil }

// hostPoll waits up to d for events on pfds (millisecond timeout, rounded
// up so that short waits still wait).
func hostPoll(pfds []unix.PollFd, d time.Duration) (int, error) {
	ms := int((d + time.Millisecond - 1) / time.Millisecond)
	return unix.Poll(pfds, ms)
}

// fionread is the BSD FIONREAD request, _IOR('f', 127, int); x/sys does
// not export it for these systems. Where it differs the ioctl fails and
// poll reports 0 bytes, which WASI allows.
const fionread = 0x4004667f

// bytesReadable returns how many bytes a pipe, socket or terminal holds.
func bytesReadable(fd int) (int, error) { return unix.IoctlGetInt(fd, fionread) }

// pollRDHup is 0 where poll(2) has no POLLRDHUP: EPOLLRDHUP is then
// never reported (a hang-up still is, as EPOLLHUP).
const pollRDHup = 0
