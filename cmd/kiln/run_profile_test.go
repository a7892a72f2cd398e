package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunProfile profiles bench/'s fib workload (fib.wasm has a name
// section) with kiln run --profile and reads the profile with go tool
// pprof -top: its hottest function is fib.
func TestRunProfile(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go command to run pprof")
	}
	prof := filepath.Join(t.TempDir(), "fib.pprof")
	// fib(32) runs for about 0.1 s, some ten samples at the default 100 Hz
	// (fib(27) took one or none on a loaded machine).
	code, out, errOut := kilnRun(t, "--profile", prof, "--invoke", "run", "../../bench/workloads/wasm/fib.wasm", "32")
	if code != 0 || out != "2178309\n" {
		t.Fatalf("kiln run: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	top, err := exec.Command(goTool, "tool", "pprof", "-top", prof).CombinedOutput()
	if err != nil {
		t.Fatalf("go tool pprof -top: %v\n%s", err, top)
	}
	_, table, _ := strings.Cut(string(top), "cum%\n")
	rows := strings.Split(strings.TrimSpace(table), "\n")
	if len(rows) == 0 || !strings.HasSuffix(strings.TrimSpace(rows[0]), " fib") {
		t.Fatalf("the hottest function is not fib:\n%s", top)
	}
	if _, err := os.Stat(prof); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = kilnRun(t, "--profile", filepath.Join(t.TempDir(), "no", "such", "dir", "p"), "--invoke", "run", "../../bench/workloads/wasm/fib.wasm", "1")
	if code != exitError || !strings.Contains(errOut, "--profile") {
		t.Errorf("unwritable profile: exit %d, stderr %q", code, errOut)
	}
}
