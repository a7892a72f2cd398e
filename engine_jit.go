//go:build kilnjit

package kiln

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/jit/jitengine"
)

// jitEngines is EngineJIT, EngineBaseline or EngineOptimizing (e) in
// builds with the kilnjit tag: the JIT (jit/jitengine), which leaves
// what it does not compile to the interpreter, function by function,
// and, for EngineJIT, its tierer (the baseline's hot functions compiled
// again by the optimising pipeline).
func jitEngines(e Engine) ([]engine.Engine, engine.Tierer, error) {
	fb := interp.NewEngine()
	var j engine.Engine
	var tierer engine.Tierer
	var err error
	switch e {
	case EngineJIT:
		j, tierer, err = jitengine.NewTieredBaseline(fb)
	default:
		j, err = jitengine.New(fb)
		if err == nil && e == EngineBaseline {
			j.(*jitengine.Engine).Baseline()
		}
	}
	if err != nil {
		return nil, nil, fmt.Errorf("kiln: engine %v: %w: %v", e, ErrEngineUnavailable, err)
	}
	return []engine.Engine{j, fb}, tierer, nil
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
