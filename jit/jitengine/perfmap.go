//go:build (amd64 || arm64) && unix

package jitengine

import (
	"fmt"
	"os"
	"strings"
	"sync"

	"github.com/kilnrt/kiln/wasm"
)

// PerfMapEnv is the environment variable that turns the perf map on:
// with KILN_PERFMAP=1, every function the JIT compiles gets a line
// "START SIZE wasm[MODULE]:func[INDEX]" (hexadecimal address and size,
// then the module's name from its name section, the function index and
// its debug name when it has one) in /tmp/perf-PID.map, the file Linux
// perf reads to name code it finds no symbols for, so that `perf
// report` shows JIT frames by function. The file only grows: code
// unmapped later keeps its lines (perf resolves addresses by the last
// line covering them).
const PerfMapEnv = "KILN_PERFMAP"

var perfMap struct {
	mu   sync.Mutex
	file *os.File
	err  error // opening failed: not retried
}

// perfMapPath is the file perf reads for this process.
func perfMapPath() string { return fmt.Sprintf("/tmp/perf-%d.map", os.Getpid()) }

// writePerfMap appends the lines of cm's functions, mapped at base, when
// PerfMapEnv asks for it. Failing to write only loses the profile's
// names: the error is kept, not returned.
func writePerfMap(m *wasm.Module, base uintptr, cm *genModule) {
	if os.Getenv(PerfMapEnv) != "1" {
		return
	}
	var b strings.Builder
	for i, e := range cm.Entries {
		if e < 0 {
			continue
		}
		fmt.Fprintf(&b, "%x %x %s\n", base+uintptr(e), cm.Sizes[i], perfSymbol(m, uint32(i)))
	}
	perfMap.mu.Lock()
	defer perfMap.mu.Unlock()
	if perfMap.file == nil && perfMap.err == nil {
		perfMap.file, perfMap.err = os.OpenFile(perfMapPath(), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	}
	if perfMap.file != nil {
		_, _ = perfMap.file.WriteString(b.String())
	}
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
