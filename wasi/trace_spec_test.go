package wasi

import "testing"

// TestTraceArgsFit: every preview 1 function has an argument spelling
// that takes exactly its parameters.
func TestTraceArgsFit(t *testing.T) {
	for _, f := range Preview1() {
		spec, ok := traceArgs[f.Name]
		if !ok {
			t.Errorf("%s: no entry in traceArgs", f.Name)
			continue
		}
		if !specFits(spec, len(f.Params)) {
			t.Errorf("%s: spec %q does not take its %d parameters", f.Name, spec, len(f.Params))
		}
	}
}
