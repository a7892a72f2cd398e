package kiln

import (
	"encoding/binary"
	"math"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Memory is a linear memory. Accessors report out-of-range accesses with
// ok == false instead of panicking.
type Memory struct {
	m *store.Memory
}

// Type returns the memory's type.
func (m *Memory) Type() wasm.MemoryType { return m.m.Type }

// Size returns the current size in pages.
func (m *Memory) Size() uint32 { return m.m.Pages() }

// Grow adds delta pages and returns the previous size, or false if the
// memory cannot grow that much.
func (m *Memory) Grow(delta uint32) (uint32, bool) {
	old, ok := m.m.Grow(uint64(delta))
	return uint32(old), ok
}

// Bytes returns the memory's contents. The slice is invalidated by Grow
// (and by memory.grow in wasm code).
func (m *Memory) Bytes() []byte { return m.m.Bytes() }

func (m *Memory) span(off, n uint32) ([]byte, bool) {
	end := uint64(off) + uint64(n)
	b := m.m.Bytes()
	if end > uint64(len(b)) {
		return nil, false
	}
	return b[off:end:end], true
}

// Read returns a view of n bytes at off (not a copy).
func (m *Memory) Read(off, n uint32) ([]byte, bool) { return m.span(off, n) }

// Write copies b to off.
func (m *Memory) Write(off uint32, b []byte) bool {
	s, ok := m.span(off, uint32(len(b)))
	if !ok || uint64(len(b)) > math.MaxUint32 {
		return false
	}
	copy(s, b)
	return true
}

// ReadUint8 reads a byte.
func (m *Memory) ReadUint8(off uint32) (uint8, bool) {
	s, ok := m.span(off, 1)
	if !ok {
		return 0, false
	}
	return s[0], true
}

// ReadUint16 reads a little-endian uint16.
func (m *Memory) ReadUint16(off uint32) (uint16, bool) {
	s, ok := m.span(off, 2)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint16(s), true
}

// ReadUint32 reads a little-endian uint32.
func (m *Memory) ReadUint32(off uint32) (uint32, bool) {
	s, ok := m.span(off, 4)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint32(s), true
}

// ReadUint64 reads a little-endian uint64.
func (m *Memory) ReadUint64(off uint32) (uint64, bool) {
	s, ok := m.span(off, 8)
	if !ok {
		return 0, false
	}
	return binary.LittleEndian.Uint64(s), true
}

// ReadFloat32 reads a little-endian float32.
func (m *Memory) ReadFloat32(off uint32) (float32, bool) {
	v, ok := m.ReadUint32(off)
	return math.Float32frombits(v), ok
}

// ReadFloat64 reads a little-endian float64.
func (m *Memory) ReadFloat64(off uint32) (float64, bool) {
	v, ok := m.ReadUint64(off)
	return math.Float64frombits(v), ok
}

// WriteUint8 writes a byte.
func (m *Memory) WriteUint8(off uint32, v uint8) bool {
	s, ok := m.span(off, 1)
	if ok {
		s[0] = v
	}
	return ok
}

// WriteUint16 writes a little-endian uint16.
func (m *Memory) WriteUint16(off uint32, v uint16) bool {
	s, ok := m.span(off, 2)
	if ok {
		binary.LittleEndian.PutUint16(s, v)
	}
	return ok
}

// WriteUint32 writes a little-endian uint32.
func (m *Memory) WriteUint32(off uint32, v uint32) bool {
	s, ok := m.span(off, 4)
	if ok {
		binary.LittleEndian.PutUint32(s, v)
	}
	return ok
}

// WriteUint64 writes a little-endian uint64.
func (m *Memory) WriteUint64(off uint32, v uint64) bool {
	s, ok := m.span(off, 8)
	if ok {
		binary.LittleEndian.PutUint64(s, v)
	}
	return ok
}

// WriteFloat32 writes a little-endian float32.
func (m *Memory) WriteFloat32(off uint32, v float32) bool {
	return m.WriteUint32(off, math.Float32bits(v))
}

// WriteFloat64 writes a little-endian float64.
func (m *Memory) WriteFloat64(off uint32, v float64) bool {
	return m.WriteUint64(off, math.Float64bits(v))
}
