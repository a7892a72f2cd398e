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
func bytesReadable(fd int) (int, error) { return unix.IoctlGetInt(fd, unix.TIOCINQ) }

// pollRDHup is poll(2)'s peer-closed-its-writing-half event (epoll's
// EPOLLRDHUP).
const pollRDHup = unix.POLLRDHUP
