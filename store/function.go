package store

import (
	"context"

	"github.com/kilnrt/kiln/wasm"
)

// HostFunc is the calling convention of a host function: parameters are in
// stack[0:len(params)] (v128 takes two slots) and results are written to
// stack[0:len(results)]; stack is long enough for both. refs parallels
// stack: a reference parameter or result is in refs at its slot's index
// (its numeric slot is unused). caller is the instance whose code made the
// call (nil when called from the embedder). A returned error aborts
// execution and is returned to the embedder.
type HostFunc func(ctx context.Context, caller *Instance, stack []uint64, refs []any) error

// Function is a function instance: wasm code of a module instance, or a
// host function.
type Function struct {
	Type   *wasm.FuncType
	TypeID uint32
	// Canon is the canonical type (TypeID is its ID).
	Canon *Type
	// Module is the defining instance (for host functions, the host module).
	Module *Instance
	// Index is the function's index in its module's function index space.
	Index uint32
	// Name is the debug name (name section or host export name).
	Name string
	// Code is the engine's compiled code for a wasm function.
	Code any
	// Host is set for host functions.
	Host HostFunc
	// Owner is the embedder's wrapper (e.g. *kiln.Func), created lazily.
	Owner any
}
