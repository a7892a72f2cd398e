//go:build (amd64 || arm64) && unix

package jitengine

import (
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/wasm"
)

// capturing reports whether m imports a host function that captures its
// caller (engine.CapturingImport: WASIX's fork and setjmp/longjmp).
// Machine code's frames cannot be captured, so all of such a module's
// functions run in the fallback (the interpreter), which can; they are
// counted as the fallback's (CompiledModule.EngineStats).
func capturing(m *wasm.Module) bool {
	for _, im := range m.Imports {
		if im.Kind == wasm.ExternFunc && engine.CapturingImport(im.Module, im.Name) {
			return true
		}
	}
	return false
}
