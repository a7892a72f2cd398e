package wasi

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
)

// putStrings stores a NUL-terminated string list the way args_get and
// environ_get do: pointers to the strings at ptrs, the bytes at buf. Both
// ranges are checked before anything is written.
func putStrings(g guest, list []string, ptrs, buf uint32) kernel.Errno {
	total := uint64(0)
	for _, s := range list {
		total += uint64(len(s)) + 1
	}
	if total > 1<<32-1 || !g.check(ptrs, uint32(len(list))*4) || !g.check(buf, uint32(total)) {
		return kernel.EFAULT
	}
	at := buf
	for i, s := range list {
		g.putU32(ptrs+uint32(i)*4, at)
		copy(g[at:], s)
		g[at+uint32(len(s))] = 0
		at += uint32(len(s)) + 1
	}
	return kernel.ESUCCESS
}

// putSizes stores the count and total size (with NULs) of a string list.
func putSizes(g guest, list []string, countPtr, sizePtr uint32) kernel.Errno {
	size := 0
	for _, s := range list {
		size += len(s) + 1
	}
	return g.putU32Pair(countPtr, uint32(len(list)), sizePtr, uint32(size))
}

func argsGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	return putStrings(g, s.proc.Args(), uint32(a[0]), uint32(a[1]))
}

func argsSizesGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	return putSizes(g, s.proc.Args(), uint32(a[0]), uint32(a[1]))
}

func environGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	return putStrings(g, s.proc.Environ(), uint32(a[0]), uint32(a[1]))
}

func environSizesGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	return putSizes(g, s.proc.Environ(), uint32(a[0]), uint32(a[1]))
}

func clockResGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	ptr := uint32(a[1])
	if !g.check(ptr, 8) {
		return kernel.EFAULT
	}
	res, e := s.proc.ClockResGet(kernel.ClockID(uint32(a[0])))
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU64(ptr, res)
}

func clockTimeGet(s *System, _ context.Context, g guest, a []uint64) kernel.Errno {
	ptr := uint32(a[2])
	if !g.check(ptr, 8) {
		return kernel.EFAULT
	}
	t, e := s.proc.ClockTimeGet(kernel.ClockID(uint32(a[0])), a[1])
	if e != kernel.ESUCCESS {
		return e
	}
	return g.putU64(ptr, t)
}
