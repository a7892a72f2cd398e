package spectest

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/expectations"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
)

// suiteRuntime is the runtime configuration of the suites' scripts: the
// features, on the engine $KILN_ENGINE selects.
func suiteRuntime(t *testing.T, features wasm.Features) kiln.RuntimeConfig {
	t.Helper()
	eng, err := kiln.ParseEngine(testsuite.Engine())
	if err != nil {
		t.Fatalf("$%s: %v", testsuite.EngineEnv, err)
	}
	return kiln.RuntimeConfig{Features: features, Engine: eng}
}

func loadExpectations(t *testing.T, suite string) Expectations {
	t.Helper()
	e, err := expectations.Load(filepath.Join("testdata", "expectations-"+suite+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestWasm20(t *testing.T)           { runSuite(t, "wasm-2.0") }
func TestWasm30(t *testing.T)           { runSuite(t, "wasm-3.0") }
func TestThreads(t *testing.T)          { runSuite(t, "threads") }
func TestLegacyExceptions(t *testing.T) { runSuite(t, "legacy-exceptions") }

func runSuite(t *testing.T, suite string) {
	features, ok := SuiteFeatures(suite)
	if !ok {
		t.Fatalf("no feature set for suite %s", suite)
	}
	dir := testsuite.Spec(t, suite)
	expect := loadExpectations(t, suite)
	seen := map[string]bool{}
	total := &Report{}
	for _, path := range testsuite.WastFiles(t, dir) {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			rep, err := RunFile(context.Background(), path, Options{Runtime: suiteRuntime(t, features)})
			if err != nil {
				key := Key(rel, 0)
				seen[key] = true
				if _, ok := expect[key]; !ok {
					t.Errorf("%v", err)
				}
				return
			}
			total.Add(rep)
			for _, f := range rep.Failures {
				key := Key(rel, f.Pos.Line)
				seen[key] = true
				if _, ok := expect[key]; !ok {
					t.Errorf("unexpected failure: %s", f)
				}
			}
			if rep.Skipped > 0 {
				t.Errorf("%d commands skipped", rep.Skipped)
			}
		})
	}
	for key, reason := range expect {
		if !seen[key] {
			t.Errorf("expected failure %s (%s) now passes: remove it from testdata/expectations-%s.txt", key, reason, suite)
		}
	}
	t.Logf("%s: %s; failure messages matching the suite's text: %d/%d",
		suite, total.Summary(), total.MessageMatched, total.MessageChecked)
}
