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
