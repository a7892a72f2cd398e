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
	mc := newModuleChecker(m, features.WithImplied())
	if err := mc.checkSections(); err != nil {
		return err
	}
	fc := newFuncChecker(mc)
	for _, i := range defs {
		if i < 0 || i >= len(m.Funcs) {
			return fmt.Errorf("validator: no defined function %d", i)
		}
		if err := mc.checkFunc(fc, i, newVisitor); err != nil {
			return err
		}
	}
	return nil
}
