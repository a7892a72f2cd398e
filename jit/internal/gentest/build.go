package gentest

import (
	"testing"

	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// BuildModule runs the front end and the passes over every function of
// m; the result is indexed by function index (nil: no IR).
func BuildModule(t testing.TB, m *wasm.Module) []*ir.Func {
	res, err := front.Build(m, validator.Config{Features: wasm.Features2})
	if err != nil {
		t.Fatalf("validation: %v", err)
	}
	funcs := make([]*ir.Func, int(m.NumImportedFuncs)+len(m.Funcs))
	oc := opt.ConfigFor(m)
	for _, r := range res {
		if r.Func == nil {
			continue
		}
		opt.RunWith(r.Func, oc)
		funcs[r.Index] = r.Func
	}
	return funcs
}
