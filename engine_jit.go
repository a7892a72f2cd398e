//go:build kilnjit

package kiln

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/jit/jitengine"
)

// jitEngines is EngineJIT in builds with the kilnjit tag: the JIT
// (jit/jitengine), which leaves what it does not compile to the
// interpreter, function by function. The tag keeps it out of default
// builds. With baseline it is EngineBaseline: the same engine compiling
// with its baseline compiler where it can.
func jitEngines(baseline bool) ([]engine.Engine, error) {
	fb := interp.NewEngine()
	j, err := jitengine.New(fb)
	if err != nil {
		return nil, fmt.Errorf("kiln: engine jit: %w: %v", ErrEngineUnavailable, err)
	}
	if baseline {
		j.(*jitengine.Engine).Baseline()
	}
	return []engine.Engine{j, fb}, nil
}

// autoEngines is EngineAuto in builds with the kilnjit tag: tiering
// (the interpreter compiles, the JIT takes the hot functions over; see
// engine.Tiered), or the interpreter alone on a CPU the JIT does not
// support.
func autoEngines() ([]engine.Engine, engine.Tierer, error) {
	fb := interp.NewEngine()
	j, tierer, err := jitengine.NewTiering(fb)
	if err != nil {
		return []engine.Engine{fb}, nil, nil
	}
	return []engine.Engine{fb, j}, tierer, nil
}
