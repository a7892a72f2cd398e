//go:build (amd64 || arm64) && unix

package jitengine

import (
	"sync"

	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Baseline makes the engine compile with the back end's one-pass
// baseline compiler (codegen.Baseline) where it can: machine code from
// the validator's pass, without IR or optimisation, in a fraction of
// the optimising pipeline's time; the functions it does not take go
// through the optimising pipeline as before. On a back end without one
// (arm64) it changes nothing.
func (e *Engine) Baseline() { e.baseline = true }

// baseline is the back end's one-pass compiler of one function.
type baseline interface {
	validator.FuncVisitor
	Err() error
	Release()
}

// useBaseline reports whether m's functions go through the baseline
// (baselineFits).
func (e *Engine) useBaseline(m *wasm.Module) bool { return e.baseline && baselineFits(m) }

// baselineFits reports whether the back end has a baseline compiler
// that takes m's functions: it compiles what the optimising pipeline's
// memory and global conditions (supported) allow everywhere in the
// module.
func baselineFits(m *wasm.Module) bool {
	return hasBaseline && memoryOK(m) && len(importedMutableGlobals(m)) == 0
}

// maxTypeSlots is the most argument or result slots any function type
// of m takes: the outgoing slots a baseline frame reserves.
func maxTypeSlots(m *wasm.Module) int {
	n := 0
	slots := func(ts []wasm.ValType) int {
		k := len(ts)
		for _, t := range ts {
			if it, _ := front.IRType(t); it == ir.V128 {
				k++
			}
		}
		return k
	}
	for i := range m.Types {
		n = max(n, slots(m.Types[i].Params), slots(m.Types[i].Results))
	}
	return n
}

// baselineBuilding drives one function's baseline compile; a function
// it gives up on (or fails on) is recorded in redo, for the optimising
// pipeline. It never fails validation.
type baselineBuilding struct {
	b      baseline
	idx    int
	failed bool
	done   func(idx int, ok bool)
	bug    *panicOnce
}

func (v *baselineBuilding) Begin(f *validator.Func) error {
	defer v.bug.catch(&v.failed)
	v.failed = v.b.Begin(f) != nil || v.b.Err() != nil
	return nil
}

func (v *baselineBuilding) Instr(in *wasm.Instr, s *validator.State) error {
	if !v.failed {
		defer v.bug.catch(&v.failed)
		v.failed = v.b.Instr(in, s) != nil || v.b.Err() != nil
	}
	return nil
}

func (v *baselineBuilding) End(f *validator.Func) error {
	func() {
		defer v.bug.catch(&v.failed)
		if !v.failed {
			v.failed = v.b.End(f) != nil || v.b.Err() != nil
		}
	}()
	v.b.Release()
	v.done(v.idx, !v.failed)
	return nil
}

// redoList collects, from the validator's goroutines, the defined
// functions the baseline left.
type redoList struct {
	mu   sync.Mutex
	defs []int
}

func (r *redoList) add(def int) {
	r.mu.Lock()
	r.defs = append(r.defs, def)
	r.mu.Unlock()
}
