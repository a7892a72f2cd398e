// Package jittest is shared test support for the JIT packages.
package jittest

import (
	"fmt"
	"os"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// Scripts parses every script of the suite's wasm-2.0 directory (skipping
// the test when the suite is missing, see testsuite.Spec) and calls f
// with each.
func Scripts(t *testing.T, f func(file string, script *wast.Script)) {
	t.Helper()
	dir := testsuite.Spec(t, "wasm-2.0")
	for _, file := range testsuite.WastFiles(t, dir) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		script, err := wast.Parser{Features: wasm.Features2}.ParseScript(file, src)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		f(file, script)
	}
}

// Modules decodes every module of the suite's wasm-2.0 scripts (those
// that decode with the 2.0 features) and calls f with each and where it
// is (file:position).
func Modules(t *testing.T, f func(where string, m *wasm.Module)) {
	t.Helper()
	Scripts(t, func(file string, script *wast.Script) {
		for _, c := range script.Commands {
			mc, ok := c.(*wast.ModuleCommand)
			if !ok || mc.Module.Binary == nil {
				continue
			}
			m, err := decoder.Decode(mc.Module.Binary, wasm.Features2)
			if err != nil {
				continue
			}
			f(fmt.Sprintf("%s:%v", file, mc.Module.Pos), m)
		}
	})
}
