package main

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
)

// tableBombWat is the table bomb: 100 funcref tables of 10M
// elements, each filled by one table.fill in _start (about 1.8 KB).
func tableBombWat() string {
	var b strings.Builder
	b.WriteString("(module (func $f) (elem declare func $f)\n")
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, "(table $t%d 10000000 funcref)\n", i)
	}
	b.WriteString(`(func (export "_start")`)
	for i := 0; i < 100; i++ {
		fmt.Fprintf(&b, " (table.fill $t%d (i32.const 0) (ref.func $f) (i32.const 10000000))", i)
	}
	b.WriteString("))")
	return b.String()
}

// TestRunTableLimits: tables count against --max-memory (at
// kiln.TableElementBytes per element) and --max-table-elements, whose
// default bounds a run that sets no flag; a table.grow bomb stops at the
// default total.
func TestRunTableLimits(t *testing.T) {
	bomb := writeWat(t, tableBombWat())
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"memory and fuel", []string{"--max-memory", "64K", "--fuel", "1000"}},
		{"defaults", nil},
		{"flag", []string{"--max-table-elements", "1000"}},
	} {
		code, _, errOut := kilnRun(t, append(tc.args, bomb)...)
		if code != exitError || !strings.Contains(errOut, "limiter") {
			t.Errorf("%s: code %d, stderr %q; want exit %d, refused by the limiter", tc.name, code, errOut, exitError)
		}
	}
	grow := writeWat(t, `(module (table $t 0 funcref)
	  (func (export "bomb") (result i32)
	    (loop $l (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 100000)) (i32.const -1))))
	    (table.size $t)))`)
	if code, out, errOut := kilnRun(t, "--invoke", "bomb", grow); code != 0 || out != fmt.Sprintf("%d\n", defaultMaxTableElements) {
		t.Errorf("table.grow bomb: code %d, stdout %q, stderr %q; want %d", code, out, errOut, defaultMaxTableElements)
	}
	if code, out, errOut := kilnRun(t, "--max-table-elements", "250000", "--invoke", "bomb", grow); code != 0 || out != "200000\n" {
		t.Errorf("table.grow bomb under 250000: code %d, stdout %q, stderr %q", code, out, errOut)
	}
}

// TestRunTrapBacktraceIsShort: a trap deep in a recursion prints the
// innermost kiln.BacktraceFrames frames and a count of the others, not
// thousands of lines.
func TestRunTrapBacktraceIsShort(t *testing.T) {
	m := writeWat(t, `(module (func $f (export "f") (param i32) (result i32)
	  (if (i32.eqz (local.get 0)) (then unreachable))
	  (call $f (i32.sub (local.get 0) (i32.const 1)))))`)
	code, _, errOut := kilnRun(t, "--invoke", "f", m, "5000")
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	if code != exitTrap || len(lines) != kiln.BacktraceFrames+3 || lines[len(lines)-1] != "  ... 4969 more frames" {
		t.Fatalf("code %d, %d lines of stderr ending %q; want exit %d, %d lines, 4969 more frames",
			code, len(lines), lines[len(lines)-1], exitTrap, kiln.BacktraceFrames+3)
	}
}

// sumWat recurses n frames deep.
const sumWat = `(module (func $sum (export "sum") (param i32) (result i32)
  (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
    (else (i32.add (local.get 0) (call $sum (i32.sub (local.get 0) (i32.const 1))))))))`

// TestRunMaxStack: the default frame stack holds a million frames of a
// small function; --max-stack SIZE bounds it in bytes.
func TestRunMaxStack(t *testing.T) {
	m := writeWat(t, sumWat)
	if code, out, errOut := kilnRun(t, "--invoke", "sum", m, "1000000"); code != 0 || out != "1784293664\n" {
		t.Errorf("sum(1000000): code %d, stdout %q, stderr %.200q", code, out, errOut)
	}
	code, _, errOut := kilnRun(t, "--max-stack", "1M", "--invoke", "sum", m, "1000000")
	if code != exitTrap || !strings.Contains(errOut, "call stack exhausted (the frame stack would exceed 1048576 bytes)") {
		t.Errorf("--max-stack 1M: code %d, stderr %.300q", code, errOut)
	}
	if code, _, errOut := kilnRun(t, "--max-stack", "1 elephant", m); code != exitUsage {
		t.Errorf("bad size: code %d, stderr %q", code, errOut)
	}
}
