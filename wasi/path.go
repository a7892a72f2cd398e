package wasi

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
)

// lookupArg converts a lookupflags parameter; unknown bits are EINVAL.
func lookupArg(v uint64) (vfs.LookupFlags, kernel.Errno) {
	if uint32(v)&^uint32(vfs.FollowSymlinks) != 0 {
		return 0, kernel.EINVAL
	}
	return vfs.LookupFlags(v), kernel.ESUCCESS
}

// pathOp is the shape of path functions taking (fd, path, path_len).
func pathOp(ctx context.Context, g guest, a []uint64, op func(ctx context.Context, fd uint32, path string) kernel.Errno) kernel.Errno {
	p, e := g.path(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	return op(ctx, uint32(a[0]), p)
}

func pathCreateDirectory(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	return pathOp(ctx, g, a, s.proc.PathCreateDirectory)
}

func pathRemoveDirectory(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	return pathOp(ctx, g, a, s.proc.PathRemoveDirectory)
}

func pathUnlinkFile(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	return pathOp(ctx, g, a, s.proc.PathUnlinkFile)
}

func pathFilestatGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	lf, e := lookupArg(a[1])
	if e != kernel.ESUCCESS {
		return e
	}
	p, e := g.path(uint32(a[2]), uint32(a[3]))
	if e != kernel.ESUCCESS {
		return e
	}
	out, e := g.bytes(uint32(a[4]), sizeFilestat)
	if e != kernel.ESUCCESS {
		return e
	}
	st, e := s.proc.PathFilestatGet(uint32(a[0]), lf, p)
	if e != kernel.ESUCCESS {
		return e
	}
	putFilestat(out, st)
	return kernel.ESUCCESS
}

func pathFilestatSetTimes(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	lf, e := lookupArg(a[1])
	if e != kernel.ESUCCESS {
		return e
	}
	p, e := g.path(uint32(a[2]), uint32(a[3]))
	if e != kernel.ESUCCESS {
		return e
	}
	fst, ok := u16arg(a[6])
	if !ok {
		return kernel.EINVAL
	}
	return s.proc.PathFilestatSetTimes(ctx, uint32(a[0]), lf, p, a[4], a[5], kernel.FSTFlags(fst))
}

func pathLink(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	lf, e := lookupArg(a[1])
	if e != kernel.ESUCCESS {
		return e
	}
	oldPath, e := g.path(uint32(a[2]), uint32(a[3]))
	if e != kernel.ESUCCESS {
		return e
	}
	newPath, e := g.path(uint32(a[5]), uint32(a[6]))
	if e != kernel.ESUCCESS {
		return e
	}
	return s.proc.PathLink(ctx, uint32(a[0]), lf, oldPath, uint32(a[4]), newPath)
}

func pathOpen(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	lf, e := lookupArg(a[1])
	if e != kernel.ESUCCESS {
		return e
	}
	p, e := g.path(uint32(a[2]), uint32(a[3]))
	if e != kernel.ESUCCESS {
		return e
	}
	of, ok1 := u16arg(a[4])
	fl, ok2 := u16arg(a[7])
	if !ok1 || !ok2 {
		return kernel.EINVAL
	}
	ptr := uint32(a[8])
	if !g.check(ptr, 4) {
		return kernel.EFAULT
	}
	fd, e := s.proc.PathOpen(ctx, uint32(a[0]), lf, p, vfs.OFlags(of), kernel.Rights(a[5]), kernel.Rights(a[6]), vfs.FDFlags(fl))
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU32(ptr, fd)
}

// pathReadlink stores as much of the link target as fits in the buffer
// and the number of bytes stored.
func pathReadlink(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	p, e := g.path(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	out, e := g.bytes(uint32(a[3]), uint32(a[4]))
	if e != kernel.ESUCCESS {
		return e
	}
	ptr := uint32(a[5])
	if !g.check(ptr, 4) {
		return kernel.EFAULT
	}
	target, e := s.proc.PathReadlink(uint32(a[0]), p)
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU32(ptr, uint32(copy(out, target)))
}

func pathRename(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	oldPath, e := g.path(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	newPath, e := g.path(uint32(a[4]), uint32(a[5]))
	if e != kernel.ESUCCESS {
		return e
	}
	return s.proc.PathRename(ctx, uint32(a[0]), oldPath, uint32(a[3]), newPath)
}

func pathSymlink(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	target, e := g.path(uint32(a[0]), uint32(a[1]))
	if e != kernel.ESUCCESS {
		return e
	}
	p, e := g.path(uint32(a[3]), uint32(a[4]))
	if e != kernel.ESUCCESS {
		return e
	}
	return s.proc.PathSymlink(ctx, target, uint32(a[2]), p)
}
