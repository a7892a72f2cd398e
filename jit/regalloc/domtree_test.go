package regalloc

import (
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// TestDomTreeAgreesWithCFG checks the numbered dominator tree against
// ir.CFG.Dominates on every pair of reachable blocks of the 2.0 suite's
// functions with at most 64 blocks.
func TestDomTreeAgreesWithCFG(t *testing.T) {
	funcs, pairs := 0, 0
	jittest.Scripts(t, func(file string, script *wast.Script) {
		for _, c := range script.Commands {
			mc, ok := c.(*wast.ModuleCommand)
			if !ok || mc.Module.Binary == nil || mc.Module.Definition {
				continue
			}
			m, err := decoder.Decode(mc.Module.Binary, wasm.Features2)
			if err != nil {
				continue
			}
			for _, f := range gentest.BuildModule(t, m) {
				if f == nil || len(f.Blocks) > 64 {
					continue
				}
				cfg := ir.ComputeCFG(f)
				dt := NumberDomTree(cfg)
				funcs++
				for _, a := range cfg.RPO {
					for _, b := range cfg.RPO {
						pairs++
						if got, want := dt.Dominates(a, b), cfg.Dominates(a, b); got != want {
							t.Fatalf("%s: %s: dominates(b%d, b%d) = %v, want %v", file, f.Name, a.ID, b.ID, got, want)
						}
					}
				}
			}
		}
	})
	t.Logf("%d functions, %d block pairs", funcs, pairs)
}
