//go:build (amd64 || arm64) && unix

package jitengine

import (
	"runtime"
	"slices"
	"sync"

	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Validate is the JIT's whole compile (engine.Validator): the validator
// checks the bodies on every core, each driving only the JIT front end;
// as soon as a body ends its function is optimised and compiled to
// machine code, and its IR is released for the next function (so a
// compile holds one function's IR per core, and reuses its memory). The
// functions are linked once all are compiled, and the fallback's
// compiler translates only the functions left to it, in a second pass
// over their bodies. Codes returns the result.
//
// Compiling before all functions are known assumes every defined
// function gets compiled, so that calls between them are direct; when
// one is called that did not, the module is compiled again knowing
// which (compileKnown). The interpreter's translation of every function,
// which the tee of Visitor does, was about a tenth of a compile and kept
// validation on one goroutine.
func (c *compiler) Validate(features wasm.Features) error {
	m := c.m
	nimp := int(m.NumImportedFuncs)
	n := nimp + len(m.Funcs)
	var native []*Code
	if !capturing(m) {
		compiled := make([]bool, n)
		for i := nimp; i < n; i++ {
			compiled[i] = true
		}
		mem := new(codeMem)
		var links *linkTable // calls go through it: NewTieredBaseline
		if c.e.tierUp && c.e.useBaseline(m) {
			links = newLinkTable(n)
		}
		s, err := newStream(compiled, c.e.target, c.e.countDepth, links != nil, mem)
		if err != nil {
			return err
		}
		nslots := make([]int, n)
		ok := make([]bool, n)   // compiled
		base := make([]bool, n) // by the baseline
		optimised := func(idx int, f *ir.Func) {
			nslots[idx] = frameSlots(f)
			ok[idx] = s.Compile(idx, f) == nil
			f.Release()
		}
		if c.e.useBaseline(m) {
			enableBaseline(s, maxTypeSlots(m))
			var redo redoList
			err = c.buildBaseline(features, func(idx int) baseline { return baselineVisitor(s, idx) }, func(idx int, done bool) {
				if done {
					nslots[idx] = funcSlots(m, idx)
					ok[idx], base[idx] = true, true
				} else {
					redo.add(idx - nimp)
				}
			})
			if err == nil && len(redo.defs) > 0 {
				slices.Sort(redo.defs)
				err = c.build(features, redo.defs, optimised)
			}
		} else {
			err = c.build(features, nil, optimised)
		}
		if err != nil {
			return err
		}
		if !slices.Contains(ok, true) {
			// nothing compiled
		} else if cm, err := s.Link(); err == nil {
			native = c.e.load(m, cm, mem, links, nslots, base)
			if links != nil {
				tieredBaseline(native, links)
			}
		} else {
			mem.discard()
			native, err = c.compileKnown(features)
			if err != nil {
				return err
			}
		}
	} else if err := validator.Validate(m, validator.Config{Features: features, Concurrency: c.workers()}, nil); err != nil {
		return err
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

// build validates the bodies of defs (all, when nil) on every core and
// hands each function the JIT can compile, optimised, to done (on the
// validator's goroutines).
func (c *compiler) build(features wasm.Features, defs []int, done func(idx int, f *ir.Func)) error {
	m := c.m
	memOK, shared, oc := memoryOK(m), importedMutableGlobals(m), opt.ConfigFor(m)
	var bug panicOnce
	newVisitor := func(idx uint32) validator.FuncVisitor {
		return &building{front: front.New(), done: func(f *ir.Func) {
			opt.RunWith(f, oc)
			if checkFunc(f) == nil && supported(f, memOK, shared) {
				done(int(idx), f)
			}
		}, bug: &bug}
	}
	var err error
	if defs == nil {
		err = validator.Validate(m, validator.Config{Features: features, Concurrency: c.workers()}, newVisitor)
	} else {
		err = validator.ValidateFuncs(m, features, defs, newVisitor)
	}
	bug.raise()
	return err
}

// buildBaseline validates every body on every core, each driving the
// back end's baseline compiler (visitor), and reports each function's
// outcome to done (on the validator's goroutines).
func (c *compiler) buildBaseline(features wasm.Features, visitor func(idx int) baseline, done func(idx int, ok bool)) error {
	var bug panicOnce
	err := validator.Validate(c.m, validator.Config{Features: features, Concurrency: c.workers()}, func(idx uint32) validator.FuncVisitor {
		return &baselineBuilding{b: visitor(int(idx)), idx: int(idx), done: done, bug: &bug}
	})
	bug.raise()
	return err
}

// funcSlots is frameSlots for function idx of m, from its type.
func funcSlots(m *wasm.Module, idx int) int {
	ft := m.FuncTypeOf(uint32(idx))
	return max(len(ft.Params), len(ft.Results))
}

// compileKnown builds every function again, then compiles those the JIT
// can compile knowing which they are (calls to the others exit to Go).
func (c *compiler) compileKnown(features wasm.Features) ([]*Code, error) {
	defs := make([]int, len(c.m.Funcs))
	for i := range defs {
		defs[i] = i
	}
	funcs := make([]*ir.Func, int(c.m.NumImportedFuncs)+len(defs))
	if err := c.build(features, defs, func(idx int, f *ir.Func) { funcs[idx] = f }); err != nil {
		return nil, err
	}
	return c.e.compile(c.m, funcs, nil, c.serial), nil
}

// workers is how many goroutines validate and compile: one per core,
// or only the caller's for a background compile.
func (c *compiler) workers() int {
	if c.serial {
		return 1
	}
	return runtime.GOMAXPROCS(0)
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
