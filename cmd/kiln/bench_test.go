package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
)

// kilnBench runs `kiln bench args...` and returns the exit code and output.
func kilnBench(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := runBench(args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func benchJSON(t *testing.T, args ...string) []benchResult {
	t.Helper()
	code, out, errOut := kilnBench(t, append([]string{"--json"}, args...)...)
	if code != 0 {
		t.Fatalf("kiln bench %v: exit %d: %s", args, code, errOut)
	}
	var rs []benchResult
	if err := json.Unmarshal([]byte(out), &rs); err != nil {
		t.Fatalf("kiln bench %v: %v\n%s", args, err, out)
	}
	return rs
}

// spinWat spins $n iterations of a loop in a function, optionally
// between bench.start and bench.end, and grows its memory to 4 pages.
const spinWat = `(module
  (import "bench" "start" (func $start))
  (import "bench" "end" (func $end))
  (memory 1)
  (func $spin (param $n i32)
    (loop $l (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br_if $l (i32.gt_s (local.get $n) (i32.const 0)))))
  (func (export "outside") (param $n i32) (result i32)
    (drop (memory.grow (i32.const 3)))
    (call $spin (local.get $n)) (call $start) (call $end) (memory.size))
  (func (export "inside") (param $n i32)
    (call $start) (call $spin (local.get $n)) (call $end)))`

func TestBenchInvoke(t *testing.T) {
	m := writeWat(t, spinWat)
	rs := benchJSON(t, "-n", "3", "--invoke", "outside", m, "--", "1000")
	if len(rs) != 1 {
		t.Fatalf("got %d results, want 1", len(rs))
	}
	r := rs[0]
	if r.Engine != "interpreter" || r.Runs != 3 || !r.Markers {
		t.Errorf("result %+v: want engine interpreter, 3 runs, bench markers", r)
	}
	if len(r.Results) != 1 || r.Results[0] != "4" {
		t.Errorf("results %v, want [4] (memory.size after growing by 3)", r.Results)
	}
	if r.PeakMemory != 4*65536 {
		t.Errorf("peak memory %d, want %d", r.PeakMemory, 4*65536)
	}
	// 1000 loop iterations plus a few function entries.
	if r.Fuel < 1000 || r.Fuel > 1010 {
		t.Errorf("fuel %d, want 1000 loop iterations and a few calls", r.Fuel)
	}
	if !(r.Compile.Min <= r.Compile.Median && r.Compile.Median <= r.Compile.Max) || r.Compile.Min <= 0 {
		t.Errorf("compile stats %+v not ordered", r.Compile)
	}
}

// TestBenchMarkers checks that only the code between bench.start and
// bench.end is timed: the same spin outside the markers is not counted.
func TestBenchMarkers(t *testing.T) {
	m := writeWat(t, spinWat)
	const n = "3000000"
	outside := benchJSON(t, "-n", "3", "--invoke", "outside", m, "--", n)[0]
	inside := benchJSON(t, "-n", "3", "--invoke", "inside", m, "--", n)[0]
	if outside.Run.Max >= inside.Run.Min {
		t.Errorf("empty marked interval took up to %dns, the marked spin at least %dns: the spin outside the markers was timed",
			outside.Run.Max, inside.Run.Min)
	}
	if outside.Fuel < 3000000 {
		t.Errorf("fuel %d: the warm-up run meters the whole call, markers or not", outside.Fuel)
	}
}

// TestBenchWASI runs a command that returns from _start (exit 0), then
// helloWat, which exits with its argument count: a failed run.
func TestBenchWASI(t *testing.T) {
	m := writeWat(t, `(module
	  (import "wasi_snapshot_preview1" "args_sizes_get" (func $sizes (param i32 i32) (result i32)))
	  (memory (export "memory") 1)
	  (func (export "_start") (drop (call $sizes (i32.const 0) (i32.const 4)))))`)
	code, out, errOut := kilnBench(t, "-n", "2", m, "--", "abc")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"compile", "instantiate", "run", "exit 0", "64 KiB"} {
		if !strings.Contains(out, want) {
			t.Errorf("table lacks %q:\n%s", want, out)
		}
	}
	m = writeWat(t, helloWat)
	code, _, errOut = kilnBench(t, "-n", "1", m, "--", "a")
	if code != exitError || !strings.Contains(errOut, "exited with code 2") || !strings.Contains(errOut, "hello") {
		t.Errorf("failing guest: exit %d, stderr %q; want %d, the exit code and the guest's output", code, errOut, exitError)
	}
}

func TestBenchUsage(t *testing.T) {
	m := writeWat(t, spinWat)
	for _, c := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"help", []string{"-h"}, 0, `"bench" "start"`},
		{"no module", nil, exitUsage, "missing MODULE"},
		{"unknown engine", []string{"--engine", "interpreter,warp", m}, exitUsage, `unknown engine "warp" (available in this build: interpreter, auto`},
		{"zero runs", []string{"-n", "0", m}, exitUsage, "-n 0"},
		{"no _start", []string{m}, exitError, "use --invoke"},
		{"bad argument", []string{"--invoke", "inside", m, "--", "x"}, exitError, "is not an i32"},
		{"missing file", []string{"/nonexistent.wasm"}, exitError, "no such file"},
	} {
		code, _, errOut := kilnBench(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: exit %d, stderr %q; want %d and %q", c.name, code, errOut, c.code, c.want)
		}
	}
	if kiln.EngineJIT.Available() != nil {
		if code, _, errOut := kilnBench(t, "--engine", "jit", m); code != exitUsage || !strings.Contains(errOut, "engine jit: not available") {
			t.Errorf("unavailable engine: exit %d, stderr %q", code, errOut)
		}
	}
}

func TestEngineFlag(t *testing.T) {
	var list []engine
	f := engineList{&list}
	if err := f.Set("interp,interpreter"); err != nil || len(list) != 1 || list[0].name != "interpreter" {
		t.Errorf("Set(interp,interpreter): %v, %v; want one interpreter", err, list)
	}
}
