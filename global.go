package kiln

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Global is a global variable.
type Global struct {
	rt *Runtime
	g  *store.Global
}

// Type returns the global's type.
func (g *Global) Type() wasm.GlobalType { return g.g.Type }

// Get returns the current value.
func (g *Global) Get() Value {
	t := g.g.Type.Type
	if t.IsRef() {
		return g.rt.fromRef(t, g.g.Ref)
	}
	return Value{Type: t, Lo: g.g.Lo, Hi: g.g.Hi}
}

// Set changes the value of a mutable global.
func (g *Global) Set(v Value) error {
	if !g.g.Type.Mutable {
		return errors.New("kiln: global is immutable")
	}
	if err := g.rt.checkValue(v, g.g.Type.Type, g.g.Types); err != nil {
		return fmt.Errorf("global set: %w", err)
	}
	if v.Type.IsRef() {
		g.g.Ref = g.rt.toRef(v)
		return nil
	}
	g.g.Lo, g.g.Hi = v.Lo, v.Hi
	if v.Type == wasm.I32 || v.Type == wasm.F32 {
		g.g.Lo = uint64(uint32(v.Lo))
	}
	return nil
}

// Table is a table of references.
type Table struct {
	rt *Runtime
	t  *store.Table
}

// Type returns the table's type.
func (t *Table) Type() wasm.TableType { return t.t.Type }

// Size returns the number of elements.
func (t *Table) Size() uint32 { return t.t.Size() }

// Get returns element i, or false if i is out of range.
func (t *Table) Get(i uint32) (Value, bool) {
	if uint64(i) >= uint64(len(t.t.Elems)) {
		return Value{}, false
	}
	return t.rt.fromRef(t.t.Type.Elem, t.t.Elems[i]), true
}

// Set stores v at element i.
func (t *Table) Set(i uint32, v Value) error {
	if err := t.rt.checkValue(v, t.t.Type.Elem, t.t.Types); err != nil {
		return fmt.Errorf("table set: %w", err)
	}
	if uint64(i) >= uint64(len(t.t.Elems)) {
		return &Trap{Code: store.TrapOutOfBoundsTableAccess}
	}
	t.t.Elems[i] = t.rt.toRef(v)
	t.t.Wrote(uint64(i), 1)
	return nil
}

// Grow adds delta elements set to init and returns the previous size, or
// false if the table cannot grow that much or init has the wrong type.
func (t *Table) Grow(delta uint32, init Value) (uint32, bool) {
	if t.rt.checkValue(init, t.t.Type.Elem, t.t.Types) != nil {
		return 0, false
	}
	old, ok := t.t.Grow(uint64(delta), t.rt.toRef(init))
	return uint32(old), ok
}
