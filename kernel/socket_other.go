//go:build !linux

package kernel

import (
	"context"
	"fmt"
	"net/netip"

	"github.com/kilnrt/kiln/vfs"
)

// Sockets need Linux for now: every socket call reports ENOSYS (after the
// usual EBADF/ENOTSOCK checks, so non-sockets still get those).

// InsertSocket reports ENOSYS on this system.
func (p *Process) InsertSocket(ctx context.Context, hostFD int) (FD, error) {
	return 0, fmt.Errorf("kernel: insert socket: %w", ENOSYS)
}

func (p *Process) noSocket(fd FD) Errno {
	if _, e := p.socket(fd, 0); e != ESUCCESS {
		return e
	}
	return ENOSYS
}

// SockAccept reports ENOSYS on this system.
func (p *Process) SockAccept(ctx context.Context, fd FD, flags vfs.FDFlags) (FD, Errno) {
	return 0, p.noSocket(fd)
}

// SockRecv reports ENOSYS on this system.
func (p *Process) SockRecv(ctx context.Context, fd FD, iovs [][]byte, ri RIFlags) (int, ROFlags, Errno) {
	return 0, 0, p.noSocket(fd)
}

// SockSend reports ENOSYS on this system.
func (p *Process) SockSend(ctx context.Context, fd FD, iovs [][]byte, siflags uint16) (int, Errno) {
	return 0, p.noSocket(fd)
}

// SockRecvFrom reports ENOSYS on this system.
func (p *Process) SockRecvFrom(ctx context.Context, fd FD, iovs [][]byte, ri RIFlags) (int, ROFlags, netip.AddrPort, Errno) {
	return 0, 0, netip.AddrPort{}, p.noSocket(fd)
}

// SockSendTo reports ENOSYS on this system.
func (p *Process) SockSendTo(ctx context.Context, fd FD, iovs [][]byte, siflags uint16, addr netip.AddrPort) (int, Errno) {
	return 0, p.noSocket(fd)
}

func (p *Process) recv(ctx context.Context, s *Socket, iovs [][]byte, ri RIFlags) (int, ROFlags, netip.AddrPort, Errno) {
	return 0, 0, netip.AddrPort{}, ENOSYS
}

func (p *Process) send(ctx context.Context, s *Socket, iovs [][]byte, to netip.AddrPort, dontWait bool) (int, Errno) {
	return 0, ENOSYS
}

// SockShutdown reports ENOSYS on this system.
func (p *Process) SockShutdown(fd FD, how SDFlags) Errno { return p.noSocket(fd) }

// SockOpen reports ENOSYS on this system.
func (p *Process) SockOpen(ctx context.Context, network string, v6 bool) (FD, Errno) {
	return 0, ENOSYS
}

// SockConnect reports ENOSYS on this system.
func (p *Process) SockConnect(ctx context.Context, fd FD, addr netip.AddrPort) Errno {
	return p.noSocket(fd)
}

// SockBind reports ENOSYS on this system.
func (p *Process) SockBind(ctx context.Context, fd FD, addr netip.AddrPort) Errno {
	return p.noSocket(fd)
}

// SockListen reports ENOSYS on this system.
func (p *Process) SockListen(ctx context.Context, fd FD, backlog int) Errno { return p.noSocket(fd) }

// SockAddrLocal reports ENOSYS on this system.
func (p *Process) SockAddrLocal(fd FD) (netip.AddrPort, Errno) {
	return netip.AddrPort{}, p.noSocket(fd)
}

// SockAddrPeer reports ENOSYS on this system.
func (p *Process) SockAddrPeer(fd FD) (netip.AddrPort, Errno) {
	return netip.AddrPort{}, p.noSocket(fd)
}
