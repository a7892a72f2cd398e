package difftest

import (
	"context"
	"fmt"
	"math/rand"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
	"github.com/kilnrt/kiln/wasm"
)

// TestValidatorDifferentialWabt mutates generated modules (one random
// byte each) and requires that kiln's decoder and validator accept exactly
// the mutants wabt's wasm-validate accepts. When they disagree and V8
// (node) is installed, V8 breaks the tie: wabt accepts some malformed
// modules (a constant expression that runs to the end of its section
// without its end opcode), which kiln and V8 reject.
func TestValidatorDifferentialWabt(t *testing.T) {
	tool, err := exec.LookPath("wasm-validate")
	if err != nil {
		t.Skip("wasm-validate (wabt) is not installed: install wabt to cross-check kiln's validator")
	}
	n := seedCount(t, 150, 30)
	const mutantsPerModule = 8
	ctx := context.Background()
	dir := t.TempDir()
	// wasm-validate checks WebAssembly 2.0 by default; so does kiln here.
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Features: wasm.Features2})
	var accepted, rejected, wabtQuirks int
	node, _ := exec.LookPath("node")
	for seed := int64(0); seed < int64(n); seed++ {
		bin := wasmgen.Generate(seedBytes(seed, 4096), wasmgen.Config{MaxInstrs: 40})
		r := rand.New(rand.NewSource(seed))
		for i := 0; i < mutantsPerModule; i++ {
			mut := append([]byte(nil), bin...)
			pos := 8 + r.Intn(len(mut)-8)
			mut[pos] = byte(r.Intn(256))
			_, kerr := rt.CompileModule(ctx, mut)
			p := filepath.Join(dir, "m.wasm")
			if err := os.WriteFile(p, mut, 0o644); err != nil {
				t.Fatal(err)
			}
			out, werr := exec.Command(tool, p).CombinedOutput()
			if (kerr == nil) != (werr == nil) && node != "" && v8Valid(t, node, p) == (kerr == nil) {
				wabtQuirks++
			} else if (kerr == nil) != (werr == nil) {
				sp := filepath.Join(os.TempDir(), fmt.Sprintf("kiln-validate-seed%d-%d.wasm", seed, i))
				_ = os.WriteFile(sp, mut, 0o644)
				t.Errorf("seed %d mutant %d (byte %#x set to %#x, saved to %s): kiln error %v; wasm-validate: %s",
					seed, i, pos, mut[pos], sp, kerr, out)
			}
			if kerr == nil {
				accepted++
			} else {
				rejected++
			}
		}
	}
	t.Logf("%d mutants accepted and %d rejected by kiln; wabt disagreed and V8 sided with kiln %d times",
		accepted, rejected, wabtQuirks)
}

// v8Valid reports whether V8 (WebAssembly.validate in node) accepts the
// module at path.
func v8Valid(t *testing.T, node, path string) bool {
	t.Helper()
	script := `process.stdout.write(String(WebAssembly.validate(require('fs').readFileSync(process.argv[1]))))`
	out, err := exec.Command(node, "-e", script, path).Output()
	if err != nil {
		t.Fatalf("node: %v", err)
	}
	return string(out) == "true"
}
