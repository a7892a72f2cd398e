package store

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/wasm"
)

// Instance is a module instance: the resolved index spaces of one
// instantiated (or host) module.
type Instance struct {
	Name   string
	Module *wasm.Module // nil for host modules

	// TypeIDs maps the module's type indices to canonical type IDs, and
	// Types to the canonical types.
	TypeIDs []uint32
	Types   []*Type
	Funcs   []*Function
	Tables  []*Table
	Mems    []*Memory
	Globals []*Global
	Tags    []*Tag
	// Elems and Datas are the element and data segments; a dropped segment
	// is nil (it behaves as empty).
	Elems [][]any
	Datas [][]byte

	Exports     map[string]Extern
	ExportNames []string // in export order

	// Limiter, when not nil, is charged the host memory the engine holds
	// for the instance besides its memories and tables (see HeapLimiter):
	// element segments, GC objects, frame stack.
	Limiter Limiter
	// Heap, when not nil, is charged the instance's GC objects.
	Heap *GCHeap

	// InHost is the innermost execution of the instance's code that is
	// waiting for a host function, or nil: a call into the instance that
	// starts meanwhile is taken for a call that host function makes, and
	// continues that execution's accounting (see Nest).
	InHost atomic.Pointer[Nest]

	// Source, when not nil, maps code offsets to source positions for
	// trap backtraces (the module's DWARF line information).
	Source SourceLocator

	// Owner is the embedder's wrapper (e.g. *kiln.Instance).
	Owner any
	// Closed is set when the embedder closed the instance.
	Closed bool

	// id identifies the instance in call index views; callIndex is built
	// on first use (table_index.go).
	id        atomic.Uint64
	callIndex atomic.Pointer[CallIndex]
}

// Extern is an exported or imported entity.
type Extern struct {
	Kind   wasm.ExternKind
	Func   *Function
	Table  *Table
	Mem    *Memory
	Global *Global
	Tag    *Tag
}

// DropElem drops element segment i (elem.drop, an applied active segment,
// a closed instance) and gives its host memory back to the limiter.
func (st *Instance) DropElem(i int) {
	e := st.Elems[i]
	if e == nil {
		return
	}
	st.Elems[i] = nil
	if st.Limiter != nil {
		GrowHeap(st.Limiter, uint64(len(e))*TableElemBytes, 0)
	}
}

// Nest is where a thread of execution stands while its wasm code waits
// for a host function: what a call made from that host function continues
// from, so that host->wasm->host recursion meets the limits of plain wasm
// recursion (call depth, frame stack bytes) and a limit of its own on
// nesting (each level also uses the host's Go stack), whatever context
// the host function passes.
type Nest struct {
	Depth atomic.Int64 // wasm frames below
	Bytes atomic.Int64 // frame stack bytes below
	Level atomic.Int64 // nested calls from host functions below
	// Owner is the executor the nest belongs to, set once when it is
	// made, for the capabilities a host function may ask of it
	// (engine.CapturerOf).
	Owner any
}

// MarkInHost records n as the instance's innermost execution waiting for
// a host function (InHost) and returns the previous one; every engine
// calls it around its host calls. A nil instance records nothing.
func (inst *Instance) MarkInHost(n *Nest) *Nest {
	if inst == nil {
		return nil
	}
	return inst.InHost.Swap(n)
}

// UnmarkInHost restores what MarkInHost replaced, unless another thread
// has marked the instance since.
func (inst *Instance) UnmarkInHost(n, prev *Nest) {
	if inst != nil {
		inst.InHost.CompareAndSwap(n, prev)
	}
}
