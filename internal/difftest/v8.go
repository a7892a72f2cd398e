package difftest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
)

// v8Runner is the Node.js script RunV8 runs: it instantiates the module
// and calls every exported function in order, printing wasm-interp's
// format (modules for it return only i32 and i64). Its "host" module
// behaves like RegisterHost's.
const v8Runner = `const fs = require('fs');
const mod = new WebAssembly.Module(fs.readFileSync(process.argv[2]));
let inst, depth = 0, remaining = 0;
const fns = WebAssembly.Module.exports(mod).filter(e => e.kind === 'function').map(e => e.name);
const host = {
  mix: (a, b) => BigInt.asIntN(64, a * -7046029254386353131n + BigInt(b)),
  reenter: (x) => {
    if (depth >= ` + maxReentryJS + ` || remaining <= 0 || fns.length === 0) return (x + 1) | 0;
    const f = inst.exports[fns[(x >>> 0) % fns.length]];
    depth++; remaining--;
    let r;
    try { r = f(); } finally { depth--; }
    if (r === undefined) r = [];
    else if (!Array.isArray(r)) r = [r];
    let h = r.length | 0;
    for (const v of r) h = (Math.imul(h, 31) + (typeof v === 'bigint' ? Number(BigInt.asIntN(32, v)) : (v | 0))) | 0;
    return h;
  },
};
inst = new WebAssembly.Instance(mod, {host});
for (const name of fns) {
  let line = name + '() =>';
  remaining = ` + reentryCallsJS + `;
  try {
    let r = inst.exports[name]();
    if (r === undefined) r = [];
    else if (!Array.isArray(r)) r = [r];
    const parts = r.map(v => typeof v === 'bigint' ? 'i64:' + BigInt.asUintN(64, v) : 'i32:' + (v >>> 0));
    if (parts.length) line += ' ' + parts.join(', ');
  } catch (err) {
    line += ' error: ' + (err instanceof TypeError ? 'TypeError: ' : '') + err.message;
  }
  console.log(line);
}
`

const (
	maxReentryJS   = "2" // maxReentry
	reentryCallsJS = "4" // reentryCalls
)

// v8Traps maps V8's trap messages to the kinds they may stand for (V8
// does not tell some kinds apart).
var v8Traps = []trapMessage{
	{"unreachable", trapUnreachable},
	{"divide by zero", trapDivZero},
	{"remainder by zero", trapDivZero},
	{"divide result unrepresentable", trapOverflow},
	{"float unrepresentable in integer range", trapConversion + "|" + trapOverflow},
	{"element segment out of bounds", trapTable},
	{"data segment out of bounds", trapMemory},
	{"memory access out of bounds", trapMemory},
	{"table index is out of bounds", trapUndefined + "|" + trapTable},
	{"table access out of bounds", trapTable},
	{"null function or function signature mismatch", trapUninitialized + "|" + trapIndirectType},
	{"Maximum call stack size exceeded", trapStack},
}

// RunV8 runs bin with Node.js (node is its path) and parses the report.
func RunV8(ctx context.Context, node, dir string, bin []byte) ([]Outcome, error) {
	script := filepath.Join(dir, "run.js")
	if err := os.WriteFile(script, []byte(v8Runner), 0o644); err != nil {
		return nil, err
	}
	out, err := runEngine(ctx, "node", dir, bin, node, script)
	if err != nil {
		return nil, err
	}
	var res []Outcome
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		o, err := parseReportLine(line, "node", v8Traps)
		if err != nil {
			return nil, err
		}
		res = append(res, o)
	}
	return res, nil
}

// matches reports whether kiln's outcome g is one the reference outcome w
// allows (w.Trap may list alternatives separated by "|").
func matches(g, w Outcome) bool {
	if g.Trap != "" && w.Trap != "" {
		for _, k := range strings.Split(w.Trap, "|") {
			if k == g.Trap {
				return g.Export == w.Export
			}
		}
		return false
	}
	return g.String() == w.String()
}
