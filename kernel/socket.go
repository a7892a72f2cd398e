package kernel

import (
	"net/netip"

	"github.com/kilnrt/kiln/vfs"
	"golang.org/x/sys/unix"
)

// Socket is a host socket owned by the process. Read and write go through
// the embedded vfs.File; the socket calls use the descriptor directly.
type Socket struct {
	vfs.File
	host    vfs.HostDescriptor
	network string // "tcp" or "udp"
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

// Receive flags.
const (
	RecvPeek          RIFlags = 1 << 0
	RecvWaitAll       RIFlags = 1 << 1
	RecvDataTruncated ROFlags = 1 << 0
)

// SDFlags select what sock_shutdown shuts.
type SDFlags uint8

// Shutdown flags.
const (
	ShutRead  SDFlags = 1 << 0
	ShutWrite SDFlags = 1 << 1
)

// checkNet asks the network policy; no policy denies.
func (p *Process) checkNet(op Op, network string, addr netip.AddrPort) Errno {
	var err error = EACCES
	if p.net != nil {
		if op == OpConnect {
			err = p.net.CheckConnect(network, addr)
		} else {
			err = p.net.CheckBind(network, addr)
		}
	}
	if err == nil {
		return ESUCCESS
	}
	e := denialErrno(err)
	p.audit(AuditEvent{Op: op, Addr: addr, Network: network, Errno: e, Err: err})
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
