package interp

import (
	"unsafe"

	"github.com/kilnrt/kiln/store"
)

// Frame records without pointers. A runaway recursion fills the frame
// stack with millions of records, and the Go collector would scan all of
// them in every cycle their growth triggers (and read the fresh copy's
// pages before the copy writes them) if they held the function and code
// pointers. So a record holds the index of its function in a table of
// the functions this Machine has run since its Run began (fnTable.fns):
// the table keeps them visible to the collector, once each. A small
// direct-mapped cache finds a callee's index on the fast call path; a
// miss takes the slow path, which enters the function in the table.

// record is a suspended caller on the frame stack: frame without its
// pointers. pc and fp fit: codes are shorter than 2^31 instructions
// (translator.End) and the slot stack than maxStackSlots. Its size is a
// power of two, so that the frame stack, doubling, fills a power-of-two
// budget with its last growth instead of adding a partial one (the
// old copy is garbage until the next collection).
type record struct {
	pc, fp int32
	fn     uint32 // index in fnTable.fns
	_      uint32
}

// fnEntry is a function of the table and its code.
type fnEntry struct {
	fn   *store.Function
	code *Code
}

// fnCacheSize is the number of entries of the direct-mapped cache.
const fnCacheSize = 256

// fnCached is an entry of the cache: a function and its index.
type fnCached struct {
	fn *store.Function
	id uint32
}

// fnTable is the Machine's table of functions (embedded in Machine).
type fnTable struct {
	fns []fnEntry
	// index finds a function of a table longer than fnScan.
	index map[*store.Function]uint32
	cache [fnCacheSize]fnCached
}

// fnScan is the longest table searched entry by entry on a cache miss:
// most Runs enter a few functions, and a map would cost them more.
const fnScan = 8

// fnSlot is f's entry in the cache (Fibonacci hashing of its address).
func fnSlot(f *store.Function) uintptr {
	return uintptr(uint64(uintptr(unsafe.Pointer(f))) * 0x9E3779B97F4A7C15 >> (64 - 8) & (fnCacheSize - 1))
}

// funcID returns f's index in the table, entering f (whose code is code)
// if it is new.
func (t *fnTable) funcID(f *store.Function, code *Code) uint32 {
	c := &t.cache[fnSlot(f)]
	if c.fn == f {
		return c.id
	}
	id, ok := t.find(f)
	if !ok {
		id = uint32(len(t.fns))
		t.fns = append(t.fns, fnEntry{f, code})
		switch {
		case len(t.fns) > fnScan && t.index == nil:
			t.index = make(map[*store.Function]uint32, 2*fnScan)
			fallthrough
		case len(t.fns) > fnScan && len(t.index) == 0:
			for i, e := range t.fns {
				t.index[e.fn] = uint32(i)
			}
		case len(t.fns) > fnScan:
			t.index[f] = id
		}
	}
	*c = fnCached{f, id}
	return id
}

// find looks f up in the table.
func (t *fnTable) find(f *store.Function) (uint32, bool) {
	if len(t.fns) > fnScan {
		id, ok := t.index[f]
		return id, ok
	}
	for i := range t.fns {
		if t.fns[i].fn == f {
			return uint32(i), true
		}
	}
	return 0, false
}

// resetFuncs empties the table, keeping its storage. A Run's end calls
// it when the table is longer than fnScan, so that a Machine keeps at
// most a few functions alive between Runs (as the last frame it ran
// does) and a Run calling one function again and again finds it in the
// cache.
func (t *fnTable) resetFuncs() {
	if len(t.fns) == 0 {
		return
	}
	for _, e := range t.fns {
		t.cache[fnSlot(e.fn)] = fnCached{}
	}
	clear(t.fns)
	t.fns = t.fns[:0]
	clear(t.index)
}

// record is the record of fr when it is suspended.
func (fr *frame) record() record {
	return record{pc: int32(fr.pc), fp: int32(fr.fp), fn: fr.id}
}

// frameAt resolves the record of the suspended frame i.
func (m *Machine) frameAt(i int) frame {
	r := m.frames[i]
	e := &m.fns[r.fn]
	return frame{fn: e.fn, code: e.code, pc: int(r.pc), fp: int(r.fp), id: r.fn}
}

// resume makes the record r, just popped, the executing frame.
func (m *Machine) resume(r record) {
	if r.fn != m.cur.id {
		e := &m.fns[r.fn]
		m.cur.fn, m.cur.code, m.cur.id = e.fn, e.code, r.fn
	}
	m.cur.pc, m.cur.fp = int(r.pc), int(r.fp)
}

// setRW points m.rw at the current frame's reference slots, if its code
// has any.
func (m *Machine) setRW() {
	if m.cur.code.refSlots {
		m.rw = m.refs[m.cur.fp:]
	}
}
