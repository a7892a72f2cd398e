package front

import (
	"sync"

	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Result is the outcome for one function defined by a module.
type Result struct {
	Index uint32   // in the function index space
	Func  *ir.Func // nil when Err is set
	Err   error    // wraps ErrUnsupported
}

// Build validates m and builds the IR of every function it defines, in
// the validator's single pass. A validation error is returned as such;
// functions the compiler does not support yet only carry their Err.
func Build(m *wasm.Module, cfg validator.Config) ([]Result, error) {
	var mu sync.Mutex
	visitors := make([]*Visitor, len(m.Funcs))
	err := validator.Validate(m, cfg, func(idx uint32) validator.FuncVisitor {
		v := New()
		mu.Lock()
		visitors[idx-m.NumImportedFuncs] = v
		mu.Unlock()
		return v
	})
	if err != nil {
		return nil, err
	}
	out := make([]Result, len(visitors))
	for i, v := range visitors {
		out[i] = Result{Index: m.NumImportedFuncs + uint32(i), Func: v.Func(), Err: v.Err()}
	}
	return out, nil
}
