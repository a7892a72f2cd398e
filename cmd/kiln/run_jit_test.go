//go:build linux && amd64 && kilnjit

package main

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// TestRunJITStops: --timeout and --fuel stop a guest spinning in machine
// code under --engine jit (the module's spin export is checked to be
// compiled by the JIT, not left to the interpreter).
func TestRunJITStops(t *testing.T) {
	m := writeWat(t, exportsWat)
	src, err := os.ReadFile(m)
	if err != nil {
		t.Fatal(err)
	}
	bin, err := wast.ParseModule("m.wat", src)
	if err != nil {
		t.Fatal(err)
	}
	cm, err := kiln.NewRuntime(kiln.RuntimeConfig{Engine: kiln.EngineJIT}).CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	if got := cm.FuncEngine(4); got != kiln.EngineJIT { // spin
		t.Fatalf("spin compiled by %v, want the JIT (engine stats %v)", got, cm.EngineStats())
	}
	start := time.Now()
	code, _, errOut := kilnRun(t, "--engine", "jit", "--timeout", "200ms", "--invoke", "spin", m)
	took := time.Since(start)
	if code != exitTimeout || !strings.Contains(errOut, "timed out after 200ms") {
		t.Errorf("--timeout 200ms: exit %d, stderr %q; want %d, timed out", code, errOut, exitTimeout)
	}
	if took > 5*time.Second {
		t.Errorf("--timeout 200ms returned after %v", took)
	}
	code, _, errOut = kilnRun(t, "--engine", "jit", "--fuel", "5000000", "--invoke", "spin", m)
	if code != exitFuel {
		t.Errorf("--fuel 5000000: exit %d, stderr %q; want %d", code, errOut, exitFuel)
	}
}

// TestRunPerfMap: kiln run --perf-map under the JIT writes the JIT's
// functions to /tmp/perf-PID.map (this process's: kilnRun runs kiln in
// the test), and without it nothing is written.
func TestRunPerfMap(t *testing.T) {
	t.Setenv(perfMapEnv, "")
	path := fmt.Sprintf("/tmp/perf-%d.map", os.Getpid())
	_ = os.Remove(path)
	t.Cleanup(func() { _ = os.Remove(path) })
	m := writeWat(t, exportsWat)
	if code, out, errOut := kilnRun(t, "--engine", "jit", "--invoke", "add", m, "2", "3"); code != 0 || out != "5\n" {
		t.Fatalf("without --perf-map: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Fatalf("without --perf-map, %s exists (stat: %v)", path, err)
	}
	if code, out, errOut := kilnRun(t, "--engine", "jit", "--perf-map", "--invoke", "add", m, "2", "3"); code != 0 || out != "5\n" {
		t.Fatalf("--perf-map: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	// add is function 0 of a module without a name section.
	if !regexp.MustCompile(`(?m)^[0-9a-f]+ [0-9a-f]+ wasm\[\]:func\[0\]$`).Match(b) {
		t.Errorf("--perf-map wrote no line for function 0:\n%s", b)
	}
}
