package main

import (
	"io"
	"testing"
)

// TestRunPerfMapFlag: --perf-map sets the runtime's PerfMap, and
// KILN_PERFMAP=1 only changes its default (--perf-map=false still wins).
func TestRunPerfMapFlag(t *testing.T) {
	for _, c := range []struct {
		env  string
		args []string
		want bool
	}{
		{"", []string{"m.wasm"}, false},
		{"", []string{"--perf-map", "m.wasm"}, true},
		{"1", []string{"m.wasm"}, true},
		{"0", []string{"m.wasm"}, false},
		{"1", []string{"--perf-map=false", "m.wasm"}, false},
	} {
		t.Setenv(perfMapEnv, c.env)
		o, code := parseRunFlags(c.args, io.Discard)
		if code >= 0 {
			t.Fatalf("%s=%q %v: exit %d", perfMapEnv, c.env, c.args, code)
		}
		if o.perfMap != c.want {
			t.Errorf("%s=%q %v: perf map %v, want %v", perfMapEnv, c.env, c.args, o.perfMap, c.want)
		}
	}
}
