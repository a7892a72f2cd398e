package jitengine

// refTable gives machine code handles for references: machine code never
// holds a Go pointer (jit/rt), so a funcref or externref in machine code
// is a 64-bit handle, 0 for null and otherwise 1 + an index into vals,
// which Go owns and the garbage collector scans. An executor has one
// table for the whole of an outermost Run (handles pass unchanged between
// compiled functions, across nesting levels and through exits) and
// empties it when that Run returns. Handles are interned, so a loop of
// table.get or ref.func reuses the same few; only a stream of distinct
// references (a host function returning a new externref each call) grows
// the table until the Run ends.
type refTable struct {
	vals  []any
	index map[any]uint64
}

// handle is r's handle, interning it.
func (t *refTable) handle(r any) uint64 {
	if r == nil {
		return 0
	}
	if h, ok := t.lookup(r); ok {
		return h
	}
	t.vals = append(t.vals, r)
	h := uint64(len(t.vals))
	t.remember(r, h)
	return h
}

// lookup finds r's handle. An externref may be any Go value, including
// one that cannot be a map key (a slice, or a struct holding one): such
// a value is not interned (a new handle each time).
func (t *refTable) lookup(r any) (h uint64, ok bool) {
	defer func() {
		if recover() != nil {
			h, ok = 0, false
		}
	}()
	h, ok = t.index[r]
	return h, ok
}

func (t *refTable) remember(r any, h uint64) {
	defer func() { _ = recover() }() // not hashable: see lookup
	if t.index == nil {
		t.index = map[any]uint64{}
	}
	t.index[r] = h
}

// ref is the reference of handle h (nil for 0 and for a handle the
// table never gave, which machine code cannot make).
func (t *refTable) ref(h uint64) any {
	if h == 0 || h > uint64(len(t.vals)) {
		return nil
	}
	return t.vals[h-1]
}

// reset forgets every handle, letting the references go.
func (t *refTable) reset() {
	clear(t.vals)
	t.vals = t.vals[:0]
	clear(t.index)
}
