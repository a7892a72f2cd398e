package kiln

import (
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Tag is an exception tag (exception-handling proposal).
type Tag struct {
	t *store.Tag
}

// Tag returns the exported tag name, or nil.
func (i *Instance) Tag(name string) *Tag {
	e, ok := i.st.Exports[name]
	if !ok || e.Kind != wasm.ExternTag {
		return nil
	}
	return &Tag{t: e.Tag}
}

// Type returns the tag's type: its parameters are the exception's payload.
func (t *Tag) Type() *wasm.FuncType { return t.t.Type }

// Throw returns an error that throws a WebAssembly exception of this tag
// with the given payload (raw slots, as for Func.Call; a v128 takes two)
// when a host function returns it (or a raw host function panics with
// it): wasm code that called the host function can catch it.
func (t *Tag) Throw(payload ...uint64) error {
	n := engine.SlotCount(t.t.Type.Params)
	if len(payload) != n {
		return fmt.Errorf("kiln: tag %s takes %d payload slots, got %d", t.t.Type, n, len(payload))
	}
	exn := &store.Exception{Tag: t.t, Vals: append([]uint64(nil), payload...), Refs: make([]any, n)}
	return &Trap{Code: store.TrapUncaughtException, Exception: exn}
}

// Is reports whether the uncaught exception of a trap has this tag.
func (t *Tag) Is(err error) bool {
	var tr *Trap
	return errors.As(err, &tr) && tr.Exception != nil && tr.Exception.Tag == t.t
}
