package kernel

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// Socket is a host socket owned by the process. The kernel reads and
// writes it with socket calls on the descriptor (so that quotas, the
// network policy and cancellation apply); the embedded vfs.File serves
// the generic operations (stat, flags, close).
type Socket struct {
	vfs.File
	host    vfs.HostDescriptor
	network string // "tcp" or "udp"
	// embedder marks a socket the embedder handed over (InsertSocket):
	// granted as it is, so listen on it is not checked again.
	embedder bool
	// quota is the account charged one ResSockets for this socket while
	// charged is set; Close gives it back.
	quota   *sandbox.Account
	charged atomic.Bool

	// times holds the WASIX socket timeouts (sock_set_opt_time), which
	// kiln's own cancellable waits apply: the host socket is always read
	// and written without blocking.
	times sockTimes
	// connecting is set while a non-blocking connect is under way
	// (sock_status reports OPENING).
	connecting atomic.Bool

	mu     sync.Mutex
	bound  netip.AddrPort // the address SockBind was asked for
	sentTo netip.AddrPort // the last send_to destination audited
}

// Close closes the host socket and gives back its socket quota.
func (s *Socket) Close() error {
	if s.charged.CompareAndSwap(true, false) {
		s.quota.Release(sandbox.ResSockets, 1)
	}
	return s.File.Close()
}

func (s *Socket) setBound(a netip.AddrPort) {
	s.mu.Lock()
	s.bound = a
	s.mu.Unlock()
}

func (s *Socket) boundAddr() netip.AddrPort {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.bound
}

// HostFD returns the socket's host descriptor (for polling).
func (s *Socket) HostFD() int { return s.host.HostFD() }

// UseFD runs fn with the host descriptor held open.
func (s *Socket) UseFD(fn func(fd int) error) error { return s.host.UseFD(fn) }

// Network returns "tcp" or "udp".
func (s *Socket) Network() string { return s.network }

// socket returns the Socket of fd holding need, ENOTSOCK otherwise.
func (p *Process) socket(fd FD, need Rights) (*Socket, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return nil, e
	}
	s, ok := d.Node.(*Socket)
	if !ok {
		return nil, ENOTSOCK
	}
	if !d.Rights.Has(need) {
		return nil, ENOTCAPABLE
	}
	return s, ESUCCESS
}

// RIFlags are sock_recv input flags; ROFlags its output flags.
type (
	RIFlags uint16
	ROFlags uint16
)

// Receive flags. RecvTrunc and RecvDontWait are WASIX's: preview 1
// defines only the first two (package wasi refuses the others).
const (
	RecvPeek          RIFlags = 1 << 0
	RecvWaitAll       RIFlags = 1 << 1
	RecvTrunc         RIFlags = 1 << 2 // accepted; truncation is reported in ROFlags either way
	RecvDontWait      RIFlags = 1 << 3 // this call does not block (MSG_DONTWAIT)
	RecvDataTruncated ROFlags = 1 << 0
)

// SendDontWait is WASIX's siflags SEND_DONT_WAIT: this send does not
// block. Preview 1 defines no send flags.
const SendDontWait uint16 = 1 << 0

// SDFlags select what sock_shutdown shuts.
type SDFlags uint8

// Shutdown flags.
const (
	ShutRead  SDFlags = 1 << 0
	ShutWrite SDFlags = 1 << 1
)

// checkNet asks the network policy about op (OpConnect, OpSend: the
// connect rules; OpBind: the bind rules; OpListen: ListenPolicy or the
// bind rules; OpRecv: RecvPolicy or the connect rules). No policy denies.
// A refusal is audited.
func (p *Process) checkNet(ctx context.Context, op Op, network string, addr netip.AddrPort) Errno {
	var err error = EACCES
	if p.net != nil {
		switch op {
		case OpConnect, OpSend:
			err = p.net.CheckConnect(network, addr)
		case OpListen:
			if lp, ok := p.net.(ListenPolicy); ok {
				err = lp.CheckListen(network, addr)
			} else {
				err = p.net.CheckBind(network, addr)
			}
		case OpRecv:
			if rp, ok := p.net.(RecvPolicy); ok {
				err = rp.CheckRecv(network, addr)
			} else {
				err = p.net.CheckConnect(network, addr)
			}
		default:
			err = p.net.CheckBind(network, addr)
		}
	}
	if err == nil {
		return ESUCCESS
	}
	e := denialErrno(err)
	p.audit(ctx, AuditEvent{Op: op, Addr: addr, Network: network, Errno: e, Err: err})
	return e
}

func addrPort(sa unix.Sockaddr) netip.AddrPort {
	switch sa := sa.(type) {
	case *unix.SockaddrInet4:
		return netip.AddrPortFrom(netip.AddrFrom4(sa.Addr), uint16(sa.Port))
	case *unix.SockaddrInet6:
		return netip.AddrPortFrom(netip.AddrFrom16(sa.Addr), uint16(sa.Port))
	}
	return netip.AddrPort{}
}

// Resolve returns the addresses of the host name name if the network
// policy allows name resolution (a ResolvePolicy); without one it is
// refused with EACCES. Both outcomes are audited. A name that does not
// exist is ENOENT, other lookup failures EIO (ECANCELED when ctx ends).
func (p *Process) Resolve(ctx context.Context, name string) ([]netip.Addr, Errno) {
	var err error = EACCES
	if rp, ok := p.net.(ResolvePolicy); ok {
		err = rp.CheckResolve(name)
	}
	if err != nil {
		e := denialErrno(err)
		p.audit(ctx, AuditEvent{Op: OpResolve, Path: name, Errno: e, Err: err})
		return nil, e
	}
	if ctx == nil {
		ctx = context.Background()
	}
	addrs, lerr := net.DefaultResolver.LookupNetIP(ctx, "ip", name)
	e := ESUCCESS
	var dnsErr *net.DNSError
	switch {
	case lerr == nil:
	case ctx.Err() != nil:
		e = ECANCELED
	case errors.As(lerr, &dnsErr) && dnsErr.IsNotFound:
		e = ENOENT
	default:
		e = EIO
	}
	p.audit(ctx, AuditEvent{Op: OpResolve, Path: name, Allowed: true, Errno: e})
	if e != ESUCCESS {
		return nil, e
	}
	for i, a := range addrs {
		addrs[i] = a.Unmap()
	}
	return addrs, ESUCCESS
}
