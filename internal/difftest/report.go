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

// trapMessage maps the beginning of a reference engine's trap message to
// the trap kinds it may stand for (alternatives separated by "|").
type trapMessage struct{ prefix, kinds string }

// runEngine writes bin to dir/module.wasm and runs tool with args and the
// module's path, returning its standard output; engine names it in errors.
func runEngine(ctx context.Context, engine, dir string, bin []byte, tool string, args ...string) (string, error) {
	p := filepath.Join(dir, "module.wasm")
	if err := os.WriteFile(p, bin, 0o644); err != nil {
		return "", err
	}
	var stdout, stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, tool, append(args, p)...)
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%s: %v: %s", engine, err, stderr.Bytes())
	}
	return stdout.String(), nil
}

// parseReportLine parses one line of a reference engine's report, in
// wasm-interp's format: "name() => i32:5, i64:7" or "name() => error:
// message", where traps turns the message into trap kinds (the last
// matching prefix wins); engine names the engine in errors.
func parseReportLine(line, engine string, traps []trapMessage) (Outcome, error) {
	name, rest, ok := strings.Cut(line, "() =>")
	if !ok {
		return Outcome{}, fmt.Errorf("unexpected %s line %q", engine, line)
	}
	o := Outcome{Export: name}
	rest = strings.TrimSpace(rest)
	if msg, ok := strings.CutPrefix(rest, "error: "); ok {
		for _, t := range traps {
			if strings.HasPrefix(msg, t.prefix) {
				o.Trap = t.kinds
			}
		}
		if o.Trap == "" {
			return Outcome{}, fmt.Errorf("unknown %s error %q", engine, msg)
		}
	} else if rest != "" {
		o.Values = strings.Split(rest, ", ")
	}
	return o, nil
}
