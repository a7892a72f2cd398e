package store

import "github.com/kilnrt/kiln/wasm"

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

	// Owner is the embedder's wrapper (e.g. *kiln.Instance).
	Owner any
	// Closed is set when the embedder closed the instance.
	Closed bool
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
