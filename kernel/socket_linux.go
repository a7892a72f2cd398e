package kernel

import (
	"context"
	"fmt"
	"net/netip"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// newSocket takes ownership of a host socket descriptor.
func newSocket(fd int) *Socket {
	network := "tcp"
	if t, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE); err == nil && t == unix.SOCK_DGRAM {
		network = "udp"
	}
	f := vfs.AdoptHostFD(fd)
	return &Socket{File: f, host: f.(vfs.HostDescriptor), network: network}
}

// insertSocket adds a socket descriptor, closing it when the table is full.
func (p *Process) insertSocket(ctx context.Context, s *Socket) (FD, Errno) {
	d := newFileDescriptor(s, RightsSocket, "")
	d.Inheriting = RightsSocket
	fd, e := p.insert(ctx, d)
	if e != ESUCCESS {
		s.Close()
	}
	return fd, e
}

// chargeSocket takes one socket (and makes sure one descriptor is free)
// before a socket is created; adopt then marks the new socket as charged,
// so that closing it gives the quota back.
func (p *Process) chargeSocket(ctx context.Context, addr netip.AddrPort, network string) Errno {
	if e := p.roomFor(ctx, 1, ""); e != ESUCCESS {
		return e
	}
	if err := p.quota.Acquire(sandbox.ResSockets, 1); err != nil {
		return p.quotaErrno(ctx, err, EMFILE, AuditEvent{Addr: addr, Network: network})
	}
	return ESUCCESS
}

// adopt wraps a new host socket that chargeSocket paid for.
func (p *Process) adopt(fd int) *Socket {
	s := newSocket(fd)
	if p.quota != nil {
		s.quota = p.quota
		s.charged.Store(true)
	}
	return s
}

// InsertSocket gives the guest a duplicate of a host socket (for example
// a listener the embedder opened, like wasmtime's --tcplisten). The caller
// keeps its own descriptor. The embedder granted this socket: it is not
// charged to the socket quota and listen on it is not checked.
func (p *Process) InsertSocket(ctx context.Context, hostFD int) (FD, error) {
	if _, err := unix.GetsockoptInt(hostFD, unix.SOL_SOCKET, unix.SO_TYPE); err != nil {
		return 0, fmt.Errorf("kernel: insert socket: %w", err)
	}
	nfd, err := unix.FcntlInt(uintptr(hostFD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("kernel: insert socket: %w", err)
	}
	s := newSocket(nfd)
	s.embedder = true
	fd, e := p.insertSocket(ctx, s)
	if e != ESUCCESS {
		return 0, fmt.Errorf("kernel: insert socket: %w", e)
	}
	return fd, nil
}

// blocking reports whether the guest asked for blocking I/O on s.
func blocking(s *Socket) bool { return s.Flags()&vfs.FDNonblock == 0 }

// SockAccept accepts a connection (sock_accept); see SockAcceptFrom.
func (p *Process) SockAccept(ctx context.Context, fd FD, flags vfs.FDFlags) (FD, Errno) {
	nfd, _, e := p.SockAcceptFrom(ctx, fd, flags)
	return nfd, e
}

// SockAcceptFrom accepts a connection and reports the peer's address
// (WASIX sock_accept_v2); flags may hold FDNonblock for the new
// descriptor. On a blocking listener it waits until a connection arrives,
// ctx ends or the process closes (ECANCELED), or the accept timeout
// passes (EAGAIN). The new socket counts against the descriptor and
// socket quotas (EMFILE; the connection then stays queued).
func (p *Process) SockAcceptFrom(ctx context.Context, fd FD, flags vfs.FDFlags) (FD, netip.AddrPort, Errno) {
	s, e := p.socket(fd, RightSockAccept)
	if e != ESUCCESS {
		return 0, netip.AddrPort{}, e
	}
	if flags&^vfs.FDNonblock != 0 {
		return 0, netip.AddrPort{}, EINVAL
	}
	if e := p.chargeSocket(ctx, netip.AddrPort{}, s.network); e != ESUCCESS {
		return 0, netip.AddrPort{}, e
	}
	sflags := unix.SOCK_CLOEXEC
	if flags&vfs.FDNonblock != 0 {
		sflags |= unix.SOCK_NONBLOCK
	}
	var nfd int
	var sa unix.Sockaddr
	err := s.UseFD(func(fd int) (err error) {
		if blocking(s) {
			// kiln waits itself, cancellably: the host listener is
			// left non-blocking (the guest's view of the flag is kept
			// apart), so that a connection another thread takes first
			// cannot leave this one blocked in accept(2)
			if err := unix.SetNonblock(fd, true); err != nil {
				return err
			}
		}
		for {
			nfd, sa, err = unix.Accept4(fd, sflags)
			switch {
			case err == unix.EINTR:
				continue
			case err == unix.EAGAIN && blocking(s):
				if e := p.waitFDFor(ctx, fd, unix.POLLIN, s.times.get(OptAcceptTimeout)); e != ESUCCESS {
					return e
				}
				continue
			}
			return err
		}
	})
	if err != nil {
		p.quota.Release(sandbox.ResSockets, 1)
		return 0, netip.AddrPort{}, ErrnoOf(err)
	}
	peer := addrPort(sa)
	newFD, e := p.insertSocket(ctx, p.adopt(nfd))
	p.audit(ctx, AuditEvent{Op: OpAccept, Addr: peer, Network: s.network, Allowed: true, Errno: e})
	return newFD, peer, e
}

// SockRecv receives into iovs (sock_recv); see SockRecvFrom.
func (p *Process) SockRecv(ctx context.Context, fd FD, iovs [][]byte, ri RIFlags) (int, ROFlags, Errno) {
	n, ro, _, e := p.SockRecvFrom(ctx, fd, iovs, ri)
	return n, ro, e
}

// SockRecvFrom receives into iovs and reports the sender (WASIX
// sock_recv_from). A blocking socket waits until data arrives, ctx ends or
// the process closes (ECANCELED). UDP datagrams from senders the network
// policy refuses are dropped and audited. Received bytes are charged to
// the receive quota (EDQUOT when it is used up; the buffers are shortened
// to what is left).
func (p *Process) SockRecvFrom(ctx context.Context, fd FD, iovs [][]byte, ri RIFlags) (int, ROFlags, netip.AddrPort, Errno) {
	s, e := p.socket(fd, RightFDRead)
	if e != ESUCCESS {
		return 0, 0, netip.AddrPort{}, e
	}
	if ri&^(RecvPeek|RecvWaitAll|RecvTrunc|RecvDontWait) != 0 {
		return 0, 0, netip.AddrPort{}, EINVAL
	}
	return p.recv(ctx, s, iovs, ri)
}

// recv is sock_recv and fd_read on a socket.
func (p *Process) recv(ctx context.Context, s *Socket, iovs [][]byte, ri RIFlags) (int, ROFlags, netip.AddrPort, Errno) {
	iovs, reserved, e := p.reserve(ctx, sandbox.ResNetRecv, iovs, AuditEvent{Network: s.network})
	if e != ESUCCESS {
		return 0, 0, netip.AddrPort{}, e
	}
	flags := unix.MSG_DONTWAIT
	if ri&RecvPeek != 0 {
		flags |= unix.MSG_PEEK
	}
	waitAll := ri&RecvWaitAll != 0 && s.network == "tcp"
	wait := blocking(s) && ri&RecvDontWait == 0
	// Datagrams are checked against the policy before the guest sees a
	// byte of them: they land in a host buffer first (a UDP payload is
	// at most 64 KiB) and are copied out only when the sender is allowed.
	var bounce []byte
	if s.network == "udp" && p.net != nil {
		size := 0
		for _, b := range iovs {
			size += len(b)
		}
		bounce = make([]byte, min(size, 1<<16))
	}
	var total, rflags int
	var from netip.AddrPort
	err := s.UseFD(func(fd int) error {
		bufs := iovs
		if bounce != nil {
			bufs = [][]byte{bounce}
		}
		for {
			n, _, rf, sa, err := unix.RecvmsgBuffers(fd, bufs, nil, flags)
			switch {
			case err == unix.EINTR:
				continue
			case err == unix.EAGAIN && wait:
				if e := p.waitFDFor(ctx, fd, unix.POLLIN, s.times.get(OptRecvTimeout)); e != ESUCCESS {
					if total > 0 {
						return nil // report what MSG_WAITALL gathered
					}
					return e
				}
				continue
			case err != nil:
				if total > 0 {
					return nil
				}
				return err
			}
			if bounce != nil {
				if a := addrPort(sa); a.IsValid() && p.checkNet(ctx, OpRecv, s.network, a) != ESUCCESS {
					if flags&unix.MSG_PEEK != 0 { // drop the refused datagram
						unix.RecvmsgBuffers(fd, nil, nil, unix.MSG_DONTWAIT)
					}
					continue
				}
				copyToIovs(iovs, bounce[:n])
			}
			total += n
			rflags = rf
			from = addrPort(sa)
			if !waitAll || n == 0 || flags&unix.MSG_PEEK != 0 {
				return nil
			}
			if bufs = advanceIovs(bufs, n); len(bufs) == 0 {
				return nil
			}
		}
	})
	p.settle(sandbox.ResNetRecv, reserved, total)
	var ro ROFlags
	if rflags&unix.MSG_TRUNC != 0 {
		ro |= RecvDataTruncated
	}
	return total, ro, from, ErrnoOf(err)
}

// copyToIovs scatters data over iovs (which hold at least len(data)).
func copyToIovs(iovs [][]byte, data []byte) {
	for _, b := range iovs {
		if len(data) == 0 {
			return
		}
		data = data[copy(b, data):]
	}
}

// SockSend sends iovs (sock_send); siflags may hold SendDontWait. A
// closed peer is EPIPE, never a signal. A blocking socket waits for room
// as SockRecv waits for data (up to the send timeout: EAGAIN); sent bytes
// are charged to the send quota (EDQUOT when it is used up, a shortened
// send when only part fits).
func (p *Process) SockSend(ctx context.Context, fd FD, iovs [][]byte, siflags uint16) (int, Errno) {
	s, e := p.socket(fd, RightFDWrite)
	if e != ESUCCESS {
		return 0, e
	}
	if siflags&^SendDontWait != 0 {
		return 0, EINVAL
	}
	return p.send(ctx, s, iovs, netip.AddrPort{}, siflags&SendDontWait != 0)
}

// SockSendTo sends a datagram to addr (WASIX sock_send_to) if the network
// policy's connect rules allow the destination (a refusal is audited as
// OpSend, and so is the first send to each new destination of a socket);
// otherwise as SockSend.
func (p *Process) SockSendTo(ctx context.Context, fd FD, iovs [][]byte, siflags uint16, addr netip.AddrPort) (int, Errno) {
	s, e := p.socket(fd, RightFDWrite)
	if e != ESUCCESS {
		return 0, e
	}
	if siflags&^SendDontWait != 0 || !addr.IsValid() {
		return 0, EINVAL
	}
	addr = sandbox.PeerAddr(addr) // checked and sent as the peer it reaches
	if e := p.checkNet(ctx, OpSend, s.network, addr); e != ESUCCESS {
		return 0, e
	}
	s.mu.Lock()
	first := s.sentTo != addr
	s.sentTo = addr
	s.mu.Unlock()
	if first {
		p.audit(ctx, AuditEvent{Op: OpSend, Addr: addr, Network: s.network, Allowed: true})
	}
	return p.send(ctx, s, iovs, addr, siflags&SendDontWait != 0)
}

// send is sock_send, sock_send_to and fd_write on a socket; dontWait
// makes a blocking socket fail with EAGAIN instead of waiting.
func (p *Process) send(ctx context.Context, s *Socket, iovs [][]byte, to netip.AddrPort, dontWait bool) (int, Errno) {
	iovs, reserved, e := p.reserve(ctx, sandbox.ResNetSend, iovs, AuditEvent{Addr: to, Network: s.network})
	if e != ESUCCESS {
		return 0, e
	}
	var n int
	err := s.UseFD(func(fd int) (err error) {
		var sa unix.Sockaddr
		if to.IsValid() {
			var e Errno
			if sa, e = sockaddr(fd, to); e != ESUCCESS {
				return e
			}
		}
		for {
			n, err = unix.SendmsgBuffers(fd, iovs, nil, sa, unix.MSG_NOSIGNAL|unix.MSG_DONTWAIT)
			switch {
			case err == unix.EINTR:
				continue
			case err == unix.EAGAIN && blocking(s) && !dontWait:
				if e := p.waitFDFor(ctx, fd, unix.POLLOUT, s.times.get(OptSendTimeout)); e != ESUCCESS {
					return e
				}
				continue
			}
			return err
		}
	})
	if n < 0 {
		n = 0
	}
	p.settle(sandbox.ResNetSend, reserved, n)
	return n, ErrnoOf(err)
}

// SockShutdown shuts down reading and/or writing (sock_shutdown).
func (p *Process) SockShutdown(fd FD, how SDFlags) Errno {
	s, e := p.socket(fd, RightSockShutdown)
	if e != ESUCCESS {
		return e
	}
	var h int
	switch how {
	case ShutRead:
		h = unix.SHUT_RD
	case ShutWrite:
		h = unix.SHUT_WR
	case ShutRead | ShutWrite:
		h = unix.SHUT_RDWR
	default:
		return EINVAL
	}
	return ErrnoOf(s.UseFD(func(fd int) error { return unix.Shutdown(fd, h) }))
}

// SockOpen creates a socket (WASIX sock_open): network "tcp" or "udp",
// IPv6 when v6. The network policy is consulted on connect, bind, listen,
// send_to and on receiving datagrams. A socket counts against the
// descriptor limit and the socket quota (EMFILE at either).
func (p *Process) SockOpen(ctx context.Context, network string, v6 bool) (FD, Errno) {
	var typ int
	switch network {
	case "tcp":
		typ = unix.SOCK_STREAM
	case "udp":
		typ = unix.SOCK_DGRAM
	default:
		return 0, EPROTONOSUPPORT
	}
	family := unix.AF_INET
	if v6 {
		family = unix.AF_INET6
	}
	if e := p.chargeSocket(ctx, netip.AddrPort{}, network); e != ESUCCESS {
		return 0, e
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		p.quota.Release(sandbox.ResSockets, 1)
		return 0, ErrnoOf(err)
	}
	return p.insertSocket(ctx, p.adopt(fd))
}

// SockConnect connects a socket to addr if the network policy allows it
// (without a policy nothing is allowed). The policy sees, and the host
// connects to, sandbox.PeerAddr(addr): an unspecified address is this
// host's loopback address, an IPv4-mapped one its IPv4 address.
//
// A blocking connect waits until the connection is established, ctx ends
// or the process closes (ECANCELED); the host socket is put in
// non-blocking mode for the connect, so that the wait can be cancelled.
func (p *Process) SockConnect(ctx context.Context, fd FD, addr netip.AddrPort) Errno {
	s, e := p.socket(fd, RightFDWrite)
	if e != ESUCCESS {
		return e
	}
	if !addr.IsValid() {
		return EINVAL
	}
	addr = sandbox.PeerAddr(addr) // checked and connected as the peer it reaches
	if e := p.checkNet(ctx, OpConnect, s.network, addr); e != ESUCCESS {
		return e
	}
	e = ErrnoOf(s.UseFD(func(fd int) error {
		sa, e := sockaddr(fd, addr)
		if e != ESUCCESS {
			return e
		}
		if !blocking(s) {
			err := unix.Connect(fd, sa)
			s.connecting.Store(err == unix.EINPROGRESS)
			return err
		}
		return p.connectCancellable(ctx, fd, sa, s.times.get(OptConnectTimeout))
	}))
	p.audit(ctx, AuditEvent{Op: OpConnect, Addr: addr, Network: s.network, Allowed: true, Errno: e})
	return e
}

// connectCancellable connects a blocking socket without blocking in
// connect(2): non-blocking connect, a cancellable wait for writability
// (ETIMEDOUT after timeout, when not zero), then the outcome from
// SO_ERROR.
func (p *Process) connectCancellable(ctx context.Context, fd int, sa unix.Sockaddr, timeout time.Duration) error {
	fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, fl|unix.O_NONBLOCK); err != nil {
		return err
	}
	defer unix.FcntlInt(uintptr(fd), unix.F_SETFL, fl)
	err = unix.Connect(fd, sa)
	if err != unix.EINPROGRESS && err != unix.EINTR { // EINTR: it goes on asynchronously
		return err
	}
	if e := p.waitFDFor(ctx, fd, unix.POLLOUT, timeout); e != ESUCCESS {
		if e == EAGAIN {
			return ETIMEDOUT
		}
		return e
	}
	soerr, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
	if err != nil {
		return err
	}
	if soerr != 0 {
		return unix.Errno(soerr)
	}
	return nil
}

// SockBind binds a socket to addr if the network policy allows it.
func (p *Process) SockBind(ctx context.Context, fd FD, addr netip.AddrPort) Errno {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return e
	}
	if e := p.checkNet(ctx, OpBind, s.network, addr); e != ESUCCESS {
		return e
	}
	e = ErrnoOf(s.UseFD(func(fd int) error {
		sa, e := sockaddr(fd, addr)
		if e != ESUCCESS {
			return e
		}
		return unix.Bind(fd, sa)
	}))
	if e == ESUCCESS {
		s.setBound(addr)
	}
	p.audit(ctx, AuditEvent{Op: OpBind, Addr: addr, Network: s.network, Allowed: true, Errno: e})
	return e
}

// SockListen marks a socket as listening if the network policy allows
// listening on the address it was bound to as requested (port 0 for an
// ephemeral port). A socket that was never bound would be bound by the
// host to an ephemeral port on every address, so that is what is checked:
// 0.0.0.0:0 or [::]:0. Sockets the embedder handed over are not checked.
func (p *Process) SockListen(ctx context.Context, fd FD, backlog int) Errno {
	s, e := p.socket(fd, RightSockAccept)
	if e != ESUCCESS {
		return e
	}
	if backlog <= 0 || backlog > 4096 {
		backlog = 128
	}
	if !s.embedder {
		addr := s.boundAddr()
		if !addr.IsValid() {
			addr = netip.AddrPortFrom(netip.IPv4Unspecified(), 0)
			s.UseFD(func(fd int) error {
				if d, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN); err == nil && d == unix.AF_INET6 {
					addr = netip.AddrPortFrom(netip.IPv6Unspecified(), 0)
				}
				return nil
			})
		}
		if e := p.checkNet(ctx, OpListen, s.network, addr); e != ESUCCESS {
			return e
		}
	}
	e = ErrnoOf(s.UseFD(func(fd int) error { return unix.Listen(fd, backlog) }))
	local, _ := p.SockAddrLocal(fd)
	p.audit(ctx, AuditEvent{Op: OpListen, Addr: local, Network: s.network, Allowed: true, Errno: e})
	return e
}

// SockAddrLocal returns the local address of a socket.
func (p *Process) SockAddrLocal(fd FD) (netip.AddrPort, Errno) {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return netip.AddrPort{}, e
	}
	var sa unix.Sockaddr
	err := s.UseFD(func(fd int) (err error) { sa, err = unix.Getsockname(fd); return err })
	return addrPort(sa), ErrnoOf(err)
}

// SockAddrPeer returns the remote address of a connected socket.
func (p *Process) SockAddrPeer(fd FD) (netip.AddrPort, Errno) {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return netip.AddrPort{}, e
	}
	var sa unix.Sockaddr
	err := s.UseFD(func(fd int) (err error) { sa, err = unix.Getpeername(fd); return err })
	return addrPort(sa), ErrnoOf(err)
}

// sockaddr converts addr for a socket of the family of fd (IPv4 addresses
// become v4-mapped on IPv6 sockets).
func sockaddr(fd int, addr netip.AddrPort) (unix.Sockaddr, Errno) {
	domain, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_DOMAIN)
	if err != nil {
		return nil, ErrnoOf(err)
	}
	a := addr.Addr()
	switch domain {
	case unix.AF_INET:
		a = a.Unmap()
		if !a.Is4() {
			return nil, EAFNOSUPPORT
		}
		return &unix.SockaddrInet4{Port: int(addr.Port()), Addr: a.As4()}, ESUCCESS
	case unix.AF_INET6:
		return &unix.SockaddrInet6{Port: int(addr.Port()), Addr: a.As16()}, ESUCCESS
	}
	return nil, EAFNOSUPPORT
}
