package difftest

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// TestHostImports runs modules that call host functions, including host
// functions that call back into the instance, twice each: the runs must
// succeed (values, traps) and agree.
func TestHostImports(t *testing.T) {
	n := seedCount(t, 200, 40)
	ctx := context.Background()
	var calls, reentries int
	for seed := int64(0); seed < int64(n); seed++ {
		bin := wasmgen.Generate(seedBytes(seed, 16384), hostConfig())
		var runs [2]string
		for i := range runs {
			rt := kiln.NewRuntime(kiln.RuntimeConfig{})
			h, err := RegisterHost(ctx, rt)
			if err != nil {
				t.Fatal(err)
			}
			out, err := RunKiln(ctx, rt, bin, RunOptions{Args: (&argSource{}).args, BeforeCall: h.Reset})
			if err != nil {
				t.Fatalf("seed %d: %v\n%s", seed, err, outcomesString(out))
			}
			runs[i] = outcomesString(out)
			reentries += h.Reentries
			calls += len(out)
		}
		if runs[0] != runs[1] {
			t.Errorf("seed %d: two runs disagree:\n%s\nvs\n%s", seed, runs[0], runs[1])
		}
	}
	t.Logf("%d modules, %d export calls, %d calls back into wasm", n, calls, reentries)
	if reentries == 0 {
		t.Error("no host function called back into wasm")
	}
}
