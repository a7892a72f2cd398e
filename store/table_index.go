package store

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
	"weak"
)

// CallIndex is an instance's tables as machine code reads them to
// resolve call_indirect without calling Go (jit/rt.IndexTypeIDs and
// the following constants give the layout). It holds no Go pointer:
// Header is words of addresses and numbers, in memory the Go heap
// allocated and never moves.
//
//   - Header[0] is the address of the instance's canonical type IDs
//     (uint32 by type index, a copy of Instance.TypeIDs), Header[1] the
//     address of its entry words, Header[2+t] the address of table t's
//     view.
//   - Entry word k+1 is the machine-code entry of function k of the
//     instance's index space, set by the engine (SetEntry) for code it
//     calls directly, else 0; entry word 0 is always 0.
//   - A view's word 0 is the table's length, word 1+i describes element
//     i: TypeID | (Index+1)<<32 for a wasm function the instance defines,
//     0 for anything else (null, another instance's or a host function,
//     a reference that is not a function). Machine code compares the low
//     half with the expected type ID and calls entry word (word>>32) when
//     it is not 0; everything else takes the slow path through Go.
//
// Memory ordering. Every table write (the Table methods Wrote and Grow,
// which every path that writes Elems calls) updates the views after
// Elems, with whole-word atomic stores: a reader sees an element's old
// or new word, never a mix. Growth writes the new elements before the new
// length, and a view that moves is complete before its new address is
// stored in the header. Readers load the view address, then the length,
// then the element (amd64 keeps loads in order; an ISA that does not
// needs acquire loads or address dependencies there). Arrays a view
// moved out of stay allocated as long as the table, so a reader holding
// an old address still reads valid words (at worst the old element).
// Tables are written by one goroutine at a time as Elems is; the views
// add nothing a concurrent writer could tear.
//
// Lifetime. The index lives as long as its instance; the tables keep
// the views (not the index), and a cleanup on the index removes its
// views from the tables that outlive it.
type CallIndex struct {
	Header  []uint64
	typeIDs []uint32
	entries []uint64
	views   []*tableView
}

// tableView is one instance's view of one table.
type tableView struct {
	owner uint64  // the reading instance's id
	slot  *uint64 // its Header word holding the view's address
	words []uint64
	old   [][]uint64 // arrays the view moved out of (see CallIndex)
}

// viewsOf is an index's views and (weakly) the tables they view.
type viewsOf struct {
	views  []*tableView
	tables []weak.Pointer[Table]
}

func (d viewsOf) remove() {
	for i, v := range d.views {
		if t := d.tables[i].Value(); t != nil {
			t.removeView(v)
		}
	}
}

var (
	indexMu sync.Mutex    // serializes building call indices
	nextID  atomic.Uint64 // instance ids (0: none yet)
)

func (st *Instance) ensureID() uint64 {
	if id := st.id.Load(); id != 0 {
		return id
	}
	st.id.CompareAndSwap(0, nextID.Add(1))
	return st.id.Load()
}

// CallIndex returns the instance's call index, building it on first use
// (an engine that does not read it never pays for it); building it, entry
// gives the first entries (0: none yet) of the functions the instance
// defines.
func (st *Instance) CallIndex(entry func(*Function) uintptr) *CallIndex {
	if ci := st.callIndex.Load(); ci != nil {
		return ci
	}
	indexMu.Lock()
	defer indexMu.Unlock()
	if ci := st.callIndex.Load(); ci != nil {
		return ci
	}
	id := st.ensureID()
	ci := &CallIndex{
		Header:  make([]uint64, 2+len(st.Tables)),
		typeIDs: append(make([]uint32, 0, len(st.TypeIDs)+1), st.TypeIDs...),
		entries: make([]uint64, 1+len(st.Funcs)),
		views:   make([]*tableView, len(st.Tables)),
	}
	ci.typeIDs = append(ci.typeIDs, 0) // never empty: its address exists
	for _, f := range st.Funcs {
		if f.Module == st && f.Host == nil && entry != nil && int(f.Index)+1 < len(ci.entries) {
			ci.entries[1+f.Index] = uint64(entry(f))
		}
	}
	ci.Header[0] = uint64(uintptr(unsafe.Pointer(&ci.typeIDs[0])))
	ci.Header[1] = uint64(uintptr(unsafe.Pointer(&ci.entries[0])))
	for i, t := range st.Tables {
		v := &tableView{owner: id, slot: &ci.Header[2+i]}
		v.resize(t, len(t.Elems))
		for j, e := range t.Elems {
			v.words[1+j] = v.word(e)
		}
		v.words[0] = uint64(len(t.Elems))
		t.addView(v)
		ci.views[i] = v
	}
	// The cleanup reaches the tables weakly: their elements reach the
	// instance, which reaches ci.
	dropped := viewsOf{views: ci.views, tables: make([]weak.Pointer[Table], len(st.Tables))}
	for i, t := range st.Tables {
		dropped.tables[i] = weak.Make(t)
	}
	runtime.AddCleanup(ci, viewsOf.remove, dropped)
	st.callIndex.Store(ci)
	return ci
}

// Addr is the address of the header, for the execution context.
func (ci *CallIndex) Addr() uintptr { return uintptr(unsafe.Pointer(&ci.Header[0])) }

// SetEntry sets the machine-code entry of function fn of the instance's
// index space (0: call it through Go).
func (ci *CallIndex) SetEntry(fn uint32, entry uintptr) {
	if int(fn)+1 < len(ci.entries) {
		atomic.StoreUint64(&ci.entries[fn+1], uint64(entry))
	}
}

// ShareEntries makes machine code read the entry words at addr instead
// of the index's own (word k+1: function k's entry, word 0 zero): a
// module's link table, which tiering updates (jit/jitengine). The caller
// keeps that memory alive as long as the instance's code runs.
func (ci *CallIndex) ShareEntries(addr uintptr) {
	if atomic.LoadUint64(&ci.Header[1]) != uint64(addr) {
		atomic.StoreUint64(&ci.Header[1], uint64(addr))
	}
}

// Entry returns what SetEntry set.
func (ci *CallIndex) Entry(fn uint32) uintptr {
	if int(fn)+1 < len(ci.entries) {
		return uintptr(atomic.LoadUint64(&ci.entries[fn+1]))
	}
	return 0
}

// word is element e's view word.
func (v *tableView) word(e any) uint64 {
	f, ok := e.(*Function)
	if !ok || f == nil || f.Host != nil || f.Module == nil || f.Module.id.Load() != v.owner {
		return 0
	}
	return uint64(f.TypeID) | uint64(f.Index+1)<<32
}

// resize makes the view n elements long (tables never shrink), moving
// it to a larger array when its capacity is short; the new elements are
// the caller's to fill before the length is published.
func (v *tableView) resize(t *Table, n int) {
	if 1+n <= len(v.words) {
		return
	}
	w := make([]uint64, 1+n+n/2)
	if v.words != nil {
		for i := 1; i < len(v.words); i++ {
			w[i] = atomic.LoadUint64(&v.words[i])
		}
		w[0] = atomic.LoadUint64(&v.words[0])
		v.old = append(v.old, v.words)
	}
	v.words = w
	atomic.StoreUint64(v.slot, uint64(uintptr(unsafe.Pointer(&w[0]))))
}

func (t *Table) addView(v *tableView) {
	for {
		p := t.views.Load()
		var vs []*tableView
		if p != nil {
			vs = append(vs, *p...)
		}
		vs = append(vs, v)
		if t.views.CompareAndSwap(p, &vs) {
			return
		}
	}
}

func (t *Table) removeView(v *tableView) {
	for {
		p := t.views.Load()
		if p == nil {
			return
		}
		var vs []*tableView
		for _, w := range *p {
			if w != v {
				vs = append(vs, w)
			}
		}
		np := &vs
		if len(vs) == 0 {
			np = nil
		}
		if t.views.CompareAndSwap(p, np) {
			return
		}
	}
}

// Wrote tells the table's views that elements [i, i+n) of Elems
// changed: every path that writes Elems calls it (Grow does by itself).
func (t *Table) Wrote(i, n uint64) {
	if t.views.Load() != nil {
		t.sync(i, n)
	}
}

func (t *Table) sync(i, n uint64) {
	p := t.views.Load()
	if p == nil {
		return
	}
	if i > uint64(len(t.Elems)) || n > uint64(len(t.Elems))-i {
		n = uint64(len(t.Elems)) - min(i, uint64(len(t.Elems)))
	}
	for _, v := range *p {
		for j := i; j < i+n; j++ {
			atomic.StoreUint64(&v.words[1+j], v.word(t.Elems[j]))
		}
	}
}

// grown extends the views to the table's new length old+n.
func (t *Table) grown(old uint64) {
	p := t.views.Load()
	if p == nil {
		return
	}
	n := uint64(len(t.Elems))
	for _, v := range *p {
		v.resize(t, int(n))
		for j := old; j < n; j++ {
			atomic.StoreUint64(&v.words[1+j], v.word(t.Elems[j]))
		}
		atomic.StoreUint64(&v.words[0], n)
	}
}
