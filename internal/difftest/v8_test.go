package difftest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// v8Seeds is the number of generated modules compared with Node.js
// (KILN_DIFFTEST_SEEDS overrides it).
const v8Seeds = 100

// TestDifferentialV8 runs generated modules on kiln and on V8 (Node.js),
// a second, independent reference: a JIT rather than an interpreter.
func TestDifferentialV8(t *testing.T) {
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node (Node.js) is not installed: install it to compare kiln with V8")
	}
	n := seedCount(t, v8Seeds, 20)
	ctx := context.Background()
	dir := t.TempDir()
	var agreeModules, agreeCalls, inconclusive, v8Stack int
	for seed := int64(0); seed < int64(n); seed++ {
		cfg := diffConfig(seed)
		cfg.SplitV128 = true
		cfg.HostImports = seed%2 == 1
		bin := wasmgen.Generate(seedBytes(seed, 16384), cfg)
		want, err := RunV8(ctx, node, dir, bin)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		rt := kiln.NewRuntime(kiln.RuntimeConfig{})
		h, err := RegisterHost(ctx, rt)
		if err != nil {
			t.Fatal(err)
		}
		got, err := RunKiln(ctx, rt, bin, RunOptions{BeforeCall: h.Reset})
		if err != nil {
			t.Fatalf("seed %d: kiln: %v", seed, err)
		}
		for _, o := range want {
			if o.Trap == trapStack {
				v8Stack++
			}
		}
		diff, agree, inc := compareOutcomes(got, want)
		agreeCalls += agree
		inconclusive += inc
		if diff != "" {
			p := filepath.Join(os.TempDir(), fmt.Sprintf("kiln-difftest-v8-seed%d.wasm", seed))
			_ = os.WriteFile(p, bin, 0o644)
			t.Errorf("seed %d (module saved to %s): kiln and V8 disagree:\n%s", seed, p, diff)
			continue
		}
		agreeModules++
	}
	t.Logf("%d of %d modules agree with V8 (%d export calls agree, %d inconclusive; V8 exhausted its stack %d times)",
		agreeModules, n, agreeCalls, inconclusive, v8Stack)
}
