package kernel

import (
	"time"

	"golang.org/x/sys/unix"
)

// clockRes returns a host clock's resolution in nanoseconds.
func clockRes(clock int32) (int64, error) {
	var ts unix.Timespec
	if err := unix.ClockGetres(clock, &ts); err != nil {
		return 0, err
	}
	return ts.Nano(), nil
}

// hostPoll waits up to d for events on pfds (nanosecond timeout).
func hostPoll(pfds []unix.PollFd, d time.Duration) (int, error) {
	ts := unix.NsecToTimespec(int64(d))
	return unix.Ppoll(pfds, &ts, nil)
}

// bytesReadable returns how many bytes a pipe, socket or terminal holds.
// TIOCINQ stores a C int: unix.IoctlGetInt would hand the kernel an
// 8-byte Go int, whose high half it fills on a 64-bit big-endian host.
func bytesReadable(fd int) (int, error) {
	n, err := unix.IoctlGetUint32(fd, unix.TIOCINQ)
	return int(int32(n)), err
}

// pollRDHup is poll(2)'s peer-closed-its-writing-half event (epoll's
// EPOLLRDHUP).
const pollRDHup = unix.POLLRDHUP
