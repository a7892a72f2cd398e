package spectest

import (
	"context"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// suiteDir returns the directory of one suite under $KILN_SPECTEST_DIR, or
// skips (fails with KILN_REQUIRE_SPECTEST=1) when it is not available.
func suiteDir(t *testing.T, suite string) string {
	t.Helper()
	root := os.Getenv("KILN_SPECTEST_DIR")
	dir := filepath.Join(root, suite)
	if root != "" {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
	}
	msg := "official test suite not found: set KILN_SPECTEST_DIR to a directory holding " + suite +
		"/ (the .wast files of tag wg-2.0 / wg-3.0 of github.com/WebAssembly/spec, test/core)"
	if os.Getenv("KILN_REQUIRE_SPECTEST") == "1" {
		t.Fatal(msg)
	}
	t.Skip(msg)
	return ""
}

func wastFiles(t *testing.T, dir string) []string {
	t.Helper()
	var files []string
	err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".wast") {
			files = append(files, path)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(files)
	return files
}

func loadExpectations(t *testing.T, suite string) Expectations {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", "expectations-"+suite+".txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	e, err := ParseExpectations(f)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestWasm20(t *testing.T) { runSuite(t, "wasm-2.0", wasm.Features2) }

func runSuite(t *testing.T, suite string, features wasm.Features) {
	dir := suiteDir(t, suite)
	expect := loadExpectations(t, suite)
	seen := map[string]bool{}
	total := &Report{}
	for _, path := range wastFiles(t, dir) {
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		t.Run(rel, func(t *testing.T) {
			rep, err := RunFile(context.Background(), path, Options{})
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
