package spectest

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

var threadFeatures = wasm.Features3 | wasm.FeatureThreads

// TestThreadScripts runs testdata/threads/*.wast, scripts written for
// kiln that exercise the thread and wait commands (the official threads
// directory has none): every command must pass, none may be skipped.
func TestThreadScripts(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "threads", "*.wast"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no thread scripts: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			rep, err := RunFile(context.Background(), f, Options{Runtime: suiteRuntime(t, threadFeatures)})
			if err != nil {
				t.Fatal(err)
			}
			for _, fl := range rep.Failures {
				t.Error(fl)
			}
			if rep.Skipped > 0 || rep.Passed == 0 {
				t.Errorf("%s", rep.Summary())
			}
		})
	}
}

// TestThreadCommandFailures: a failing assertion inside a thread is
// reported at its own position when the thread is joined, and mistakes in
// thread and wait commands are failures.
func TestThreadCommandFailures(t *testing.T) {
	src := `(module $M (memory (export "m") 1 1 shared))
(thread $T (shared (module $M))
  (module (func (export "one") (result i32) (i32.const 1)))
  (assert_return (invoke "one") (i32.const 2)))
(wait $T)
(wait $Nobody)
(thread $U (shared (module $Unknown)))
(thread $V (assert_return (invoke "none")))
`
	script, err := wast.Parser{Features: threadFeatures}.ParseScript("t.wast", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	var results []Result
	rep, err := RunScript(context.Background(), script, Options{
		Runtime:  kiln.RuntimeConfig{Features: threadFeatures},
		OnResult: func(r Result) { results = append(results, r) },
	})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range rep.Failures {
		got = append(got, f.Pos.String()+" "+f.Kind)
	}
	want := []string{"t.wast:4:3 assert_return", "t.wast:6:1 wait", "t.wast:7:1 thread", "t.wast:8:12 assert_return"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("failures:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// The thread's failure is reported on the wait that joined it.
	if len(results) < 3 || results[2].Kind != "wait" || results[2].Status != StatusFail || !strings.Contains(results[2].Message, "t.wast:4:3") {
		t.Errorf("results: %+v", results)
	}
}
