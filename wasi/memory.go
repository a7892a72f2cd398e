package wasi

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/kilnrt/kiln/kernel"
)

// guest is the calling instance's linear memory for the duration of one
// host call. Every accessor checks bounds; a failed check is EFAULT.
type guest []byte

// check reports whether [ptr, ptr+n) lies inside the memory.
func (g guest) check(ptr, n uint32) bool {
	return uint64(ptr)+uint64(n) <= uint64(len(g))
}

// bytes returns the memory range [ptr, ptr+n), aliasing the memory.
func (g guest) bytes(ptr, n uint32) ([]byte, kernel.Errno) {
	if !g.check(ptr, n) {
		return nil, kernel.EFAULT
	}
	end := uint64(ptr) + uint64(n)
	return g[ptr:end:end], kernel.ESUCCESS
}

func (g guest) putU32(ptr, v uint32) kernel.Errno {
	if !g.check(ptr, 4) {
		return kernel.EFAULT
	}
	binary.LittleEndian.PutUint32(g[ptr:], v)
	return kernel.ESUCCESS
}

func (g guest) putU64(ptr uint32, v uint64) kernel.Errno {
	if !g.check(ptr, 8) {
		return kernel.EFAULT
	}
	binary.LittleEndian.PutUint64(g[ptr:], v)
	return kernel.ESUCCESS
}

// putU32Pair stores two results (the sizes_get functions and sock_recv),
// checking both locations before writing either.
func (g guest) putU32Pair(p1, v1, p2, v2 uint32) kernel.Errno {
	if !g.check(p1, 4) || !g.check(p2, 4) {
		return kernel.EFAULT
	}
	g.putU32(p1, v1)
	g.putU32(p2, v2)
	return kernel.ESUCCESS
}

// Limits on what one call may ask the host to allocate.
const (
	// maxPath is the longest path accepted (Linux PATH_MAX); longer
	// ones are ENAMETOOLONG, as the host would say.
	maxPath = 4096
	// maxIovecs is the most iovecs one call may pass (IOV_MAX of
	// wasi-libc and Linux); more is EINVAL, as readv(2) says.
	maxIovecs = 1024
)

// path reads a path argument: a UTF-8 string of n bytes at ptr. Invalid
// UTF-8 is EILSEQ and an embedded NUL is EINVAL (the host could not
// represent it).
func (g guest) path(ptr, n uint32) (string, kernel.Errno) {
	b, e := g.bytes(ptr, n)
	if e != kernel.ESUCCESS {
		return "", e
	}
	if n > maxPath {
		return "", kernel.ENAMETOOLONG
	}
	if !utf8.Valid(b) {
		return "", kernel.EILSEQ
	}
	for _, c := range b {
		if c == 0 {
			return "", kernel.EINVAL
		}
	}
	return string(b), kernel.ESUCCESS
}

// iovecs reads an iovec (or ciovec) array of n entries at ptr and returns
// the buffers it names, aliasing guest memory.
func (g guest) iovecs(ptr, n uint32) ([][]byte, kernel.Errno) {
	if uint64(ptr)+uint64(n)*sizeIovec > uint64(len(g)) {
		return nil, kernel.EFAULT
	}
	if n > maxIovecs {
		return nil, kernel.EINVAL
	}
	bufs := make([][]byte, n)
	for i := uint32(0); i < n; i++ {
		at := ptr + i*sizeIovec
		buf := binary.LittleEndian.Uint32(g[at:])
		l := binary.LittleEndian.Uint32(g[at+4:])
		b, e := g.bytes(buf, l)
		if e != kernel.ESUCCESS {
			return nil, e
		}
		bufs[i] = b
	}
	return bufs, kernel.ESUCCESS
}
