package interp

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/wasm"
)

// Engine is the interpreter as an engine.Engine: its code is *Code, its
// executor a *Machine.
type Engine struct{}

// NewEngine returns the interpreter engine.
func NewEngine() Engine { return Engine{} }

var _ engine.Engine = Engine{}

// Name is "interpreter".
func (Engine) Name() string { return "interpreter" }

// NewCompiler returns a translator for module m.
func (Engine) NewCompiler(m *wasm.Module) engine.Compiler { return engineCompiler{NewCompiler(m)} }

// engineCompiler gives Compiler the engine.Compiler signature.
type engineCompiler struct{ *Compiler }

func (c engineCompiler) Codes() []any {
	out := make([]any, len(c.codes))
	for i, code := range c.codes {
		out[i] = code
	}
	return out
}

// Owns reports whether code is a *Code.
func (Engine) Owns(code any) bool {
	_, ok := code.(*Code)
	return ok
}

// CodeFormat is the serialized format (CodeFormat).
func (Engine) CodeFormat() uint32 { return CodeFormat }

// AppendCodes serializes codes, which must all be *Code.
func (Engine) AppendCodes(b []byte, codes []any) ([]byte, error) {
	cs := make([]*Code, len(codes))
	for i, c := range codes {
		code, ok := c.(*Code)
		if !ok {
			return nil, fmt.Errorf("interp: function %d: code of type %T is not the interpreter's", i, c)
		}
		cs[i] = code
	}
	return AppendCodes(b, cs), nil
}

// DecodeCodes decodes what AppendCodes wrote.
func (Engine) DecodeCodes(_ *wasm.Module, b []byte, alias bool) ([]any, error) {
	cs, err := DecodeCodes(b, alias)
	if err != nil {
		return nil, err
	}
	out := make([]any, len(cs))
	for i, c := range cs {
		out[i] = c
	}
	return out, nil
}

// NewExecutor returns a Machine.
func (Engine) NewExecutor(cfg engine.ExecConfig) engine.Executor {
	m := NewMachine(cfg.Limits)
	m.sampling = cfg.Sampling
	m.foreign = cfg.Foreign
	m.tierer = cfg.Tierer
	return m
}
