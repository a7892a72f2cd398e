//go:build !kilnjit

package kiln

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
)

// jitEngines is EngineJIT, EngineBaseline or EngineOptimizing in
// default builds: not available (build with -tags kilnjit for the JIT,
// see engine_jit.go).
func jitEngines(e Engine) ([]engine.Engine, engine.Tierer, error) {
	return nil, nil, fmt.Errorf("kiln: engine %v: %w: this build has no JIT compiler (build with -tags kilnjit)", e, ErrEngineUnavailable)
}

// autoEngines is EngineAuto in default builds: the interpreter.
func autoEngines() ([]engine.Engine, engine.Tierer, error) {
	return []engine.Engine{interp.NewEngine()}, nil, nil
}
