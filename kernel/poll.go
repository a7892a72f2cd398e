package kernel

import (
	"context"
	"math"
	"time"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// EventType is a WASI eventtype.
type EventType uint8

// Event types.
const (
	EventClock   EventType = 0
	EventFDRead  EventType = 1
	EventFDWrite EventType = 2
)

// Subscription is one poll_oneoff subscription.
type Subscription struct {
	Userdata uint64
	Type     EventType
	// Clock subscriptions: Timeout in nanoseconds of Clock, absolute when
	// Abstime is set, else relative to now.
	Clock   ClockID
	Timeout uint64
	Abstime bool
	// FD subscriptions.
	FD FD
}

// Event is one poll_oneoff result.
type Event struct {
	Userdata uint64
	Errno    Errno
	Type     EventType
	// FD events: bytes available (best effort) and whether the peer hung up.
	NBytes uint64
	Hangup bool
}

// pollSlice bounds one blocking host poll so that cancellation of ctx is
// noticed (poll(2) cannot wait on a Go channel).
const pollSlice = 50 * time.Millisecond

type pollFD struct {
	sub int // index in subs
	fd  int // host descriptor
}

// PollOneoff waits until at least one subscription is ready and returns
// the ready ones (poll_oneoff). Regular files, directories and streams
// without a host descriptor are always ready. Clock subscriptions fire
// when their time has come. It returns ECANCELED if ctx ends or the
// process is closed first.
func (p *Process) PollOneoff(ctx context.Context, subs []Subscription) ([]Event, Errno) {
	if len(subs) == 0 {
		return nil, EINVAL
	}
	var events []Event
	var hostFDs []pollFD
	deadline := time.Duration(math.MaxInt64) // until the earliest clock
	start := time.Now()
	fireAt := map[int]time.Duration{} // clock subscriptions, from start
	for i, s := range subs {
		switch s.Type {
		case EventClock:
			wait, e := p.clockWait(s)
			if e != ESUCCESS {
				events = append(events, Event{Userdata: s.Userdata, Type: s.Type, Errno: e})
				continue
			}
			fireAt[i] = wait
			if wait < deadline {
				deadline = wait
			}
		case EventFDRead, EventFDWrite:
			ev, hostFD, ready := p.fdReadiness(s)
			if ready {
				events = append(events, ev)
			} else {
				hostFDs = append(hostFDs, pollFD{sub: i, fd: hostFD})
			}
		default:
			events = append(events, Event{Userdata: s.Userdata, Type: s.Type, Errno: EINVAL})
		}
	}
	pfds := make([]unix.PollFd, len(hostFDs))
	for i, h := range hostFDs {
		ev := int16(unix.POLLIN)
		if subs[h.sub].Type == EventFDWrite {
			ev = unix.POLLOUT
		}
		pfds[i] = unix.PollFd{Fd: int32(h.fd), Events: ev}
	}
	for {
		wait := time.Duration(0)
		if len(events) == 0 {
			wait = deadline - time.Since(start)
			if wait < 0 {
				wait = 0
			}
		}
		if len(pfds) == 0 {
			if wait > 0 {
				t := time.NewTimer(wait)
				select {
				case <-ctx.Done():
					t.Stop()
					return nil, ECANCELED
				case <-p.done:
					t.Stop()
					return nil, ECANCELED
				case <-t.C:
				}
			}
		} else {
			slice := wait
			if slice > pollSlice {
				slice = pollSlice
			}
			n, err := hostPoll(pfds, slice)
			if err != nil && err != unix.EINTR {
				return nil, ErrnoOf(err)
			}
			if n > 0 {
				for i := range pfds {
					if pfds[i].Revents != 0 {
						events = append(events, fdEvent(subs[hostFDs[i].sub], hostFDs[i].fd, pfds[i].Revents))
					}
				}
			}
		}
		elapsed := time.Since(start)
		for i, s := range subs {
			if at, ok := fireAt[i]; ok && elapsed >= at {
				events = append(events, Event{Userdata: s.Userdata, Type: EventClock})
			}
		}
		if len(events) > 0 {
			return events, ESUCCESS
		}
		if ctx.Err() != nil || p.closed() {
			return nil, ECANCELED
		}
	}
}

// clockWait returns how long until a clock subscription fires.
func (p *Process) clockWait(s Subscription) (time.Duration, Errno) {
	if s.Timeout > math.MaxInt64 {
		return time.Duration(math.MaxInt64), ESUCCESS
	}
	if !s.Abstime {
		if _, e := p.ClockResGet(s.Clock); e != ESUCCESS {
			return 0, e
		}
		return time.Duration(s.Timeout), ESUCCESS
	}
	now, e := p.ClockTimeGet(s.Clock, 0)
	if e != ESUCCESS {
		return 0, e
	}
	if s.Timeout <= now {
		return 0, ESUCCESS
	}
	return time.Duration(s.Timeout - now), ESUCCESS
}

// fdReadiness classifies an fd subscription: an immediate event (error or
// always-ready object) or a host descriptor to poll.
func (p *Process) fdReadiness(s Subscription) (Event, int, bool) {
	ev := Event{Userdata: s.Userdata, Type: s.Type}
	d, e := p.fds.Get(s.FD)
	if e != ESUCCESS {
		ev.Errno = e
		return ev, -1, true
	}
	need := RightPollFDReadwrite
	if !d.Rights.Has(need) && !d.Rights.Has(RightFDRead) && !d.Rights.Has(RightFDWrite) {
		ev.Errno = ENOTCAPABLE
		return ev, -1, true
	}
	switch d.Type {
	case vfs.TypeRegular, vfs.TypeDirectory:
		if f, ok := d.Node.(vfs.File); ok && s.Type == EventFDRead {
			if st, err := f.Stat(); err == nil {
				if pos, err := f.Seek(0, 1); err == nil && uint64(pos) < st.Size {
					ev.NBytes = st.Size - uint64(pos)
				}
			}
		}
		return ev, -1, true
	}
	if h, ok := d.Node.(vfs.HostDescriptor); ok && h.HostFD() >= 0 {
		return ev, h.HostFD(), false
	}
	return ev, -1, true
}

// fdEvent builds the event for a polled host descriptor.
func fdEvent(s Subscription, fd int, revents int16) Event {
	ev := Event{Userdata: s.Userdata, Type: s.Type}
	switch {
	case revents&unix.POLLNVAL != 0:
		ev.Errno = EBADF
	case revents&unix.POLLERR != 0 && revents&(unix.POLLIN|unix.POLLOUT) == 0:
		ev.Errno = EIO
	}
	if revents&unix.POLLHUP != 0 {
		ev.Hangup = true
	}
	if s.Type == EventFDRead && ev.Errno == ESUCCESS {
		if n, err := bytesReadable(fd); err == nil && n > 0 {
			ev.NBytes = uint64(n)
		}
	}
	return ev
}
