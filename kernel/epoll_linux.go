package kernel

import "golang.org/x/sys/unix"

// edgeEpoll serves edge-triggered registrations (EPOLLET) on Linux: a
// host epoll instance, private to one guest epoll descriptor, on which
// each such registration's host descriptor is registered edge-triggered
// under the entry's id. Its descriptor is polled with the level-triggered
// registrations; its events are taken without waiting.
type edgeEpoll struct{ fd int }

// edgeSupported reports whether edge-triggered registrations can be
// served as such here.
const edgeSupported = true

func newEdgeEpoll() (*edgeEpoll, error) {
	fd, err := unix.EpollCreate1(unix.EPOLL_CLOEXEC)
	if err != nil {
		return nil, err
	}
	return &edgeEpoll{fd: fd}, nil
}

// linuxEvents maps WASIX epoll bits to Linux's, always edge-triggered.
func linuxEvents(ev EpollEvents) uint32 {
	out := uint32(unix.EPOLLET)
	for _, m := range [...]struct {
		wasix EpollEvents
		linux uint32
	}{{EpollIn, unix.EPOLLIN}, {EpollOut, unix.EPOLLOUT}, {EpollRDHup, unix.EPOLLRDHUP},
		{EpollPri, unix.EPOLLPRI}, {EpollOneshot, unix.EPOLLONESHOT}} {
		if ev&m.wasix != 0 {
			out |= m.linux
		}
	}
	return out
}

// wasixEvents maps Linux epoll results back.
func wasixEvents(ev uint32) EpollEvents {
	var out EpollEvents
	for _, m := range [...]struct {
		linux uint32
		wasix EpollEvents
	}{{unix.EPOLLIN, EpollIn}, {unix.EPOLLOUT, EpollOut}, {unix.EPOLLRDHUP, EpollRDHup},
		{unix.EPOLLPRI, EpollPri}, {unix.EPOLLERR, EpollErr}, {unix.EPOLLHUP, EpollHup}} {
		if ev&m.linux != 0 {
			out |= m.wasix
		}
	}
	return out
}

// ctl adds (add) or changes the registration of host descriptor fd.
func (e *edgeEpoll) ctl(add bool, fd int, id int32, ev EpollEvents) error {
	op := unix.EPOLL_CTL_MOD
	if add {
		op = unix.EPOLL_CTL_ADD
	}
	return unix.EpollCtl(e.fd, op, fd, &unix.EpollEvent{Events: linuxEvents(ev), Fd: id})
}

// del removes the registration of host descriptor fd.
func (e *edgeEpoll) del(fd int) { unix.EpollCtl(e.fd, unix.EPOLL_CTL_DEL, fd, nil) }

// take appends the events ready now to out, without waiting.
func (e *edgeEpoll) take(out []edgeEvent) []edgeEvent {
	var raw [64]unix.EpollEvent
	n, err := unix.EpollWait(e.fd, raw[:], 0)
	for i := 0; err == nil && i < n; i++ {
		out = append(out, edgeEvent{id: raw[i].Fd, events: wasixEvents(raw[i].Events)})
	}
	return out
}

func (e *edgeEpoll) close() { unix.Close(e.fd) }
