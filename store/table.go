package store

import (
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/kilnrt/kiln/wasm"
)

// MaxTableSize bounds every table (in elements) so that a huge table.grow
// fails instead of exhausting host memory.
const MaxTableSize = 10_000_000

// Table is a table of references (nil is null).
type Table struct {
	Type  wasm.TableType
	Elems []any
	max   uint64
	// Types resolves the concrete type indices in Type (the defining
	// module's canonical types; nil for host tables).
	Types []*Type
	// limiter, when not nil, approves every growth (see Limiter).
	limiter Limiter
	// views are the call indices' copies of the table (table_index.go).
	views atomic.Pointer[[]*tableView]
}

// ErrTableLimit reports a table whose minimum exceeds the limit.
var ErrTableLimit = errors.New("table size exceeds limit")

// NewTable creates a table of the given type with its minimum size, every
// element set to init. lim, when not nil, must approve the initial size
// and every growth.
func NewTable(typ wasm.TableType, init any, lim Limiter) (*Table, error) {
	max := uint64(MaxTableSize)
	if typ.Limits.HasMax && typ.Limits.Max < max {
		max = typ.Limits.Max
	}
	if typ.Limits.Min > max {
		return nil, fmt.Errorf("%w: %d elements, limit %d", ErrTableLimit, typ.Limits.Min, max)
	}
	if lim != nil && !lim.GrowTable(0, typ.Limits.Min) {
		return nil, fmt.Errorf("%w: initial size of %d elements %w", ErrTableLimit, typ.Limits.Min, ErrLimiterRefused)
	}
	t := &Table{Type: typ, Elems: make([]any, typ.Limits.Min), max: max, limiter: lim}
	if init != nil {
		for i := range t.Elems {
			t.Elems[i] = init
		}
	}
	return t, nil
}

// Size returns the number of elements.
func (t *Table) Size() uint32 { return uint32(len(t.Elems)) }

// Grow adds delta elements set to init and returns the old size, or false
// if the table would exceed its maximum.
func (t *Table) Grow(delta uint64, init any) (uint64, bool) {
	old := uint64(len(t.Elems))
	if delta > t.max-old {
		return 0, false
	}
	n := old + delta
	if delta == 0 {
		return old, true
	}
	if t.limiter != nil && !t.limiter.GrowTable(old, n) {
		return 0, false
	}
	if uint64(cap(t.Elems)) >= n {
		t.Elems = t.Elems[:n]
	} else {
		e := make([]any, n, n+n/2)
		copy(e, t.Elems)
		t.Elems = e
	}
	for i := old; i < n; i++ {
		t.Elems[i] = init
	}
	t.grown(old)
	return old, true
}

// Max returns the effective maximum size.
func (t *Table) Max() uint64 { return t.max }

// ReleaseQuota gives the table's size back to its limiter, for an
// instantiation that failed after the table was created; the table is no
// longer limited afterwards.
func (t *Table) ReleaseQuota() {
	if t.limiter != nil {
		t.limiter.GrowTable(uint64(len(t.Elems)), 0)
		t.limiter = nil
	}
}
