package wasi

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
)

func sockAccept(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	flags, ok := u16arg(a[1])
	if !ok {
		return kernel.EINVAL
	}
	ptr := uint32(a[2])
	if !g.check(ptr, 4) {
		return kernel.EFAULT
	}
	fd, e := s.proc.SockAccept(ctx, uint32(a[0]), vfs.FDFlags(flags))
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU32(ptr, fd)
}

func sockRecv(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	ri, ok := u16arg(a[3])
	if !ok || ri&^uint16(kernel.RecvPeek|kernel.RecvWaitAll) != 0 { // preview 1 has no other flags
		return kernel.EINVAL
	}
	lenPtr, flagsPtr := uint32(a[4]), uint32(a[5])
	if !g.check(lenPtr, 4) || !g.check(flagsPtr, 2) {
		return kernel.EFAULT
	}
	bufs, e := g.iovecs(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	n, ro, e := s.proc.SockRecv(ctx, uint32(a[0]), bufs, kernel.RIFlags(ri))
	if e != kernel.ESUCCESS {
		return e
	}
	g.putU32(lenPtr, uint32(n))
	g[flagsPtr] = byte(ro)
	g[flagsPtr+1] = byte(ro >> 8)
	return kernel.ESUCCESS
}

func sockSend(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	si, ok := u16arg(a[3])
	if !ok || si != 0 { // preview 1 defines no send flags
		return kernel.EINVAL
	}
	ptr := uint32(a[4])
	if !g.check(ptr, 4) {
		return kernel.EFAULT
	}
	bufs, e := g.iovecs(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	n, e := s.proc.SockSend(ctx, uint32(a[0]), bufs, si)
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU32(ptr, uint32(n))
}

func sockShutdown(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	how, ok := u8arg(a[1])
	if !ok {
		return kernel.EINVAL
	}
	return s.proc.SockShutdown(uint32(a[0]), kernel.SDFlags(how))
}
