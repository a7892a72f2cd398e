//go:build !linux

package kernel

import (
	"context"
	"net/netip"
	"time"

	"github.com/kilnrt/kiln/vfs"
)

// SockPair reports ENOSYS on this system.
func (p *Process) SockPair(ctx context.Context, stream bool) (FD, FD, Errno) { return 0, 0, ENOSYS }

// SockSetFlag reports ENOSYS on this system.
func (p *Process) SockSetFlag(fd FD, opt SockOption, on bool) Errno { return p.noSocket(fd) }

// SockGetFlag reports ENOSYS on this system.
func (p *Process) SockGetFlag(fd FD, opt SockOption) (bool, Errno) { return false, p.noSocket(fd) }

// SockSetSize reports ENOSYS on this system.
func (p *Process) SockSetSize(fd FD, opt SockOption, size uint64) Errno { return p.noSocket(fd) }

// SockGetSize reports ENOSYS on this system.
func (p *Process) SockGetSize(fd FD, opt SockOption) (uint64, Errno) { return 0, p.noSocket(fd) }

// SockSetTime reports ENOSYS on this system.
func (p *Process) SockSetTime(fd FD, opt SockOption, d time.Duration, set bool) Errno {
	return p.noSocket(fd)
}

// SockGetTime reports ENOSYS on this system.
func (p *Process) SockGetTime(fd FD, opt SockOption) (time.Duration, bool, Errno) {
	return 0, false, p.noSocket(fd)
}

// SockMulticast reports ENOSYS on this system.
func (p *Process) SockMulticast(ctx context.Context, fd FD, group, iface netip.Addr, ifindex uint32, join bool) Errno {
	return p.noSocket(fd)
}

// SockStatus reports ENOSYS on this system.
func (p *Process) SockStatus(fd FD) (SockStatus, Errno) { return 0, p.noSocket(fd) }

// SockSendFile reports ENOSYS on this system.
func (p *Process) SockSendFile(ctx context.Context, out, in FD, offset, count uint64) (uint64, Errno) {
	return 0, p.noSocket(out)
}

// SockAcceptFrom reports ENOSYS on this system.
func (p *Process) SockAcceptFrom(ctx context.Context, fd FD, flags vfs.FDFlags) (FD, netip.AddrPort, Errno) {
	return 0, netip.AddrPort{}, p.noSocket(fd)
}
