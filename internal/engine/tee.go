package engine

import (
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Tee returns a visitor passing every call to each of vs in order,
// stopping at the first error, so that several engines compile one
// function in the validator's single pass: a runtime whose first engine
// may leave functions to a fallback engine has both compile every
// function. (An engine that cannot compile a function records that and
// returns no error, leaving a nil code.)
func Tee(vs ...validator.FuncVisitor) validator.FuncVisitor { return tee(vs) }

type tee []validator.FuncVisitor

func (t tee) Begin(f *validator.Func) error {
	for _, v := range t {
		if err := v.Begin(f); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) Instr(in *wasm.Instr, s *validator.State) error {
	for _, v := range t {
		if err := v.Instr(in, s); err != nil {
			return err
		}
	}
	return nil
}

func (t tee) End(f *validator.Func) error {
	for _, v := range t {
		if err := v.End(f); err != nil {
			return err
		}
	}
	return nil
}
