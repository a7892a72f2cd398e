package kernel

import (
	"fmt"
	"net/netip"

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
func (p *Process) insertSocket(s *Socket) (FD, Errno) {
	d := newFileDescriptor(s, RightsSocket, "")
	d.Inheriting = RightsSocket
	fd, e := p.fds.Insert(d)
	if e != ESUCCESS {
		s.Close()
	}
	return fd, e
}

// InsertSocket gives the guest a duplicate of a host socket (for example
// a listener the embedder opened, like wasmtime's --tcplisten). The caller
// keeps its own descriptor.
func (p *Process) InsertSocket(hostFD int) (FD, error) {
	if _, err := unix.GetsockoptInt(hostFD, unix.SOL_SOCKET, unix.SO_TYPE); err != nil {
		return 0, fmt.Errorf("kernel: insert socket: %w", err)
	}
	nfd, err := unix.FcntlInt(uintptr(hostFD), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return 0, fmt.Errorf("kernel: insert socket: %w", err)
	}
	fd, e := p.insertSocket(newSocket(nfd))
	if e != ESUCCESS {
		return 0, fmt.Errorf("kernel: insert socket: %w", e)
	}
	return fd, nil
}

// SockAccept accepts a connection (sock_accept); flags may hold
// FDNonblock for the new descriptor.
func (p *Process) SockAccept(fd FD, flags vfs.FDFlags) (FD, Errno) {
	s, e := p.socket(fd, RightSockAccept)
	if e != ESUCCESS {
		return 0, e
	}
	if flags&^vfs.FDNonblock != 0 {
		return 0, EINVAL
	}
	sflags := unix.SOCK_CLOEXEC
	if flags&vfs.FDNonblock != 0 {
		sflags |= unix.SOCK_NONBLOCK
	}
	var nfd int
	var sa unix.Sockaddr
	err := s.UseFD(func(fd int) (err error) {
		for {
			nfd, sa, err = unix.Accept4(fd, sflags)
			if err != unix.EINTR {
				return err
			}
		}
	})
	if err != nil {
		return 0, ErrnoOf(err)
	}
	newFD, e := p.insertSocket(newSocket(nfd))
	p.audit(AuditEvent{Op: OpAccept, Addr: addrPort(sa), Network: s.network, Allowed: true, Errno: e})
	return newFD, e
}

// SockRecv receives into iovs (sock_recv).
func (p *Process) SockRecv(fd FD, iovs [][]byte, ri RIFlags) (int, ROFlags, Errno) {
	s, e := p.socket(fd, RightFDRead)
	if e != ESUCCESS {
		return 0, 0, e
	}
	if ri&^(RecvPeek|RecvWaitAll) != 0 {
		return 0, 0, EINVAL
	}
	var flags int
	if ri&RecvPeek != 0 {
		flags |= unix.MSG_PEEK
	}
	if ri&RecvWaitAll != 0 {
		flags |= unix.MSG_WAITALL
	}
	var n, rflags int
	err := s.UseFD(func(fd int) (err error) {
		for {
			n, _, rflags, _, err = unix.RecvmsgBuffers(fd, iovs, nil, flags)
			if err != unix.EINTR {
				return err
			}
		}
	})
	var ro ROFlags
	if rflags&unix.MSG_TRUNC != 0 {
		ro |= RecvDataTruncated
	}
	return n, ro, ErrnoOf(err)
}

// SockSend sends iovs (sock_send); siflags must be zero. A closed peer is
// EPIPE, never a signal.
func (p *Process) SockSend(fd FD, iovs [][]byte, siflags uint16) (int, Errno) {
	s, e := p.socket(fd, RightFDWrite)
	if e != ESUCCESS {
		return 0, e
	}
	if siflags != 0 {
		return 0, EINVAL
	}
	var n int
	err := s.UseFD(func(fd int) (err error) {
		for {
			n, err = unix.SendmsgBuffers(fd, iovs, nil, nil, unix.MSG_NOSIGNAL)
			if err != unix.EINTR {
				return err
			}
		}
	})
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
// IPv6 when v6. The network policy is consulted on connect and bind.
func (p *Process) SockOpen(network string, v6 bool) (FD, Errno) {
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
	if p.fds.Len() >= p.fds.max {
		return 0, EMFILE
	}
	fd, err := unix.Socket(family, typ|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return 0, ErrnoOf(err)
	}
	return p.insertSocket(newSocket(fd))
}

// SockConnect connects a socket to addr if the network policy allows it
// (without a policy nothing is allowed).
func (p *Process) SockConnect(fd FD, addr netip.AddrPort) Errno {
	s, e := p.socket(fd, RightFDWrite)
	if e != ESUCCESS {
		return e
	}
	if e := p.checkNet(OpConnect, s.network, addr); e != ESUCCESS {
		return e
	}
	e = ErrnoOf(s.UseFD(func(fd int) error {
		sa, e := sockaddr(fd, addr)
		if e != ESUCCESS {
			return e
		}
		return unix.Connect(fd, sa)
	}))
	p.audit(AuditEvent{Op: OpConnect, Addr: addr, Network: s.network, Allowed: true, Errno: e})
	return e
}

// SockBind binds a socket to addr if the network policy allows it.
func (p *Process) SockBind(fd FD, addr netip.AddrPort) Errno {
	s, e := p.socket(fd, 0)
	if e != ESUCCESS {
		return e
	}
	if e := p.checkNet(OpBind, s.network, addr); e != ESUCCESS {
		return e
	}
	e = ErrnoOf(s.UseFD(func(fd int) error {
		sa, e := sockaddr(fd, addr)
		if e != ESUCCESS {
			return e
		}
		return unix.Bind(fd, sa)
	}))
	p.audit(AuditEvent{Op: OpBind, Addr: addr, Network: s.network, Allowed: true, Errno: e})
	return e
}

// SockListen marks a bound socket as listening.
func (p *Process) SockListen(fd FD, backlog int) Errno {
	s, e := p.socket(fd, RightSockAccept)
	if e != ESUCCESS {
		return e
	}
	if backlog <= 0 || backlog > 4096 {
		backlog = 128
	}
	e = ErrnoOf(s.UseFD(func(fd int) error { return unix.Listen(fd, backlog) }))
	local, _ := p.SockAddrLocal(fd)
	p.audit(AuditEvent{Op: OpListen, Addr: local, Network: s.network, Allowed: true, Errno: e})
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
