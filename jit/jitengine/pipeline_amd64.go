//go:build unix

package jitengine

import (
	"runtime"
	"sync"

	"github.com/kilnrt/kiln/jit/codegen"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Validate is the JIT's whole compile (engine.Validator): the validator
// checks the bodies on every core, each driving only the JIT front end,
// which optimises its function as soon as the body ends; the functions
// the back end takes are then compiled together, and the fallback's
// compiler translates only the others, in a second pass over their
// bodies. Codes returns the result.
//
// The interpreter's translation of every function, which the tee of
// Visitor does, was about a tenth of a compile and kept validation on
// one goroutine (the interpreter's compiler translates one function at
// a time).
func (c *compiler) Validate(features wasm.Features) error {
	m := c.m
	nimp := int(m.NumImportedFuncs)
	funcs := make([]*ir.Func, nimp+len(m.Funcs))
	var newVisitor func(uint32) validator.FuncVisitor
	var bug panicOnce
	if !capturing(m) {
		memOK, shared, oc := memoryOK(m), importedMutableGlobals(m), opt.ConfigFor(m)
		newVisitor = func(idx uint32) validator.FuncVisitor {
			return &building{front: front.New(), done: func(f *ir.Func) {
				opt.RunWith(f, oc)
				if codegen.Check(f) == nil && supported(f, memOK, shared) {
					funcs[idx] = f // each visitor writes its own index
				}
			}, bug: &bug}
		}
	}
	cfg := validator.Config{Features: features, Concurrency: runtime.GOMAXPROCS(0)}
	if err := validator.Validate(m, cfg, newVisitor); err != nil {
		return err
	}
	bug.raise()
	var native []*Code
	for _, f := range funcs {
		if f != nil {
			native = c.e.compile(m, funcs, nil)
			break
		}
	}
	codes := make([]any, len(m.Funcs))
	var rest []int // left to the fallback
	for i := range codes {
		if native != nil && native[nimp+i] != nil {
			codes[i] = native[nimp+i]
		} else {
			rest = append(rest, i)
		}
	}
	if len(rest) > 0 {
		if err := validator.ValidateFuncs(m, features, rest, c.fb.Visitor); err != nil {
			return err
		}
		fb := c.fb.Codes()
		for _, i := range rest {
			codes[i] = fb[i]
		}
	}
	c.codes = codes
	return nil
}

// building drives the front end for one function and hands the built
// function to done; a function the front end gives up on is left to the
// fallback. It never fails validation.
type building struct {
	front  *front.Visitor
	failed bool
	done   func(*ir.Func)
	bug    *panicOnce
}

func (b *building) Begin(f *validator.Func) error {
	defer b.bug.catch(&b.failed)
	b.failed = b.front.Begin(f) != nil
	return nil
}

func (b *building) Instr(in *wasm.Instr, s *validator.State) error {
	if !b.failed {
		defer b.bug.catch(&b.failed)
		b.failed = b.front.Instr(in, s) != nil
	}
	return nil
}

func (b *building) End(f *validator.Func) error {
	if !b.failed {
		defer b.bug.catch(&b.failed)
		if b.front.End(f) == nil && b.front.Func() != nil {
			b.done(b.front.Func())
		}
	}
	return nil
}

// panicOnce keeps the first panic of the JIT's code on the validator's
// goroutines, which recover nothing, to raise it again on the compiling
// goroutine (whose caller turns it into an internal compile error).
type panicOnce struct {
	mu    sync.Mutex
	value any
}

// catch, deferred, recovers a panic, records it and marks the function
// failed.
func (p *panicOnce) catch(failed *bool) {
	if r := recover(); r != nil {
		*failed = true
		p.mu.Lock()
		if p.value == nil {
			p.value = r
		}
		p.mu.Unlock()
	}
}

// raise panics with the recorded panic, if any.
func (p *panicOnce) raise() {
	if p.value != nil {
		panic(p.value)
	}
}
