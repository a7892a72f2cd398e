package wasi

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
)

func fdAdvise(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	advice, ok := u8arg(a[3])
	if !ok {
		return kernel.EINVAL
	}
	return s.proc.FDAdvise(uint32(a[0]), a[1], a[2], vfs.Advice(advice))
}

func fdAllocate(s *System, ctx context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDAllocate(ctx, uint32(a[0]), a[1], a[2])
}

func fdClose(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDClose(uint32(a[0]))
}

func fdDatasync(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDDatasync(uint32(a[0]))
}

func fdSync(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDSync(uint32(a[0]))
}

func fdFdstatGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	out, e := g.bytes(uint32(a[1]), sizeFdstat)
	if e != kernel.ESUCCESS {
		return e
	}
	st, e := s.proc.FDFdstatGet(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	putFdstat(out, st)
	return kernel.ESUCCESS
}

func fdFdstatSetFlags(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	flags, ok := u16arg(a[1])
	if !ok {
		return kernel.EINVAL
	}
	return s.proc.FDFdstatSetFlags(uint32(a[0]), vfs.FDFlags(flags))
}

func fdFdstatSetRights(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDFdstatSetRights(uint32(a[0]), kernel.Rights(a[1]), kernel.Rights(a[2]))
}

func fdFilestatGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	out, e := g.bytes(uint32(a[1]), sizeFilestat)
	if e != kernel.ESUCCESS {
		return e
	}
	st, e := s.proc.FDFilestatGet(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	putFilestat(out, st)
	return kernel.ESUCCESS
}

func fdFilestatSetSize(s *System, ctx context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDFilestatSetSize(ctx, uint32(a[0]), a[1])
}

func fdFilestatSetTimes(s *System, ctx context.Context, _ guest, a []uint64) kernel.Errno {
	fst, ok := u16arg(a[3])
	if !ok {
		return kernel.EINVAL
	}
	return s.proc.FDFilestatSetTimes(ctx, uint32(a[0]), a[1], a[2], kernel.FSTFlags(fst))
}

// transfer is the shape shared by fd_read, fd_write, fd_pread and
// fd_pwrite: an iovec array, an operation, and the byte count stored at
// resultPtr.
func transfer(g guest, iovs, n, resultPtr uint32, op func([][]byte) (int, kernel.Errno)) kernel.Errno {
	if !g.check(resultPtr, 4) {
		return kernel.EFAULT
	}
	bufs, e := g.iovecs(iovs, n)
	if e != kernel.ESUCCESS {
		return e
	}
	count, e := op(bufs)
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU32(resultPtr, uint32(count))
}

func fdRead(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	fd := uint32(a[0])
	return transfer(g, uint32(a[1]), uint32(a[2]), uint32(a[3]), func(b [][]byte) (int, kernel.Errno) {
		return s.proc.FDRead(ctx, fd, b)
	})
}

func fdWrite(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	fd := uint32(a[0])
	return transfer(g, uint32(a[1]), uint32(a[2]), uint32(a[3]), func(b [][]byte) (int, kernel.Errno) {
		return s.proc.FDWrite(ctx, fd, b)
	})
}

func fdPread(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	fd, off := uint32(a[0]), a[3]
	return transfer(g, uint32(a[1]), uint32(a[2]), uint32(a[4]), func(b [][]byte) (int, kernel.Errno) {
		return s.proc.FDPread(fd, b, off)
	})
}

func fdPwrite(s *System, ctx context.Context, g guest, a []uint64) kernel.Errno {
	fd, off := uint32(a[0]), a[3]
	return transfer(g, uint32(a[1]), uint32(a[2]), uint32(a[4]), func(b [][]byte) (int, kernel.Errno) {
		return s.proc.FDPwrite(ctx, fd, b, off)
	})
}

func fdPrestatGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	out, e := g.bytes(uint32(a[1]), sizePrestat)
	if e != kernel.ESUCCESS {
		return e
	}
	name, e := s.proc.FDPrestatGet(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	clear(out)
	out[0] = 0 // preopentype::dir
	guest(out).putU32(4, uint32(len(name)))
	return kernel.ESUCCESS
}

// fdPrestatDirName copies the preopen's name; a buffer shorter than the
// name is ENAMETOOLONG (the guest asks fd_prestat_get for the length).
func fdPrestatDirName(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	out, e := g.bytes(uint32(a[1]), uint32(a[2]))
	if e != kernel.ESUCCESS {
		return e
	}
	name, e := s.proc.FDPrestatGet(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	if len(out) < len(name) {
		return kernel.ENAMETOOLONG
	}
	copy(out, name)
	return kernel.ESUCCESS
}

// fdReaddir packs entries from cookie on: each a 24-byte dirent header
// followed by the name, until the buffer is full. The last entry may be
// cut short; a result smaller than the buffer means the end was reached.
func fdReaddir(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	fd, bufPtr, bufLen, cookie, usedPtr := uint32(a[0]), uint32(a[1]), uint32(a[2]), a[3], uint32(a[4])
	if !g.check(usedPtr, 4) {
		return kernel.EFAULT
	}
	out, e := g.bytes(bufPtr, bufLen)
	if e != kernel.ESUCCESS {
		return e
	}
	ents, e := s.proc.FDReaddir(fd, cookie)
	if e != kernel.ESUCCESS {
		return e
	}
	used := 0
	var hdr [sizeDirent]byte
	for _, ent := range ents {
		if used == len(out) {
			break
		}
		putDirentHeader(hdr[:], ent)
		used += copy(out[used:], hdr[:])
		used += copy(out[used:], ent.Name)
	}
	return g.putU32(usedPtr, uint32(used))
}

func fdRenumber(s *System, _ context.Context, _ guest, a []uint64) kernel.Errno {
	return s.proc.FDRenumber(uint32(a[0]), uint32(a[1]))
}

func fdSeek(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	ptr := uint32(a[3])
	if !g.check(ptr, 8) {
		return kernel.EFAULT
	}
	whence, ok := u8arg(a[2])
	if !ok {
		return kernel.EINVAL
	}
	pos, e := s.proc.FDSeek(uint32(a[0]), int64(a[1]), whence)
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU64(ptr, pos)
}

func fdTell(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	ptr := uint32(a[1])
	if !g.check(ptr, 8) {
		return kernel.EFAULT
	}
	pos, e := s.proc.FDTell(uint32(a[0]))
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU64(ptr, pos)
}
