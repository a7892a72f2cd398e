package main

import (
	"path/filepath"
	"strings"
	"testing"
)

func TestRunReactorSaysSo(t *testing.T) {
	m := writeWat(t, `(module (memory (export "mem") 1)
		(func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`)
	code, out, errOut := kilnRun(t, m)
	if code != 0 || out != "" {
		t.Fatalf("code %d, stdout %q", code, out)
	}
	for _, want := range []string{"no _start export", "--invoke NAME", "add (func (param i32 i32) (result i32))", "mem (memory)"} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr %q lacks %q", errOut, want)
		}
	}
}

func TestRunWarnsAboutKilnFlagsAfterTheModule(t *testing.T) {
	hello := testProgram("hello")
	for _, tc := range []struct {
		args []string
		warn string // "" for no warning
	}{
		{[]string{hello, "--timeout", "1s"}, "--timeout 1s after the module"},
		{[]string{hello, "-fuel=10"}, "-fuel=10 after the module"},
		{[]string{hello, "x", "--env-inherit"}, "--env-inherit after the module"},
		{[]string{hello, "--", "--timeout", "1s"}, ""},                        // on purpose
		{[]string{hello, "--no-such-flag"}, ""},                               // not a kiln flag
		{[]string{"--invoke", "add", writeWat(t, exportsWat), "2", "-5"}, ""}, // a negative number
	} {
		_, _, errOut := kilnRun(t, tc.args...)
		got := strings.Contains(errOut, "warning:")
		if tc.warn == "" && got {
			t.Errorf("%q: unexpected warning: %s", tc.args, errOut)
		}
		if tc.warn != "" && !strings.Contains(errOut, tc.warn) {
			t.Errorf("%q: stderr %q lacks the warning %q", tc.args, errOut, tc.warn)
		}
	}
}

func TestRunErrorWording(t *testing.T) {
	m := writeWat(t, `(module (memory 100) (func (export "_start")))`)
	code, _, errOut := kilnRun(t, "--max-memory", "1M", m)
	want := "instantiate: memory 0: memory size exceeds limit: minimum 100 pages (6.25 MiB), limit 16 pages (1 MiB)\n"
	if code != exitError || !strings.HasSuffix(errOut, want) || strings.Count(errOut, "instantiate") != 1 {
		t.Errorf("code %d, stderr %q; want it to end with %q", code, errOut, want)
	}
}

func TestRunReportsQuotasReached(t *testing.T) {
	dir := t.TempDir()
	code, _, errOut := kilnRun(t, "--dir", dir+"::/d", "--max-file-write", "4", testProgram("files"), "/d")
	if code != 1 {
		t.Fatalf("code %d (stderr %q), want 1: the program fails when its write is cut short", code, errOut)
	}
	if want := "kiln run: quota reached: bytes written to files (--max-file-write 4; the guest saw EDQUOT or short writes)\n"; !strings.HasSuffix(errOut, want) {
		t.Errorf("stderr %q, want it to end with %q", errOut, want)
	}
	// Without reaching a quota, no line.
	_, _, errOut = kilnRun(t, "--dir", dir+"::/d", "--max-file-write", "1M", testProgram("hello"))
	if strings.Contains(errOut, "quota") {
		t.Errorf("quota line without reaching one: %q", errOut)
	}
}

func TestRunStubImports(t *testing.T) {
	m := writeWat(t, `(module
		(import "env" "log" (func $log (param i32)))
		(import "env" "memory" (memory 1))
		(import "env" "base" (global i32))
		(import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
		(func (export "_start") (call $exit (i32.add (global.get 0) (i32.const 3))))
		(func (export "noisy") (call $log (i32.const 1))))`)
	code, _, errOut := kilnRun(t, m)
	if code != exitError || !strings.Contains(errOut, `unknown import "env"`) || !strings.Contains(errOut, "--stub-imports stands in") {
		t.Fatalf("without --stub-imports: code %d, stderr %q", code, errOut)
	}
	code, _, errOut = kilnRun(t, "--stub-imports", m)
	if code != 3 || !strings.Contains(errOut, "stand-ins for 3 missing imports: env.log (func), env.memory (memory), env.base (global)") {
		t.Errorf("_start with stand-ins: code %d, stderr %q", code, errOut)
	}
	code, _, errOut = kilnRun(t, "--stub-imports", "--invoke", "noisy", m)
	if code != exitTrap || !strings.Contains(errOut, "wasm trap: unreachable (called env.log, a missing import stubbed by --stub-imports)") {
		t.Errorf("calling a stub: code %d, stderr %q", code, errOut)
	}
}

// A C program built with -g that traps shows file:line in kiln run's
// backtrace (testdata/dwarf/divide.c, see its build.sh).
func TestRunTrapShowsSourceLines(t *testing.T) {
	code, _, errOut := kilnRun(t, filepath.Join("..", "..", "testdata", "dwarf", "divide.wasm"))
	if code != exitTrap {
		t.Fatalf("code %d, stderr %q", code, errOut)
	}
	for _, want := range []string{
		"wasm trap: integer divide by zero (in divide at divide.c:7:11)",
		" - divide at divide.c:7:11\n",
		" - average at divide.c:11:9\n",
		" - main at divide.c:16:17\n",
	} {
		if !strings.Contains(errOut, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errOut)
		}
	}
}
