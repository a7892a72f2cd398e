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
//
// Edge-triggered entries (EPOLLET) backed by a host descriptor are
// registered, on Linux, edge-triggered on a host epoll instance of this
// object's own (edge), whose descriptor is polled with the others; their
// events, taken from it without waiting, wait in pending (at most one
// per entry) when more are ready than the guest asked for. Elsewhere
// they are served level-triggered.
type epoll struct {
	mu      sync.Mutex
	entries []*epollEntry // in registration order
	next    int           // where the next wait starts, so that a busy entry cannot starve the rest
	closed  bool
	edge    *edgeEpoll // made with the first edge-triggered entry
	lastID  int32
	pending []epollPending
}

type epollEntry struct {
	fd FD
	// table is the descriptor table fd belongs to: that of the process
	// that registered it, also when a child that inherited the epoll
	// descriptor waits on it.
	table    *FDTable
	node     vfs.Node
	events   EpollEvents
	data     EpollData
	disabled bool  // EPOLLONESHOT fired; EPOLL_CTL_MOD arms it again
	id       int32 // names the entry in the edge epoll's events
	edge     bool  // registered on the edge epoll
}

// edgeEvent is an event of the edge epoll: the entry's id and its events.
type edgeEvent struct {
	id     int32
	events EpollEvents
}

// epollPending is an edge-triggered event taken from the host but not
// yet returned.
type epollPending struct {
	entry  *epollEntry
	events EpollEvents
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
	ep.closed, ep.entries, ep.pending = true, nil, nil
	if ep.edge != nil {
		ep.edge.close()
	}
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

// remove drops entry i, with its edge registration and pending events;
// the caller holds mu.
func (ep *epoll) remove(i int) {
	ep.disarm(ep.entries[i])
	ep.entries = append(ep.entries[:i], ep.entries[i+1:]...)
	if ep.next > i {
		ep.next--
	}
}

// arm registers an edge-triggered entry of a descriptor with a host
// descriptor (not a regular file) on the edge epoll; when that is not
// possible (another system, a host descriptor registered twice) the
// entry stays level-triggered. The caller holds mu.
func (ep *epoll) arm(e *epollEntry, d *Descriptor) {
	h, ok := d.Node.(vfs.HostDescriptor)
	if !edgeSupported || e.events&EpollET == 0 || !ok || d.Type == vfs.TypeRegular {
		return
	}
	if ep.edge == nil {
		edge, err := newEdgeEpoll()
		if err != nil {
			return
		}
		ep.edge = edge
	}
	e.edge = h.UseFD(func(fd int) error { return ep.edge.ctl(true, fd, e.id, e.events) }) == nil
}

// disarm undoes arm and drops the entry's pending events. A host
// descriptor already closed left the host epoll by itself. The caller
// holds mu.
func (ep *epoll) disarm(e *epollEntry) {
	kept := ep.pending[:0]
	for _, pe := range ep.pending {
		if pe.entry != e {
			kept = append(kept, pe)
		}
	}
	ep.pending = kept
	if !e.edge {
		return
	}
	e.edge = false
	if h, ok := e.node.(vfs.HostDescriptor); ok {
		h.UseFD(func(fd int) error { ep.edge.del(fd); return nil })
	}
}

// EpollCreate makes an empty epoll interest list (WASIX epoll_create).
// Its descriptor cannot be read, written or polled, and kiln does not
// nest epoll instances.
func (p *Process) EpollCreate(ctx context.Context) (FD, Errno) {
	d := &Descriptor{Node: &epoll{}, Type: vfs.TypeUnknown,
		Rights: RightFDFilestatGet | RightFDFdstatSetFlags, GuestPath: "<epoll>"}
	return p.insert(ctx, d)
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
		ep.lastID++
		e := &epollEntry{fd: fd, table: p.fds, node: d.Node, events: events, data: data, id: ep.lastID}
		ep.arm(e, d)
		ep.entries = append(ep.entries, e)
	case i < 0:
		return ENOENT
	case op == EpollCtlMod:
		ep.disarm(ep.entries[i])
		e := &epollEntry{fd: fd, table: p.fds, node: d.Node, events: events, data: data, id: ep.entries[i].id}
		ep.arm(e, d)
		ep.entries[i] = e
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
// level-triggered, or edge-triggered for EPOLLET entries where the host
// allows (Linux, a descriptor with a host descriptor; elsewhere they are
// served level-triggered, which a program that reads or writes until
// EAGAIN, as edge-triggered programs do, survives with more wake-ups).
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
		probes, edgeFD, pending := ep.probes()
		var pfds []unix.PollFd
		var polled []int // index in probes of each pfd
		immediate := pending
		if edgeFD >= 0 {
			pfds = append(pfds, unix.PollFd{Fd: int32(edgeFD), Events: unix.POLLIN})
			polled = append(polled, -1)
		}
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
			for j, pfd := range pfds {
				if n > 0 && polled[j] >= 0 {
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
		if out := ep.collect(probes, max, edgeFD >= 0); len(out) > 0 {
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

// probes lists the armed level-triggered registrations of ep,
// starting where the last wait stopped, and drops those whose descriptor
// was closed or now names another object. It also returns the edge
// epoll's host descriptor (-1 without one) and whether edge events are
// pending.
func (ep *epoll) probes() ([]epollProbe, int, bool) {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	edgeFD := -1
	if ep.edge != nil && !ep.closed {
		edgeFD = ep.edge.fd
	}
	probes := make([]epollProbe, 0, len(ep.entries))
	for k := 0; k < len(ep.entries); k++ {
		i := (ep.next + k) % len(ep.entries)
		e := ep.entries[i]
		d, errno := e.table.Get(e.fd)
		if errno != ESUCCESS || d.Node != e.node {
			ep.remove(i)
			k--
			continue
		}
		if e.disabled || e.edge {
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
	return probes, edgeFD, len(ep.pending) > 0
}

// collect turns the pending edge events (after taking the edge epoll's
// new ones when takeEdge is set) and the ready probes into at most max
// events, disables the one-shot registrations reported and moves the
// start of the next wait past the last level-triggered one reported.
func (ep *epoll) collect(probes []epollProbe, max int, takeEdge bool) []EpollEvent {
	ep.mu.Lock()
	defer ep.mu.Unlock()
	if ep.closed {
		return nil
	}
	if takeEdge && ep.edge != nil {
		for _, ev := range ep.edge.take(nil) {
			ep.addPending(ev)
		}
	}
	var out []EpollEvent
	report := func(e *epollEntry, ready EpollEvents) bool {
		got := ready & (e.events | epollAlways)
		if got == 0 || e.disabled || !ep.holds(e) {
			return false
		}
		out = append(out, EpollEvent{Events: got, Data: e.data})
		if e.events&EpollOneshot != 0 {
			e.disabled = true
		}
		return true
	}
	taken := 0
	for _, pe := range ep.pending {
		if len(out) == max {
			break
		}
		report(pe.entry, pe.events)
		taken++
	}
	ep.pending = append(ep.pending[:0], ep.pending[taken:]...)
	for _, pr := range probes {
		if len(out) == max {
			break
		}
		if report(pr.entry, pr.ready) {
			if i := ep.find(pr.entry.fd); i >= 0 {
				ep.next = (i + 1) % len(ep.entries)
			}
		}
	}
	return out
}

// addPending records an edge event for its entry, merged with one
// already pending for it, so that there is at most one pending event per
// entry. The caller holds mu.
func (ep *epoll) addPending(ev edgeEvent) {
	for i := range ep.pending {
		if ep.pending[i].entry.id == ev.id {
			ep.pending[i].events |= ev.events
			return
		}
	}
	for _, e := range ep.entries {
		if e.id == ev.id && e.edge {
			ep.pending = append(ep.pending, epollPending{entry: e, events: ev.events})
			return
		}
	}
}

// holds reports whether e is still one of ep's entries; the caller holds
// mu.
func (ep *epoll) holds(e *epollEntry) bool {
	i := ep.find(e.fd)
	return i >= 0 && ep.entries[i] == e
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
