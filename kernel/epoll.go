package kernel

import (
	"context"
	"math"
	"sync"
	"time"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// EpollEvents is a set of epoll event bits, numbered as WASIX's
// epoll_type (not as Linux numbers them).
type EpollEvents uint32

// Epoll event bits.
const (
	EpollIn EpollEvents = 1 << iota
	EpollOut
	EpollRDHup
	EpollPri
	EpollErr
	EpollHup
	EpollET
	EpollOneshot

	// epollKnown is every bit a registration may carry.
	epollKnown = EpollOneshot<<1 - 1
	// epollAlways are reported whether or not they were asked for.
	epollAlways = EpollErr | EpollHup
)

// Epoll control operations (WASIX epoll_ctl).
const (
	EpollCtlAdd = 0
	EpollCtlMod = 1
	EpollCtlDel = 2
)

// EpollData is the guest's data of a registration, returned unchanged
// with each of its events (WASIX epoll_data, 24 bytes).
type EpollData [24]byte

// EpollEvent is one ready registration.
type EpollEvent struct {
	Events EpollEvents
	Data   EpollData
}

// epoll is the open object behind an epoll descriptor: an interest list
// of guest descriptors, polled on each wait. The list is keyed by
// descriptor number and remembers the object the number named when it
// was registered: an entry whose number was closed, or now names another
// object, is dropped, as Linux drops a closed file. There is therefore at
// most one entry per open descriptor, so the descriptor limit bounds the
// list.
type epoll struct {
	mu      sync.Mutex
	entries []*epollEntry // in registration order
	next    int           // where the next wait starts, so that a busy entry cannot starve the rest
	closed  bool
}

type epollEntry struct {
	fd       FD
	node     vfs.Node
	events   EpollEvents
	data     EpollData
	disabled bool // EPOLLONESHOT fired; EPOLL_CTL_MOD arms it again
}

// Node methods: an epoll descriptor holds no data or metadata of its own.
func (ep *epoll) Stat() (vfs.Stat, error)  { return vfs.Stat{Type: vfs.TypeUnknown}, nil }
func (ep *epoll) SetTimes(vfs.Times) error { return unix.EINVAL }
func (ep *epoll) Sync() error              { return unix.EINVAL }
func (ep *epoll) Datasync() error          { return unix.EINVAL }
func (ep *epoll) Flags() vfs.FDFlags       { return 0 }
func (ep *epoll) SetFlags(vfs.FDFlags) error {
	return nil // O_NONBLOCK means nothing to epoll_wait, as on Linux
}

func (ep *epoll) Close() error {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.closed {
		return unix.EBADF
	}
	ep.closed, ep.entries = true, nil
	return nil
}

// find returns the index of fd's entry, or -1.
func (ep *epoll) find(fd FD) int {
	for i, e := range ep.entries {
		if e.fd == fd {
			return i
		}
	}
	return -1
}

// remove drops entry i; the caller holds mu.
func (ep *epoll) remove(i int) {
	ep.entries = append(ep.entries[:i], ep.entries[i+1:]...)
	if ep.next > i {
		ep.next--
	}
}

// EpollCreate makes an empty epoll interest list (WASIX epoll_create).
// Its descriptor cannot be read, written or polled, and kiln does not
// nest epoll instances.
func (p *Process) EpollCreate() (FD, Errno) {
	d := &Descriptor{Node: &epoll{}, Type: vfs.TypeUnknown,
		Rights: RightFDFilestatGet | RightFDFdstatSetFlags, GuestPath: "<epoll>"}
	return p.insert(d)
}

// epollOf returns the epoll object of descriptor epfd: EBADF when it is
// not open, EINVAL when it is not an epoll descriptor.
func (p *Process) epollOf(epfd FD) (*epoll, Errno) {
	d, e := p.fds.Get(epfd)
	if e != ESUCCESS {
		return nil, e
	}
	ep, ok := d.Node.(*epoll)
	if !ok {
		return nil, EINVAL
	}
	return ep, ESUCCESS
}

// EpollCtl adds, changes or removes the registration of fd in epfd's
// interest list (WASIX epoll_ctl), with Linux's errors: EBADF for a
// closed epfd or fd, EINVAL for an unknown op or event bit, for epfd not
// being an epoll descriptor and for fd being one (kiln does not nest
// them), EEXIST to add fd twice, ENOENT to change or remove fd when it
// is not registered, EPERM for a directory. Regular files are always
// ready, as are streams without a host descriptor.
func (p *Process) EpollCtl(epfd FD, op uint32, fd FD, events EpollEvents, data EpollData) Errno {
	ep, e := p.epollOf(epfd)
	if e != ESUCCESS {
		return e
	}
	if op > EpollCtlDel {
		return EINVAL
	}
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return e
	}
	if _, nested := d.Node.(*epoll); nested {
		return EINVAL
	}
	if d.Type == vfs.TypeDirectory {
		return EPERM
	}
	if op != EpollCtlDel && events&^epollKnown != 0 {
		return EINVAL
	}
	if !d.Rights.Has(RightPollFDReadwrite) && !d.Rights.Has(RightFDRead) && !d.Rights.Has(RightFDWrite) {
		return ENOTCAPABLE
	}
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.closed {
		return EBADF
	}
	i := ep.find(fd)
	if i >= 0 && ep.entries[i].node != d.Node {
		ep.remove(i) // the number was closed and reused since it was registered
		i = -1
	}
	switch {
	case op == EpollCtlAdd && i >= 0:
		return EEXIST
	case op == EpollCtlAdd:
		ep.entries = append(ep.entries, &epollEntry{fd: fd, node: d.Node, events: events, data: data})
	case i < 0:
		return ENOENT
	case op == EpollCtlMod:
		ep.entries[i] = &epollEntry{fd: fd, node: d.Node, events: events, data: data}
	default:
		ep.remove(i)
	}
	return ESUCCESS
}

// EpollForever is the epoll_wait timeout that never expires.
const EpollForever = math.MaxUint64

// epollProbe is one registration to look at during a wait.
type epollProbe struct {
	entry  *epollEntry
	ready  EpollEvents // known without polling (files, streams without a host descriptor)
	hostFD int         // -1 when ready is known
}

// EpollWait waits until at least one registration of epfd is ready, or
// timeout nanoseconds have passed (EpollForever: no limit; 0: look
// once), and returns at most max events (WASIX epoll_wait). Readiness is
// level-triggered; EPOLLET is accepted and served level-triggered (a
// program that reads or writes until EAGAIN, as edge-triggered programs
// do, sees the same events, plus wake-ups while data stays unread).
// EPOLLONESHOT disables a registration once it was reported, until
// EPOLL_CTL_MOD. Registrations added by another thread during the wait
// are seen within pollSlice. It returns ECANCELED when ctx ends or the
// process is closed first.
func (p *Process) EpollWait(ctx context.Context, epfd FD, max int, timeout uint64) ([]EpollEvent, Errno) {
	ep, e := p.epollOf(epfd)
	if e != ESUCCESS {
		return nil, e
	}
	if max <= 0 {
		return nil, EINVAL
	}
	start := time.Now()
	limit := time.Duration(math.MaxInt64)
	if timeout < uint64(math.MaxInt64) {
		limit = time.Duration(timeout)
	}
	for {
		probes := p.epollProbes(ep)
		var pfds []unix.PollFd
		var polled []int // index in probes of each pfd
		immediate := false
		for i, pr := range probes {
			if pr.hostFD < 0 {
				immediate = immediate || pr.ready != 0
				continue
			}
			pfds = append(pfds, unix.PollFd{Fd: int32(pr.hostFD), Events: pollEventsOf(pr.entry.events)})
			polled = append(polled, i)
		}
		wait := limit - time.Since(start)
		if immediate || wait < 0 {
			wait = 0
		}
		wait = min(wait, pollSlice)
		if len(pfds) > 0 {
			n, err := hostPoll(pfds, wait)
			if err != nil && err != unix.EINTR {
				return nil, ErrnoOf(err)
			}
			if n > 0 {
				for j, pfd := range pfds {
					probes[polled[j]].ready = epollEventsOf(pfd.Revents)
				}
			}
		} else if wait > 0 {
			t := time.NewTimer(wait)
			select {
			case <-ctx.Done():
			case <-p.done:
			case <-t.C:
			}
			t.Stop()
		}
		if out := ep.collect(probes, max); len(out) > 0 {
			return out, ESUCCESS
		}
		if ctx.Err() != nil || p.closed() {
			return nil, ECANCELED
		}
		if time.Since(start) >= limit {
			return nil, ESUCCESS
		}
	}
}

// epollProbes lists the armed registrations of ep, starting where the
// last wait stopped, and drops those whose descriptor was closed or now
// names another object.
func (p *Process) epollProbes(ep *epoll) []epollProbe {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	probes := make([]epollProbe, 0, len(ep.entries))
	for k := 0; k < len(ep.entries); k++ {
		i := (ep.next + k) % len(ep.entries)
		e := ep.entries[i]
		d, errno := p.fds.Get(e.fd)
		if errno != ESUCCESS || d.Node != e.node {
			ep.remove(i)
			k--
			continue
		}
		if e.disabled {
			continue
		}
		pr := epollProbe{entry: e, hostFD: -1}
		h, ok := d.Node.(vfs.HostDescriptor)
		switch {
		case d.Type == vfs.TypeRegular || !ok || h.HostFD() < 0:
			pr.ready = EpollIn | EpollOut
		default:
			pr.hostFD = h.HostFD()
		}
		probes = append(probes, pr)
	}
	return probes
}

// collect turns the ready probes into at most max events, disables the
// one-shot registrations reported and moves the start of the next wait
// past the last one reported.
func (ep *epoll) collect(probes []epollProbe, max int) []EpollEvent {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	var out []EpollEvent
	for _, pr := range probes {
		got := pr.ready & (pr.entry.events | epollAlways)
		if got == 0 || pr.entry.disabled || ep.find(pr.entry.fd) < 0 {
			continue
		}
		out = append(out, EpollEvent{Events: got, Data: pr.entry.data})
		if pr.entry.events&EpollOneshot != 0 {
			pr.entry.disabled = true
		}
		if i := ep.find(pr.entry.fd); i >= 0 && len(ep.entries) > 0 {
			ep.next = (i + 1) % len(ep.entries)
		}
		if len(out) == max {
			break
		}
	}
	return out
}

// pollEventsOf maps epoll interest to poll(2) events (errors and hang-ups
// are always reported by poll).
func pollEventsOf(ev EpollEvents) int16 {
	var out int16
	if ev&EpollIn != 0 {
		out |= unix.POLLIN
	}
	if ev&EpollOut != 0 {
		out |= unix.POLLOUT
	}
	if ev&EpollPri != 0 {
		out |= unix.POLLPRI
	}
	if ev&EpollRDHup != 0 {
		out |= pollRDHup
	}
	return out
}

// epollEventsOf maps poll(2) results to epoll events. POLLNVAL (the host
// descriptor was closed under the wait) reports nothing: the next wait
// drops the registration.
func epollEventsOf(rev int16) EpollEvents {
	var out EpollEvents
	for _, m := range [...]struct {
		poll int16
		ep   EpollEvents
	}{{unix.POLLIN, EpollIn}, {unix.POLLOUT, EpollOut}, {unix.POLLPRI, EpollPri},
		{pollRDHup, EpollRDHup}, {unix.POLLERR, EpollErr}, {unix.POLLHUP, EpollHup}} {
		if m.poll != 0 && rev&m.poll != 0 {
			out |= m.ep
		}
	}
	return out
}
