package wasi

import (
	"encoding/binary"
	"unicode/utf8"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
)

// Mem is the calling instance's linear memory for the duration of one
// host call, as the ABI of a WASI-family module reads it. Pointers and
// sizes are 64-bit values: an i32 parameter zero-extended for a 32-bit
// guest (wasi_snapshot_preview1, wasix_32v1), the i64 itself for a 64-bit
// one (wasix_64v1 over memory64). Is64 selects the width of pointers and
// sizes stored in guest structures (iovecs, Ptr, PutPtr). Every accessor
// checks bounds; a failed check is EFAULT, never a panic.
type Mem struct {
	buf  []byte
	is64 bool
	// caller is the host call's caller, nil for a Mem made by NewMem.
	caller *kiln.Caller
}

// NewMem wraps a linear memory's bytes; is64 selects 64-bit pointers in
// guest structures.
func NewMem(buf []byte, is64 bool) Mem { return Mem{buf: buf, is64: is64} }

// Caller returns the host call's caller, for the calls that need the
// calling instance or its memory object rather than the bytes (WASIX
// thread_spawn_v2 and futexes); nil for a Mem made by NewMem.
func (m Mem) Caller() *kiln.Caller { return m.caller }

// Is64 reports whether guest structures hold 64-bit pointers.
func (m Mem) Is64() bool { return m.is64 }

// Len returns the memory's size in bytes.
func (m Mem) Len() uint64 { return uint64(len(m.buf)) }

// check reports whether [ptr, ptr+n) lies inside the memory.
func (m Mem) check(ptr, n uint64) bool {
	end := ptr + n
	return end >= ptr && end <= uint64(len(m.buf))
}

// Bytes returns the memory range [ptr, ptr+n), aliasing the memory.
func (m Mem) Bytes(ptr, n uint64) ([]byte, kernel.Errno) {
	if !m.check(ptr, n) {
		return nil, kernel.EFAULT
	}
	end := ptr + n
	return m.buf[ptr:end:end], kernel.ESUCCESS
}

// U8 loads a byte.
func (m Mem) U8(ptr uint64) (uint8, kernel.Errno) {
	if !m.check(ptr, 1) {
		return 0, kernel.EFAULT
	}
	return m.buf[ptr], kernel.ESUCCESS
}

// U16 loads a little-endian uint16.
func (m Mem) U16(ptr uint64) (uint16, kernel.Errno) {
	if !m.check(ptr, 2) {
		return 0, kernel.EFAULT
	}
	return binary.LittleEndian.Uint16(m.buf[ptr:]), kernel.ESUCCESS
}

// U32 loads a little-endian uint32.
func (m Mem) U32(ptr uint64) (uint32, kernel.Errno) {
	if !m.check(ptr, 4) {
		return 0, kernel.EFAULT
	}
	return binary.LittleEndian.Uint32(m.buf[ptr:]), kernel.ESUCCESS
}

// U64 loads a little-endian uint64.
func (m Mem) U64(ptr uint64) (uint64, kernel.Errno) {
	if !m.check(ptr, 8) {
		return 0, kernel.EFAULT
	}
	return binary.LittleEndian.Uint64(m.buf[ptr:]), kernel.ESUCCESS
}

// PutU8 stores a byte.
func (m Mem) PutU8(ptr uint64, v uint8) kernel.Errno {
	if !m.check(ptr, 1) {
		return kernel.EFAULT
	}
	m.buf[ptr] = v
	return kernel.ESUCCESS
}

// PutU16 stores a little-endian uint16.
func (m Mem) PutU16(ptr uint64, v uint16) kernel.Errno {
	if !m.check(ptr, 2) {
		return kernel.EFAULT
	}
	binary.LittleEndian.PutUint16(m.buf[ptr:], v)
	return kernel.ESUCCESS
}

// PutU32 stores a little-endian uint32.
func (m Mem) PutU32(ptr uint64, v uint32) kernel.Errno {
	if !m.check(ptr, 4) {
		return kernel.EFAULT
	}
	binary.LittleEndian.PutUint32(m.buf[ptr:], v)
	return kernel.ESUCCESS
}

// PutU64 stores a little-endian uint64.
func (m Mem) PutU64(ptr uint64, v uint64) kernel.Errno {
	if !m.check(ptr, 8) {
		return kernel.EFAULT
	}
	binary.LittleEndian.PutUint64(m.buf[ptr:], v)
	return kernel.ESUCCESS
}

// PtrSize is the size of a pointer (or size_t) in guest structures: 4,
// or 8 for a 64-bit guest.
func (m Mem) PtrSize() uint64 {
	if m.is64 {
		return 8
	}
	return 4
}

// Ptr loads a pointer or size_t stored in a guest structure.
func (m Mem) Ptr(ptr uint64) (uint64, kernel.Errno) {
	if m.is64 {
		return m.U64(ptr)
	}
	v, e := m.U32(ptr)
	return uint64(v), e
}

// PutPtr stores a pointer or size_t into a guest structure; for a 32-bit
// guest a value above 4 GiB is EOVERFLOW.
func (m Mem) PutPtr(ptr, v uint64) kernel.Errno {
	if m.is64 {
		return m.PutU64(ptr, v)
	}
	if v > 0xFFFFFFFF {
		return kernel.EOVERFLOW
	}
	return m.PutU32(ptr, uint32(v))
}

// PutU32Pair stores two results (the sizes_get functions and sock_recv),
// checking both locations before writing either.
func (m Mem) PutU32Pair(p1 uint64, v1 uint32, p2 uint64, v2 uint32) kernel.Errno {
	if !m.check(p1, 4) || !m.check(p2, 4) {
		return kernel.EFAULT
	}
	m.PutU32(p1, v1)
	m.PutU32(p2, v2)
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

// Path reads a path argument: a UTF-8 string of n bytes at ptr. Invalid
// UTF-8 is EILSEQ and an embedded NUL is EINVAL (the host could not
// represent it); more than 4096 bytes is ENAMETOOLONG.
func (m Mem) Path(ptr, n uint64) (string, kernel.Errno) {
	b, e := m.Bytes(ptr, n)
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

// Iovecs reads an iovec (or ciovec) array of n entries at ptr ({ptr, len}
// of 8 bytes, 16 for a 64-bit guest) and returns the buffers it names,
// aliasing guest memory. More than 1024 entries is EINVAL.
func (m Mem) Iovecs(ptr, n uint64) ([][]byte, kernel.Errno) {
	size := 2 * m.PtrSize()
	if n > uint64(len(m.buf)) || !m.check(ptr, n*size) {
		return nil, kernel.EFAULT
	}
	if n > maxIovecs {
		return nil, kernel.EINVAL
	}
	bufs := make([][]byte, n)
	for i := uint64(0); i < n; i++ {
		at := ptr + i*size
		buf, _ := m.Ptr(at) // in range: checked above
		l, _ := m.Ptr(at + m.PtrSize())
		b, e := m.Bytes(buf, l)
		if e != kernel.ESUCCESS {
			return nil, e
		}
		bufs[i] = b
	}
	return bufs, kernel.ESUCCESS
}

// guest is the 32-bit view of Mem that the preview 1 functions use: their
// pointers and sizes are i32 parameters.
type guest []byte

func (g guest) mem() Mem { return Mem{buf: g} }

func (g guest) check(ptr, n uint32) bool { return g.mem().check(uint64(ptr), uint64(n)) }

func (g guest) bytes(ptr, n uint32) ([]byte, kernel.Errno) {
	return g.mem().Bytes(uint64(ptr), uint64(n))
}

func (g guest) putU32(ptr, v uint32) kernel.Errno { return g.mem().PutU32(uint64(ptr), v) }

func (g guest) putU64(ptr uint32, v uint64) kernel.Errno { return g.mem().PutU64(uint64(ptr), v) }

func (g guest) putU32Pair(p1, v1, p2, v2 uint32) kernel.Errno {
	return g.mem().PutU32Pair(uint64(p1), v1, uint64(p2), v2)
}

func (g guest) path(ptr, n uint32) (string, kernel.Errno) {
	return g.mem().Path(uint64(ptr), uint64(n))
}

func (g guest) iovecs(ptr, n uint32) ([][]byte, kernel.Errno) {
	return g.mem().Iovecs(uint64(ptr), uint64(n))
}
