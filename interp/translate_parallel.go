package interp

import (
	"runtime"
	"sync"

	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Validate validates the module and translates its functions on every
// core (engine.Validator): the validator checks bodies on GOMAXPROCS
// goroutines, each function driving a translator taken from a pool and
// given back when the function ends, so a goroutine reuses one
// translator's buffers. Translations of different functions share
// nothing but the Compiler's read-only types and their own slot of
// codes. A large module (jsonrt's 2 MB of code) starts in about half
// the time on two cores.
func (c *Compiler) Validate(features wasm.Features) error {
	var pool sync.Pool
	return validator.Validate(c.mod, validator.Config{Features: features, Concurrency: runtime.GOMAXPROCS(0)}, func(funcIndex uint32) validator.FuncVisitor {
		t, _ := pool.Get().(*translator)
		if t == nil {
			t = new(translator)
		}
		t.comp, t.def = c, funcIndex-c.mod.NumImportedFuncs
		return pooledTranslator{t, &pool}
	})
}

// pooledTranslator gives its translator back to the pool when the
// function ends (a function whose validation fails leaves it to the GC).
type pooledTranslator struct {
	*translator
	pool *sync.Pool
}

func (p pooledTranslator) End(f *validator.Func) error {
	err := p.translator.End(f)
	p.pool.Put(p.translator)
	return err
}
