package spectest

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/expectations"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
)

// suiteRuntime is the runtime configuration of the suites' scripts: the
// features, on the engine $KILN_ENGINE selects (tiering eagerly under
// $KILN_TIER_EAGERLY).
func suiteRuntime(t *testing.T, features wasm.Features) kiln.RuntimeConfig {
	t.Helper()
	eng, err := kiln.ParseEngine(testsuite.Engine())
	if err != nil {
		t.Fatalf("$%s: %v", testsuite.EngineEnv, err)
	}
	return kiln.RuntimeConfig{Features: features, Engine: eng, TierEagerly: testsuite.TierEagerly()}
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

// TestWasm20Cached runs the 2.0 suite twice through one compilation
// cache: the second run loads every module that compiles from the cache
// (the engine's serialized code: on the JIT, machine code mapped at
// another address than it was compiled at) and must pass as the first.
func TestWasm20Cached(t *testing.T) {
	if emu := testsuite.Emulator(); emu != "" {
		// qemu 7.2's user mode never frees the page tables of a memory
		// reservation: two more runs of the suite in this process would
		// add half again to the spec binary's memory there (16 GB on
		// s390x). The arm64 JIT's code round trip is tested under qemu
		// by jitengine's TestDecodeCodesChecksItsInput.
		t.Skipf("under %s", emu)
	}
	cache, err := kiln.OpenCompilationCache(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var runs [2]kiln.CacheStats
	var reports [2]*Report
	for i := range runs {
		t.Run(fmt.Sprintf("run%d", i+1), func(t *testing.T) {
			reports[i] = runSuiteWith(t, "wasm-2.0", func(c *kiln.RuntimeConfig) { c.CompilationCache = cache })
		})
		runs[i] = cache.Stats()
		if reports[i] == nil {
			return // skipped, or stopped by a failure
		}
	}
	// Loaded code is the same engine's as compiled code.
	if !maps.Equal(reports[0].Functions, reports[1].Functions) {
		t.Errorf("functions by engine: %v compiled, %v loaded", reports[0].Functions, reports[1].Functions)
	}
	entries, err := filepath.Glob(filepath.Join(cache.Dir(), "*.kc"))
	if err != nil {
		t.Fatal(err)
	}
	stored := uint64(len(entries))
	first, second := runs[0], runs[1]
	t.Logf("first run %+v, second %+v; %d entries; functions by engine %v", first, second, stored, reports[1].Functions)
	if second.Rejected != 0 || second.WriteErrors != 0 {
		t.Errorf("%d entries rejected, %d not written: every compiled module must be stored and loaded", second.Rejected, second.WriteErrors)
	}
	// The second run misses only the modules that do not compile.
	if second.Misses-first.Misses != first.Misses-stored || second.Hits-first.Hits != first.Hits+stored {
		t.Errorf("second run: %d hits and %d misses, want %d and %d (%d entries stored by the first)",
			second.Hits-first.Hits, second.Misses-first.Misses, first.Hits+stored, first.Misses-stored, stored)
	}
}

func runSuite(t *testing.T, suite string) { runSuiteWith(t, suite, nil) }

// runSuiteWith runs suite with the runtime configuration configure
// changes (if not nil), and returns the scripts' total.
func runSuiteWith(t *testing.T, suite string, configure func(*kiln.RuntimeConfig)) *Report {
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
			cfg := suiteRuntime(t, features)
			if configure != nil {
				configure(&cfg)
			}
			rep, err := RunFile(context.Background(), path, Options{Runtime: cfg})
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
	return total
}
