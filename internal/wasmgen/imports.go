package wasmgen

import "github.com/kilnrt/kiln/wasm"

// HostFunc describes a function a module generated with
// Config.HostImports imports from module "host".
type HostFunc struct {
	Name            string
	Params, Results []wasm.ValType
}

// HostFuncs are the imports of Config.HostImports. The host decides what
// they do (package difftest: "mix" combines its arguments, "reenter" may
// call back into the instance).
var HostFuncs = []HostFunc{
	{Name: "mix", Params: []wasm.ValType{wasm.I64, wasm.I32}, Results: []wasm.ValType{wasm.I64}},
	{Name: "reenter", Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}},
}

// funcIndex returns the function index of generated (or wrapper) function
// i: imports come first in the function index space.
func (m *modgen) funcIndex(i int) uint32 { return uint32(len(m.imports) + i) }

// callImport calls a host import; with want it leaves one value of that
// type (and fails when no import returns it), otherwise nothing.
func (f *fgen) callImport(want *wasm.ValType) bool {
	var cands []int
	for i, h := range f.m.imports {
		if want == nil || (len(h.Results) == 1 && h.Results[0] == *want) {
			cands = append(cands, i)
		}
	}
	if len(cands) == 0 {
		return false
	}
	i := cands[f.src.intn(len(cands))]
	h := f.m.imports[i]
	for _, p := range h.Params {
		f.expr(p)
	}
	f.e.op(wasm.OpCall)
	f.e.u32(uint32(i))
	if want == nil {
		f.drop(len(h.Results))
	}
	return true
}
