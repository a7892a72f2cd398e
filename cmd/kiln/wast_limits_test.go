package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
)

// spinWast invokes an infinite loop, then a function that returns, then
// instantiates a module whose start function never returns.
const spinWast = `(module
  (func (export "spin") (loop (br 0)))
  (func (export "ok") (result i32) (i32.const 7)))
(assert_return (invoke "spin"))
(assert_return (invoke "ok") (i32.const 7))
(module (func $s (loop (br 0))) (start $s))
`

func kilnWast(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := runWast(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// An infinite loop fails its assertion once its fuel is spent, and the
// script goes on.
func TestWastFuel(t *testing.T) {
	code, out, errOut := kilnWast("--fuel", "100000", writeWat(t, spinWast))
	for _, want := range []string{
		`m.wat:4:1: assert_return: expected [], got fuel exhausted: the call used all 100000 units`,
		`m.wat:6:1: module: expected instantiation, got fuel exhausted`,
		"2 passed, 2 failed, 0 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit code %d, want 1 (stderr %q)", code, errOut)
	}
}

// Without fuel, the timeout stops the script: the running command fails
// with the reason, and the commands not run count as failed.
func TestWastTimeout(t *testing.T) {
	code, out, _ := kilnWast("--fuel", "0", "--timeout", "100ms", writeWat(t, spinWast))
	for _, want := range []string{
		"m.wat:4:1: assert_return: expected [], got stopped: --timeout 100ms elapsed",
		"m.wat:5:1: script: expected every command to run, got stopped (--timeout 100ms elapsed): 2 commands not run",
		"1 passed, 3 failed, 0 skipped",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("stdout lacks %q:\n%s", want, out)
		}
	}
	if code != 1 {
		t.Errorf("exit code %d, want 1", code)
	}
	// Machine-readable results list each command not run as failed.
	_, out, _ = kilnWast("--fuel", "0", "--timeout", "100ms", "--json", writeWat(t, spinWast))
	if n := strings.Count(out, `"message": "not run: stopped (--timeout 100ms elapsed)"`); n != 2 {
		t.Errorf("--json lists %d commands not run, want 2:\n%s", n, out)
	}
}

// --engine selects among the engines of the build, by name or alias; an
// unknown or unavailable one is a usage error naming the available ones.
func TestWastEngine(t *testing.T) {
	m := writeWat(t, `(module (func (export "ok") (result i32) (i32.const 7)))
(assert_return (invoke "ok") (i32.const 7))`)
	for _, name := range []string{"interpreter", "interp", "auto"} {
		if code, out, errOut := kilnWast("--engine", name, m); code != 0 || !strings.Contains(out, "2 passed, 0 failed") {
			t.Errorf("--engine %s: exit %d, stdout %q, stderr %q", name, code, out, errOut)
		}
	}
	bad := []struct{ name, want string }{
		{"warp", `unknown engine "warp" (available in this build: interpreter, auto`},
	}
	if kiln.EngineJIT.Available() != nil {
		bad = append(bad, struct{ name, want string }{"jit", "engine jit: not available"})
	} else if code, out, errOut := kilnWast("--engine", "jit", m); code != 0 || !strings.Contains(out, "2 passed, 0 failed") {
		t.Errorf("--engine jit: exit %d, stdout %q, stderr %q", code, out, errOut)
	}
	for _, c := range bad {
		if code, _, errOut := kilnWast("--engine", c.name, m); code != exitUsage || !strings.Contains(errOut, c.want) {
			t.Errorf("--engine %s: exit %d, stderr %q; want %d and %q", c.name, code, errOut, exitUsage, c.want)
		}
	}
}
