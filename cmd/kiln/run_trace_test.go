package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRunTrace: kiln run --trace prints each WASI call of helloWat
// strace-style; --trace-filter keeps only the selected groups.
func TestRunTrace(t *testing.T) {
	m := writeWat(t, helloWat)
	code, out, errOut := kilnRun(t, "--trace", "-", m, "x")
	if code != 2 || out != "hello\n" {
		t.Fatalf("exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, want := range []string{
		"fd_write(1, \"hello\\n\", [6]) = 0\n",
		"args_sizes_get([2], [",
		"proc_exit(2) = ? <exit 2>\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("trace lacks %q:\n%s", want, errOut)
		}
	}
	file := filepath.Join(t.TempDir(), "trace.txt")
	code, _, errOut = kilnRun(t, "--trace", file, "--trace-filter", "processes", m)
	if code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	got, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != "proc_exit(1) = ? <exit 1>\n" {
		t.Errorf("processes only: %q", got)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--trace", "-", "--trace-filter", "disk", m}, `unknown trace group "disk"`},
		{[]string{"--trace-filter", "files", m}, "needs --trace"},
	} {
		code, _, errOut := kilnRun(t, c.args...)
		if code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errOut, exitUsage, c.want)
		}
	}
}
