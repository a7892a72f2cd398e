package difftest

import (
	"context"
	"sync"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// TestConcurrentInstances runs instances of one compiled module in
// parallel goroutines (sharing the runtime's machine pool): each must
// observe what a lone instance observes.
func TestConcurrentInstances(t *testing.T) {
	n := 60
	if testing.Short() {
		n = 10
	}
	const workers = 4
	ctx := context.Background()
	for seed := int64(0); seed < int64(n); seed++ {
		cfg := wasmgen.Config{CanonicalNaNs: seed%2 == 0, HostImports: seed%3 == 0}
		bin := wasmgen.Generate(seedBytes(seed, 8192), cfg)
		rt := kiln.NewRuntime(kiln.RuntimeConfig{})
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		// The host's reentry counters are per runtime, so every worker
		// (and the baseline) gets its own runtime for the host module;
		// without host imports they all share rt.
		run := func() (string, error) {
			r, opts := rt, RunOptions{Args: (&argSource{}).args}
			c := cm
			if cfg.HostImports {
				r = kiln.NewRuntime(kiln.RuntimeConfig{})
				h, err := RegisterHost(ctx, r)
				if err != nil {
					return "", err
				}
				opts.BeforeCall = h.Reset
				if c, err = r.CompileModule(ctx, bin); err != nil {
					return "", err
				}
			}
			out, err := RunCompiled(ctx, r, c, opts)
			return outcomesString(out), err
		}
		want, err := run()
		if err != nil {
			t.Fatalf("seed %d: %v", seed, err)
		}
		var wg sync.WaitGroup
		got := make([]string, workers)
		errs := make([]error, workers)
		for w := 0; w < workers; w++ {
			wg.Add(1)
			go func(w int) {
				defer wg.Done()
				got[w], errs[w] = run()
			}(w)
		}
		wg.Wait()
		for w := range got {
			if errs[w] != nil {
				t.Fatalf("seed %d worker %d: %v", seed, w, errs[w])
			}
			if got[w] != want {
				t.Fatalf("seed %d worker %d disagrees with a lone run:\n%s\nvs\n%s", seed, w, got[w], want)
			}
		}
	}
}
