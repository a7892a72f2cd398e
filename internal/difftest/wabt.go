package difftest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// wabtTraps maps the beginnings of wasm-interp's trap messages to kinds.
var wabtTraps = []struct{ prefix, kind string }{
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
	p := filepath.Join(dir, "module.wasm")
	if err := os.WriteFile(p, bin, 0o644); err != nil {
		return nil, err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, "--run-all-exports", p)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("wasm-interp: %v: %s", err, stderr.Bytes())
	}
	return ParseWabt(stdout.String())
}

// ParseWabt parses wasm-interp's lines "name() => i32:5, v128 i32x4:..."
// and "name() => error: message".
func ParseWabt(out string) ([]Outcome, error) {
	var res []Outcome
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		name, rest, ok := strings.Cut(line, "() =>")
		if !ok {
			return nil, fmt.Errorf("unexpected wasm-interp line %q", line)
		}
		o := Outcome{Export: name}
		rest = strings.TrimSpace(rest)
		if msg, ok := strings.CutPrefix(rest, "error: "); ok {
			for _, t := range wabtTraps {
				if strings.HasPrefix(msg, t.prefix) {
					o.Trap = t.kind
				}
			}
			if o.Trap == "" {
				return nil, fmt.Errorf("unknown wasm-interp error %q", msg)
			}
		} else if rest != "" {
			o.Values = strings.Split(rest, ", ")
		}
		res = append(res, o)
	}
	return res, nil
}
