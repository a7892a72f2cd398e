package validator

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// ValidateFuncs validates the module's sections, then the bodies of its
// defined functions defs (indices in definition order) only, driving
// the visitors newVisitor returns (nil: none) on them. It serves an
// engine that reads some bodies of a module validated before (a JIT
// compiling hot functions in the background); a visitor's error stops
// it, as an invalid body does.
func ValidateFuncs(m *wasm.Module, features wasm.Features, defs []int, newVisitor func(funcIndex uint32) FuncVisitor) error {
	fs, err := NewFuncs(m, features)
	if err != nil {
		return err
	}
	return fs.Validate(defs, newVisitor)
}

// Funcs validates function bodies of one module, a few at a time, after
// checking the module's other sections once (NewFuncs): an engine that
// reads the bodies of a module in many small batches (tiering's compiles
// of hot functions) pays for the sections once, not per batch. A Funcs
// is used by one goroutine at a time.
type Funcs struct {
	mc *moduleChecker
	fc *funcChecker
}

// NewFuncs checks m's sections under features and returns the checker
// of its bodies.
func NewFuncs(m *wasm.Module, features wasm.Features) (*Funcs, error) {
	mc := newModuleChecker(m, features.WithImplied())
	if err := mc.checkSections(); err != nil {
		return nil, err
	}
	return &Funcs{mc: mc, fc: newFuncChecker(mc)}, nil
}

// Validate validates the bodies of the defined functions defs as
// ValidateFuncs does.
func (fs *Funcs) Validate(defs []int, newVisitor func(funcIndex uint32) FuncVisitor) error {
	for _, i := range defs {
		if i < 0 || i >= len(fs.mc.m.Funcs) {
			return fmt.Errorf("validator: no defined function %d", i)
		}
		if err := fs.mc.checkFunc(fs.fc, i, newVisitor); err != nil {
			return err
		}
	}
	fs.fc.visitor = nil // not kept alive between batches
	return nil
}
