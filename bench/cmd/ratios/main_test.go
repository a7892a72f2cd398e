package main

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/bench"
)

// fakeEngine stands in for a runtime in report tests; it is never run.
type fakeEngine struct {
	name, rt string
	kind     bench.Kind
}

func (f fakeEngine) Name() string     { return f.name }
func (f fakeEngine) Runtime() string  { return f.rt }
func (f fakeEngine) Kind() bench.Kind { return f.kind }
func (f fakeEngine) Close(context.Context) error {
	return nil
}
func (f fakeEngine) Compile(context.Context, []byte) (bench.Compiled, error) {
	return nil, errors.New("fake")
}

func TestReportRatiosAndGeomean(t *testing.T) {
	engines := []bench.Engine{
		fakeEngine{"kiln-interp", "kiln", bench.Interpreter},
		fakeEngine{"kiln-jit", "kiln", bench.Compiler},
		fakeEngine{"wazero-interp", "wazero", bench.Interpreter},
		fakeEngine{"wazero-compiler", "wazero", bench.Compiler},
	}
	cases := []bench.Case{{Group: "run", Name: "a"}, {Group: "run", Name: "b"}, {Group: "call", Name: "c"}}
	results := map[string]map[string]cell{
		"run/a": {"kiln-interp": {nsPerOp: 200}, "kiln-jit": {nsPerOp: 5}, "wazero-interp": {nsPerOp: 100}, "wazero-compiler": {nsPerOp: 10}},
		"run/b": {"kiln-interp": {nsPerOp: 800}, "kiln-jit": {nsPerOp: 200}, "wazero-interp": {nsPerOp: 100}, "wazero-compiler": {nsPerOp: 100}},
		"call/c": {"kiln-interp": {skipped: "no WASI"}, "kiln-jit": {nsPerOp: 7}, "wazero-interp": {nsPerOp: 5},
			"wazero-compiler": {err: errors.New("boom")}},
	}
	var sb strings.Builder
	report(&sb, cases, engines, results)
	out := sb.String()
	for _, want := range []string{
		"| case | kiln-interp | kiln-jit | wazero-interp | wazero-compiler | kiln-interp / wazero-interp | kiln-interp / wazero-compiler | kiln-jit / wazero-compiler |",
		"| a | 200 ns | 5 ns | 100 ns | 10 ns | 2.00x | 20.00x | 0.50x |",
		"| b | 800 ns | 200 ns | 100 ns | 100 ns | 8.00x | 8.00x | 2.00x |",
		"| **geomean** |  |  |  |  | **4.00x** | **12.65x** | **1.00x** |",
		"|---|---:|---:|---:|---:|---:|---:|---:|",
		"| c | skipped | 7 ns | 5 ns | error | - | - | - |",
		"call/c skipped on kiln-interp: no WASI",
		"call/c on wazero-compiler: boom",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q; got:\n%s", want, out)
		}
	}
}

func TestReportWithoutKiln(t *testing.T) {
	engines := []bench.Engine{fakeEngine{"wazero-interp", "wazero", bench.Interpreter}}
	var sb strings.Builder
	report(&sb, []bench.Case{{Group: "run", Name: "a"}}, engines,
		map[string]map[string]cell{"run/a": {"wazero-interp": {nsPerOp: 1500}}})
	if out := sb.String(); !strings.Contains(out, "| a | 1.5 µs |") || !strings.Contains(out, "no ratios") {
		t.Errorf("unexpected report:\n%s", out)
	}
}

func TestDuration(t *testing.T) {
	for ns, want := range map[float64]string{12: "12 ns", 1234: "1.23 µs", 2.5e6: "2.5 ms", 3e9: "3 s"} {
		if got := duration(ns); got != want {
			t.Errorf("duration(%v) = %q, want %q", ns, got, want)
		}
	}
}
