package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// Options are the code generation choices of one compilation.
type Options struct {
	// CountDepth makes every function count its activation in
	// Ctx.DepthLeft (a runtime's wasm call depth limit): the prologue
	// takes one, trapping "call stack exhausted" as a prologue site
	// (reported at the caller's call, as the interpreter does) when none
	// is left, and the return gives it back. Without it no instruction
	// is spent on depth.
	CountDepth bool
	// Serial compiles the functions one after the other on the calling
	// goroutine instead of on every core: a background compile (tiering)
	// must leave the other cores to the program.
	Serial bool
	// Mem (nil: a new slice) gives the memory Link writes the linked
	// code into, of exactly size bytes: the JIT links straight
	// into a read-write mapping (rt.NewWritable), saving a buffer the
	// size of the code and its copy. Module.Code is that memory.
	Mem func(size int) ([]byte, error)
	// CtxLinks makes every call of a function go through the link
	// table at Ctx.Links (word i: function i's entry; 0 exits with
	// rt.ExitCall), so that a function's code can be replaced for all
	// its callers (tiering up from the baseline) and the code stays
	// position-independent.
	CtxLinks bool
}

// CompileWith is Compile (links == 0) or CompileLinked with options.
func CompileWith(funcs []*ir.Func, target amd64.Features, links uintptr, opts Options) (*Module, error) {
	return compile(funcs, target, links, opts)
}

// depthIn is the prologue's depth count (after the stack check, before
// the frame is made).
func (g *gen) depthIn() {
	if !g.m.opts.CountDepth {
		return
	}
	g.a.MI(amd64.SUB, amd64.W64, ctxMem(rt.CtxDepthLeft), 1)
	g.a.Jcc(amd64.CondB, g.trap(rt.TrapCallStackExhausted))
}

// depthOut gives the activation back before a return.
func (g *gen) depthOut() {
	if g.m.opts.CountDepth {
		g.a.MI(amd64.ADD, amd64.W64, ctxMem(rt.CtxDepthLeft), 1)
	}
}
