package difftest

import (
	"context"
	"strings"
)

// wabtTraps maps the beginnings of wasm-interp's trap messages to kinds.
var wabtTraps = []trapMessage{
	{"unreachable executed", trapUnreachable},
	{"integer divide by zero", trapDivZero},
	{"integer overflow", trapOverflow},
	{"invalid conversion to integer", trapConversion},
	{"out of bounds memory access", trapMemory},
	{"out of bounds table access", trapTable},
	{"indirect call signature mismatch", trapIndirectType},
	{"undefined table index", trapUndefined},
	{"uninitialized table element", trapUninitialized},
	{"call stack exhausted", trapStack},
}

// RunWabt runs bin with wasm-interp --run-all-exports (tool is its path)
// and parses its report.
func RunWabt(ctx context.Context, tool, dir string, bin []byte) ([]Outcome, error) {
	out, err := runEngine(ctx, "wasm-interp", dir, bin, tool, "--run-all-exports")
	if err != nil {
		return nil, err
	}
	return ParseWabt(out)
}

// ParseWabt parses wasm-interp's lines "name() => i32:5, v128 i32x4:..."
// and "name() => error: message".
func ParseWabt(out string) ([]Outcome, error) {
	var res []Outcome
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		o, err := parseReportLine(line, "wasm-interp", wabtTraps)
		if err != nil {
			return nil, err
		}
		res = append(res, o)
	}
	return res, nil
}
