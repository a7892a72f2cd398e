//go:build (amd64 || arm64) && unix

package jitengine

import (
	"fmt"
	"os"
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// WritePerfMap makes the engine describe the code it compiles for Linux
// perf: every function compiled gets a line "START SIZE
// wasm[MODULE]:func[INDEX]" (hexadecimal address and size, then the
// module's name from its name section, the function index and its debug
// name when it has one) in /tmp/perf-PID.map, the file perf reads to
// name code it finds no symbols for, so that `perf report` shows JIT
// frames by function. Call it before compiling anything; a runtime does
// with RuntimeConfig.PerfMap. The file only grows: code unmapped later
// keeps its lines (perf resolves addresses by the last line covering
// them).
func (e *Engine) WritePerfMap() { e.perfMap = true }

// perfMapPath is the file perf reads for this process.
func perfMapPath() string { return fmt.Sprintf("/tmp/perf-%d.map", os.Getpid()) }

// writePerfMap appends the lines of cm's functions, mapped at base, when
// the engine writes a perf map. Every compile appends its lines in one
// write to the file opened for appending, so compiles of several
// engines or runtimes of the process never interleave lines. Failing to
// write only loses the profile's names: the error is dropped.
func (e *Engine) writePerfMap(m *wasm.Module, base uintptr, cm *genModule) {
	if !e.perfMap {
		return
	}
	var b strings.Builder
	for i, off := range cm.Entries {
		if off < 0 {
			continue
		}
		fmt.Fprintf(&b, "%x %x %s\n", base+uintptr(off), cm.Sizes[i], perfSymbol(m, uint32(i)))
	}
	f, err := os.OpenFile(perfMapPath(), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return
	}
	_, _ = f.WriteString(b.String())
	_ = f.Close()
}

// perfSymbol names function idx of m: "wasm[MODULE]:func[INDEX]", then
// " NAME" when the name section names it (control characters, which
// would break the file's lines, become '?').
func perfSymbol(m *wasm.Module, idx uint32) string {
	mod, name := "", ""
	if m != nil && m.Names != nil {
		mod, name = m.Names.Module, m.Names.Funcs[idx]
	}
	s := fmt.Sprintf("wasm[%s]:func[%d]", mod, idx)
	if name != "" {
		s += " " + name
	}
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return '?'
		}
		return r
	}, s)
}
