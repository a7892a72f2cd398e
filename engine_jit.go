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
// builds until the JIT covers enough (bulk memory, table instructions,
// references and SIMD are not compiled yet).
func jitEngines() ([]engine.Engine, error) {
	fb := interp.NewEngine()
	j, err := jitengine.New(fb)
	if err != nil {
		return nil, fmt.Errorf("kiln: engine jit: %w: %v", ErrEngineUnavailable, err)
	}
	return []engine.Engine{j, fb}, nil
}
