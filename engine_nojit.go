//go:build !kilnjit

package kiln

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
)

// jitEngines is EngineJIT in default builds: not available (build with
// -tags kilnjit for the JIT, see engine_jit.go).
func jitEngines(bool) ([]engine.Engine, error) {
	return nil, fmt.Errorf("kiln: engine jit: %w: this build has no JIT compiler (build with -tags kilnjit)", ErrEngineUnavailable)
}

// autoEngines is EngineAuto in default builds: the interpreter.
func autoEngines() ([]engine.Engine, engine.Tierer, error) {
	return []engine.Engine{interp.NewEngine()}, nil, nil
}
