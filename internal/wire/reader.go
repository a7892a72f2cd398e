// Package wire reads the little-endian forms in which engines serialize
// compiled code (their parts of compilation cache entries and
// artifacts). A Reader's error is sticky: after the first failure every
// read returns zero and nothing is left, so a decoder checks once, at
// the end or before it acts on what it read, and a damaged input can
// never make it read out of bounds or allocate by a count the input
// cannot hold.
package wire

import (
	"encoding/binary"
	"fmt"
)

// Reader reads B from its start.
type Reader struct {
	B   []byte // what is left to read
	Err error  // the first failure, wrapping Base
	// Base is the error every failure wraps (the engine's format error).
	Base error
}

// Fail records a failure, unless one was recorded already.
func (r *Reader) Fail(format string, args ...any) {
	if r.Err == nil {
		r.Err = fmt.Errorf("%w: %s", r.Base, fmt.Sprintf(format, args...))
	}
	r.B = nil
}

// Take returns the next n bytes (capacity n), or nil after a failure.
func (r *Reader) Take(n int) []byte {
	if r.Err != nil {
		return nil
	}
	if n < 0 || len(r.B) < n {
		r.Fail("truncated")
		return nil
	}
	p := r.B[:n:n]
	r.B = r.B[n:]
	return p
}

func (r *Reader) U8() uint8 {
	if p := r.Take(1); p != nil {
		return p[0]
	}
	return 0
}

func (r *Reader) U32() uint32 {
	if p := r.Take(4); p != nil {
		return binary.LittleEndian.Uint32(p)
	}
	return 0
}

func (r *Reader) U64() uint64 {
	if p := r.Take(8); p != nil {
		return binary.LittleEndian.Uint64(p)
	}
	return 0
}

func (r *Reader) Bool() bool { return r.U8() != 0 }

// Bytes reads a u32 length and that many bytes.
func (r *Reader) Bytes() []byte { return r.Take(int(r.U32())) }

// Count reads an element count (u32) and checks that the bytes left can
// hold that many elements of at least size bytes each.
func (r *Reader) Count(size int) int {
	n := int(r.U32())
	if r.Err == nil && n > len(r.B)/size {
		r.Fail("count %d exceeds the %d bytes left", n, len(r.B))
		return 0
	}
	return n
}

// AppendBytes appends p with its u32 length, as Bytes reads it.
func AppendBytes(b, p []byte) []byte {
	b = binary.LittleEndian.AppendUint32(b, uint32(len(p)))
	return append(b, p...)
}
