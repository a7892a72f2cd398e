//go:build linux && (amd64 || arm64)

package gentest

import (
	"encoding/binary"
	"fmt"
	"unsafe"

	"github.com/kilnrt/kiln/internal/leb128"
	"github.com/kilnrt/kiln/wasm"
	"golang.org/x/sys/unix"
)

// Memory is the harness's linear memory: a reservation of maxPages
// pages, committed up to len(Cur).
type Memory struct {
	res      []byte
	Cur      []byte
	maxPages uint32
	Init     func() error // reapplies the module's initial contents
}

const pageSize = 65536

// NewMemory reserves maxPages pages and commits minPages.
func NewMemory(minPages, maxPages uint32) (*Memory, error) {
	res, err := unix.Mmap(-1, 0, int(maxPages)*pageSize+pageSize, unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		return nil, err
	}
	m := &Memory{res: res, maxPages: maxPages}
	if m.Grow(minPages) < 0 {
		_ = unix.Munmap(res)
		return nil, fmt.Errorf("cannot commit %d pages", minPages)
	}
	return m, nil
}

// Base is the memory's address.
func (m *Memory) Base() uintptr { return uintptr(unsafe.Pointer(&m.res[0])) }

// Grow adds delta pages and returns the old size, or -1.
func (m *Memory) Grow(delta uint32) int32 {
	old := uint32(len(m.Cur) / pageSize)
	if uint64(old)+uint64(delta) > uint64(m.maxPages) {
		return -1
	}
	n := int(old+delta) * pageSize
	if n > 0 && unix.Mprotect(m.res[:n], unix.PROT_READ|unix.PROT_WRITE) != nil {
		return -1
	}
	m.Cur = m.res[:n]
	return int32(old)
}

// Reset shrinks the memory back to pages zeroed pages.
func (m *Memory) Reset(pages uint32) {
	clear(m.Cur)
	if err := unix.Mprotect(m.res, unix.PROT_NONE); err != nil {
		panic(err)
	}
	m.Cur = nil
	m.Grow(pages)
}

// Close unmaps the memory.
func (m *Memory) Close() error { return unix.Munmap(m.res) }

// ModuleMemory makes memory 0 of m with its active data segments, or
// returns nil when m has none the harness can make (imported, 64-bit,
// shared, or a segment offset that is not a constant).
func ModuleMemory(m *wasm.Module) (*Memory, error) {
	if m.NumImportedMems > 0 || len(m.Mems) == 0 {
		return nil, nil
	}
	mt := m.Mems[0]
	if mt.Is64 || mt.Shared {
		return nil, nil
	}
	max := uint64(4096) // the harness's bound: 256 MiB
	if mt.Limits.HasMax && mt.Limits.Max < max {
		max = mt.Limits.Max
	}
	if mt.Limits.Min > max {
		return nil, nil
	}
	type seg struct {
		off  uint32
		data []byte
	}
	var segs []seg
	for _, d := range m.Data {
		if d.Mode != wasm.SegmentActive || d.Memory != 0 {
			continue
		}
		code := d.Offset.Code
		if len(code) < 2 || code[0] != byte(wasm.OpI32Const) {
			return nil, nil
		}
		off, n, err := leb128.DecodeInt32(code[1:])
		if err != nil || n+2 != len(code) {
			return nil, nil
		}
		segs = append(segs, seg{uint32(off), d.Init})
	}
	mem, err := NewMemory(uint32(mt.Limits.Min), uint32(max))
	if err != nil {
		return nil, err
	}
	mem.Init = func() error {
		mem.Reset(uint32(mt.Limits.Min))
		for _, s := range segs {
			if uint64(s.off)+uint64(len(s.data)) > uint64(len(mem.Cur)) {
				return fmt.Errorf("data segment out of bounds")
			}
			copy(mem.Cur[s.off:], s.data)
		}
		return nil
	}
	if err := mem.Init(); err != nil {
		mem.Close()
		return nil, nil
	}
	return mem, nil
}

// ModuleGlobals evaluates the initial values of m's globals when every
// one is a numeric constant (i32/i64/f32/f64.const) and none is imported.
func ModuleGlobals(m *wasm.Module) ([]uint64, bool) {
	if m.NumImportedGlobals > 0 {
		return nil, false
	}
	out := make([]uint64, len(m.Globals))
	for i, g := range m.Globals {
		code := g.Init.Code
		if len(code) < 2 || code[len(code)-1] != byte(wasm.OpEnd) {
			return nil, false
		}
		body := code[1 : len(code)-1]
		switch wasm.Opcode(code[0]) {
		case wasm.OpI32Const:
			v, n, err := leb128.DecodeInt32(body)
			if err != nil || n != len(body) {
				return nil, false
			}
			out[i] = uint64(uint32(v))
		case wasm.OpI64Const:
			v, n, err := leb128.DecodeInt64(body)
			if err != nil || n != len(body) {
				return nil, false
			}
			out[i] = uint64(v)
		case wasm.OpF32Const:
			if len(body) != 4 {
				return nil, false
			}
			out[i] = uint64(binary.LittleEndian.Uint32(body))
		case wasm.OpF64Const:
			if len(body) != 8 {
				return nil, false
			}
			out[i] = binary.LittleEndian.Uint64(body)
		default:
			return nil, false
		}
	}
	return out, true
}
