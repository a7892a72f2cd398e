package difftest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// diffSeeds is the number of generated modules compared with wasm-interp
// (KILN_DIFFTEST_SEEDS overrides it; KILN_DIFFTEST_FIRST sets the first
// seed, 0 by default).
const diffSeeds = 300

// TestDifferentialWabt runs generated modules on kiln and on wabt's
// wasm-interp and compares every export's results and traps.
func TestDifferentialWabt(t *testing.T) {
	tool, err := exec.LookPath("wasm-interp")
	if err != nil {
		t.Skip("wasm-interp (wabt) is not installed: install wabt (apt-get install wabt) to run the differential test")
	}
	expected := loadExpectations(t)
	n := seedCount(t, diffSeeds, 40)
	first := envInt(t, "KILN_DIFFTEST_FIRST", 0)
	ctx := context.Background()
	dir := t.TempDir()
	var agreeModules, agreeCalls, inconclusive int
	kinds := map[string]int{} // kiln's outcomes of the function exports
	for seed := int64(first); seed < int64(first+n); seed++ {
		input := seedBytes(seed, 16384)
		bin := wasmgen.Generate(input, diffConfig(seed))
		diff, calls, inc, err := compareWabt(ctx, tool, dir, bin, kinds)
		agreeCalls += calls
		inconclusive += inc
		reason, known := expected[seed]
		switch {
		case err == nil && diff == "" && known:
			t.Errorf("seed %d: now agrees with wasm-interp; remove it from testdata/expectations.txt (%s)", seed, reason)
		case err == nil && diff == "":
			agreeModules++
		case known:
			t.Logf("seed %d: known disagreement: %s", seed, reason)
		default:
			p := filepath.Join(os.TempDir(), fmt.Sprintf("kiln-difftest-seed%d.wasm", seed))
			_ = os.WriteFile(p, bin, 0o644)
			if err != nil {
				t.Errorf("seed %d (module saved to %s): %v", seed, p, err)
				continue
			}
			// Shrink the input while the engines still disagree.
			small := Shrink(input, func(in []byte) bool {
				d, _, _, err := compareWabt(ctx, tool, dir, wasmgen.Generate(in, diffConfig(seed)), nil)
				return err == nil && d != ""
			}, 200)
			sp := filepath.Join(os.TempDir(), fmt.Sprintf("kiln-difftest-seed%d-small.wasm", seed))
			sbin := wasmgen.Generate(small, diffConfig(seed))
			_ = os.WriteFile(sp, sbin, 0o644)
			sdiff, _, _, _ := compareWabt(ctx, tool, dir, sbin, nil)
			t.Errorf("seed %d: kiln and wasm-interp disagree (module saved to %s):\n%s\nshrunk to %d bytes (%s):\n%s",
				seed, p, diff, len(sbin), sp, sdiff)
		}
	}
	t.Logf("%d of %d modules agree (%d export calls agree, %d inconclusive)", agreeModules, n, agreeCalls, inconclusive)
	t.Logf("outcomes of the function exports: %v", kinds)
}

// diffConfig returns the generator configuration of a seed: every third
// module is larger and more deeply nested.
func diffConfig(seed int64) wasmgen.Config {
	cfg := wasmgen.DifferentialConfig()
	if seed%3 == 2 {
		cfg.MaxFuncs, cfg.MaxInstrs, cfg.MaxDepth = 10, 400, 9
	}
	return cfg
}

// compareWabt runs bin on both engines and describes the first
// disagreement ("" when they agree). Comparison stops at the first
// inconclusive call, after which the engines' states may differ.
func compareWabt(ctx context.Context, tool, dir string, bin []byte, kinds map[string]int) (diff string, agree, inconclusive int, err error) {
	want, err := RunWabt(ctx, tool, dir, bin)
	if err != nil {
		return "", 0, 0, err
	}
	// Without fuel kiln runs differently translated code; the generated
	// modules terminate by themselves, so both variants are compared.
	for _, fuel := range []uint64{0, 50_000_000} {
		rt := kiln.NewRuntime(kiln.RuntimeConfig{Fuel: fuel})
		got, err := RunKiln(ctx, rt, bin, RunOptions{Raw: fuel == 0})
		if err != nil {
			return "", 0, 0, fmt.Errorf("kiln (fuel %d): %w", fuel, err)
		}
		diff, agree, inconclusive = compareOutcomes(got, want)
		if fuel == 0 && kinds != nil {
			tally(kinds, got)
		}
		if diff != "" {
			return fmt.Sprintf("with fuel %d:\n%s", fuel, diff), agree, inconclusive, nil
		}
	}
	return "", agree, inconclusive, nil
}

// compareOutcomes describes the first disagreement between kiln's
// outcomes (got) and the reference's (want), or returns "".
func compareOutcomes(got, want []Outcome) (diff string, agree, inconclusive int) {
	if len(got) != len(want) {
		return fmt.Sprintf("kiln ran %d exports, wasm-interp %d", len(got), len(want)), 0, 0
	}
	for i := range got {
		g, w := got[i], want[i]
		// Fuel and the depth of the call stack are the engine's choice.
		if g.Inconclusive != "" || g.Trap == trapStack || w.Trap == trapStack {
			return "", agree, 1
		}
		if !matches(g, w) {
			var sb strings.Builder
			fmt.Fprintf(&sb, "  kiln:      %v\n  reference: %v", g, w)
			return sb.String(), agree, 0
		}
		agree++
	}
	return "", agree, 0
}

// tally counts the outcomes of the generated functions' exports ("fN") by
// kind: "value" or the trap.
func tally(kinds map[string]int, outs []Outcome) {
	for _, o := range outs {
		if !strings.HasPrefix(o.Export, "f") {
			continue
		}
		switch {
		case o.Inconclusive != "":
			kinds["inconclusive"]++
		case o.Trap != "":
			kinds[o.Trap]++
		default:
			kinds["value"]++
		}
	}
}
