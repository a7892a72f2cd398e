package kernel

import (
	"context"
	"math"
	"net/netip"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"golang.org/x/sys/unix"
)

// SockPair creates a pair of connected sockets (WASIX sock_pair): a host
// socketpair(2) of the Unix domain, stream or datagram, which reaches
// nothing outside the process and so needs no network rule. Both count
// against the descriptor limit and the socket quota (EMFILE).
func (p *Process) SockPair(ctx context.Context, stream bool) (FD, FD, Errno) {
	typ := unix.SOCK_DGRAM
	if stream {
		typ = unix.SOCK_STREAM
	}
	if e := p.roomFor(ctx, 2, ""); e != ESUCCESS {
		return 0, 0, e
	}
	if err := p.quota.Acquire(sandbox.ResSockets, 2); err != nil {
		return 0, 0, p.quotaErrno(ctx, err, EMFILE, AuditEvent{})
	}
	fds, err := unix.Socketpair(unix.AF_UNIX, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		p.quota.Release(sandbox.ResSockets, 2)
		return 0, 0, ErrnoOf(err)
	}
	s0, s1 := p.adopt(fds[0]), p.adopt(fds[1])
	fd0, e := p.insertSocket(ctx, s0)
	if e != ESUCCESS {
		s1.Close()
		return 0, 0, e
	}
	fd1, e := p.insertSocket(ctx, s1)
	if e != ESUCCESS {
		p.FDClose(fd0)
		return 0, 0, e
	}
	return fd0, fd1, ESUCCESS
}

// optKind is what a socket option holds.
type optKind uint8

const (
	optFlag optKind = iota
	optSize
	optTime
)

// hostOpt is the host option behind a SockOption (level 0: kiln's own).
type hostOpt struct {
	kind        optKind
	level, name int
	readOnly    bool
}

// sockOpts maps the options kiln serves to host socket options.
var sockOpts = map[SockOption]hostOpt{
	OptReuseport:       {optFlag, unix.SOL_SOCKET, unix.SO_REUSEPORT, false},
	OptReuseaddr:       {optFlag, unix.SOL_SOCKET, unix.SO_REUSEADDR, false},
	OptNoDelay:         {optFlag, unix.IPPROTO_TCP, unix.TCP_NODELAY, false},
	OptDontRoute:       {optFlag, unix.SOL_SOCKET, unix.SO_DONTROUTE, false},
	OptOnlyV6:          {optFlag, unix.IPPROTO_IPV6, unix.IPV6_V6ONLY, false},
	OptBroadcast:       {optFlag, unix.SOL_SOCKET, unix.SO_BROADCAST, false},
	OptMulticastLoopV4: {optFlag, unix.IPPROTO_IP, unix.IP_MULTICAST_LOOP, false},
	OptMulticastLoopV6: {optFlag, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_LOOP, false},
	OptListening:       {optFlag, unix.SOL_SOCKET, unix.SO_ACCEPTCONN, true},
	OptLastError:       {optFlag, unix.SOL_SOCKET, unix.SO_ERROR, true},
	OptKeepAlive:       {optFlag, unix.SOL_SOCKET, unix.SO_KEEPALIVE, false},
	OptOOBInline:       {optFlag, unix.SOL_SOCKET, unix.SO_OOBINLINE, false},
	OptRecvBufSize:     {optSize, unix.SOL_SOCKET, unix.SO_RCVBUF, false},
	OptSendBufSize:     {optSize, unix.SOL_SOCKET, unix.SO_SNDBUF, false},
	OptRecvLowat:       {optSize, unix.SOL_SOCKET, unix.SO_RCVLOWAT, false},
	OptSendLowat:       {optSize, unix.SOL_SOCKET, unix.SO_SNDLOWAT, false},
	OptTTL:             {optSize, unix.IPPROTO_IP, unix.IP_TTL, false},
	OptMulticastTTLV4:  {optSize, unix.IPPROTO_IP, unix.IP_MULTICAST_TTL, false},
	OptType:            {optSize, unix.SOL_SOCKET, unix.SO_TYPE, true},
	OptProto:           {optSize, unix.SOL_SOCKET, unix.SO_PROTOCOL, true},
	OptLinger:          {optTime, unix.SOL_SOCKET, unix.SO_LINGER, false},
	OptRecvTimeout:     {optTime, 0, 0, false},
	OptSendTimeout:     {optTime, 0, 0, false},
	OptConnectTimeout:  {optTime, 0, 0, false},
	OptAcceptTimeout:   {optTime, 0, 0, false},
}

// sockOpt finds the socket of fd and option opt of kind: EINVAL for an
// option that is not of that kind (or not known), ENOTSUP for
// OptPromiscuous, and EINVAL when setting a read-only option.
func (p *Process) sockOpt(fd FD, opt SockOption, kind optKind, set bool) (*Socket, hostOpt, Errno) {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return nil, hostOpt{}, e
	}
	if opt == OptPromiscuous {
		return nil, hostOpt{}, ENOTSUP
	}
	h, ok := sockOpts[opt]
	if !ok || h.kind != kind || set && h.readOnly {
		return nil, hostOpt{}, EINVAL
	}
	return s, h, ESUCCESS
}

// ipv6 reports whether fd is an IPv6 socket; options of IP level then
// take their IPv6 form.
func ipv6(fd int) bool {
	d, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN)
	return err == nil && d == unix.AF_INET6
}

// on returns h for the socket fd, switching IP_TTL to
// IPV6_UNICAST_HOPS on an IPv6 socket.
func (h hostOpt) on(fd int) hostOpt {
	if h.level == unix.IPPROTO_IP && h.name == unix.IP_TTL && ipv6(fd) {
		h.level, h.name = unix.IPPROTO_IPV6, unix.IPV6_UNICAST_HOPS
	}
	return h
}

// SockSetFlag sets a flag option (sock_set_opt_flag).
func (p *Process) SockSetFlag(fd FD, opt SockOption, on bool) Errno {
	s, h, e := p.sockOpt(fd, opt, optFlag, true)
	if e != ESUCCESS {
		return e
	}
	v := 0
	if on {
		v = 1
	}
	return ErrnoOf(s.UseFD(func(fd int) error { return unix.SetsockoptInt(fd, h.level, h.name, v) }))
}

// SockGetFlag reads a flag option (sock_get_opt_flag); OptLastError is
// whether an error is pending, and reading it clears it as SO_ERROR does.
func (p *Process) SockGetFlag(fd FD, opt SockOption) (bool, Errno) {
	s, h, e := p.sockOpt(fd, opt, optFlag, false)
	if e != ESUCCESS {
		return false, e
	}
	var v int
	err := s.UseFD(func(fd int) (err error) { v, err = unix.GetsockoptInt(fd, h.level, h.name); return err })
	return v != 0, ErrnoOf(err)
}

// SockSetSize sets a size option (sock_set_opt_size): buffer sizes, low
// water marks and TTLs; more than fits a C int is EINVAL. The host may
// round or cap the value (Linux doubles buffer sizes and refuses to set
// SO_SNDLOWAT: ENOPROTOOPT).
func (p *Process) SockSetSize(fd FD, opt SockOption, size uint64) Errno {
	s, h, e := p.sockOpt(fd, opt, optSize, true)
	if e != ESUCCESS {
		return e
	}
	if size > math.MaxInt32 {
		return EINVAL
	}
	return ErrnoOf(s.UseFD(func(fd int) error {
		h := h.on(fd)
		return unix.SetsockoptInt(fd, h.level, h.name, int(size))
	}))
}

// SockGetSize reads a size option (sock_get_opt_size). OptType is
// WASIX's socket type (1 stream, 2 datagram), OptProto the IP protocol
// number.
func (p *Process) SockGetSize(fd FD, opt SockOption) (uint64, Errno) {
	s, h, e := p.sockOpt(fd, opt, optSize, false)
	if e != ESUCCESS {
		return 0, e
	}
	var v int
	err := s.UseFD(func(fd int) (err error) {
		h := h.on(fd)
		v, err = unix.GetsockoptInt(fd, h.level, h.name)
		return err
	})
	if err != nil {
		return 0, ErrnoOf(err)
	}
	if opt == OptType {
		switch v {
		case unix.SOCK_STREAM:
			v = 1
		case unix.SOCK_DGRAM:
			v = 2
		}
	}
	return uint64(max(v, 0)), ESUCCESS
}

// SockSetTime sets a time option (sock_set_opt_time); set false clears
// it. The receive, send, connect and accept timeouts are kiln's own (its
// waits apply them: EAGAIN, or ETIMEDOUT for connect); OptLinger is the
// host's SO_LINGER in whole seconds.
func (p *Process) SockSetTime(fd FD, opt SockOption, d time.Duration, set bool) Errno {
	s, h, e := p.sockOpt(fd, opt, optTime, true)
	if e != ESUCCESS {
		return e
	}
	if d < 0 {
		return EINVAL
	}
	if !set {
		d = 0
	}
	if slot := s.times.slot(opt); slot != nil {
		slot.Store(int64(d))
		return ESUCCESS
	}
	l := unix.Linger{Linger: int32(min(d/time.Second, math.MaxInt32))}
	if set {
		l.Onoff = 1
	}
	return ErrnoOf(s.UseFD(func(fd int) error { return unix.SetsockoptLinger(fd, h.level, h.name, &l) }))
}

// SockGetTime reads a time option (sock_get_opt_time); set is false when
// none is set.
func (p *Process) SockGetTime(fd FD, opt SockOption) (d time.Duration, set bool, e Errno) {
	s, h, e := p.sockOpt(fd, opt, optTime, false)
	if e != ESUCCESS {
		return 0, false, e
	}
	if slot := s.times.slot(opt); slot != nil {
		d := time.Duration(slot.Load())
		return d, d != 0, ESUCCESS
	}
	var l *unix.Linger
	err := s.UseFD(func(fd int) (err error) { l, err = unix.GetsockoptLinger(fd, h.level, h.name); return err })
	if err != nil {
		return 0, false, ErrnoOf(err)
	}
	return time.Duration(l.Linger) * time.Second, l.Onoff != 0, ESUCCESS
}

// SockMulticast joins (or leaves) the multicast group on the interface
// iface: for IPv4 an interface address (unspecified: the host's choice),
// for IPv6 an interface index in ifindex. Joining a group lets the
// socket receive what is sent to it, so it needs a bind rule covering
// the group at the socket's bound port (a refusal is audited as a bind).
func (p *Process) SockMulticast(ctx context.Context, fd FD, group, iface netip.Addr, ifindex uint32, join bool) Errno {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return e
	}
	if !group.IsMulticast() {
		return EINVAL
	}
	ap := netip.AddrPortFrom(group, s.boundAddr().Port())
	if join {
		if e := p.checkNet(ctx, OpBind, s.network, ap); e != ESUCCESS {
			return e
		}
	}
	e = ErrnoOf(s.UseFD(func(fd int) error {
		if group.Is4() {
			mreq := &unix.IPMreq{Multiaddr: group.As4()}
			if iface.Is4() {
				mreq.Interface = iface.As4()
			}
			name := unix.IP_ADD_MEMBERSHIP
			if !join {
				name = unix.IP_DROP_MEMBERSHIP
			}
			return unix.SetsockoptIPMreq(fd, unix.IPPROTO_IP, name, mreq)
		}
		mreq := &unix.IPv6Mreq{Multiaddr: group.As16(), Interface: ifindex}
		name := unix.IPV6_JOIN_GROUP
		if !join {
			name = unix.IPV6_LEAVE_GROUP
		}
		return unix.SetsockoptIPv6Mreq(fd, unix.IPPROTO_IPV6, name, mreq)
	}))
	if join {
		p.audit(ctx, AuditEvent{Op: OpBind, Addr: ap, Network: s.network, Allowed: true, Errno: e})
	}
	return e
}

// SockStatus reports the state of a socket (WASIX sock_status): FAILED
// with an error pending, OPENED when connected, listening or (datagram)
// bound, CLOSED once a connected peer hung up or both directions were
// shut down, OPENING before (and during a non-blocking connect).
func (p *Process) SockStatus(fd FD) (SockStatus, Errno) {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return 0, e
	}
	st := SockOpening
	err := s.UseFD(func(fd int) error {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLOUT | unix.POLLRDHUP}}
		if _, err := hostPoll(pfd, 0); err != nil && err != unix.EINTR {
			return err
		}
		ev := pfd[0].Revents
		if s.connecting.Load() {
			if ev&(unix.POLLOUT|unix.POLLERR) == 0 {
				return nil // still connecting
			}
			s.connecting.Store(false)
		}
		if ev&unix.POLLERR != 0 {
			st = SockFailed
			return nil
		}
		if l, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ACCEPTCONN); err == nil && l != 0 {
			st = SockOpened
			return nil
		}
		if _, err := unix.Getpeername(fd); err == nil {
			st = SockOpened
			if ev&(unix.POLLHUP|unix.POLLRDHUP) != 0 {
				st = SockClosed
			}
			return nil
		}
		if s.network == "udp" {
			if sa, err := unix.Getsockname(fd); err == nil && addrPort(sa).Port() != 0 {
				st = SockOpened
			}
		}
		return nil
	})
	return st, ErrnoOf(err)
}

// SockSendFile sends count bytes of the file in, from offset (its
// cursor does not move), down the socket out (WASIX sock_send_file),
// through the same path as sock_send (quota, blocking, cancellation). It
// stops early at the end of the file and returns how much was sent; an
// error after some bytes went out is reported as a short count.
func (p *Process) SockSendFile(ctx context.Context, out, in FD, offset, count uint64) (uint64, Errno) {
	s, e := p.socket(out, RightFDWrite)
	if e != ESUCCESS {
		return 0, e
	}
	if _, e := p.fds.Get(in); e != ESUCCESS {
		return 0, e
	}
	buf := make([]byte, min(count, 64<<10))
	var sent uint64
	for sent < count {
		chunk := buf[:min(uint64(len(buf)), count-sent)]
		n, e := p.FDPread(in, [][]byte{chunk}, offset+sent)
		if e != ESUCCESS {
			return sent, errnoAfter(sent, e)
		}
		if n == 0 {
			break
		}
		for data := chunk[:n]; len(data) > 0; {
			w, e := p.send(ctx, s, [][]byte{data}, netip.AddrPort{}, false)
			sent += uint64(w)
			if e != ESUCCESS {
				return sent, errnoAfter(sent, e)
			}
			data = data[w:]
		}
	}
	return sent, ESUCCESS
}

// errnoAfter is e unless some bytes were already transferred, which then
// count as a short transfer.
func errnoAfter(done uint64, e Errno) Errno {
	if done > 0 && e != ECANCELED {
		return ESUCCESS
	}
	return e
}
