package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// CompileLinked is Compile for code compiled in parts (tiering compiles
// a module's hot functions batch by batch): a call to a function not in
// funcs first reads word fn of the table at links (one word per
// function index, outside the Go heap, living as long as the code),
// and calls that entry directly when it is not zero (compiled code of
// the same module, which runs for the caller's instance), exiting with
// rt.ExitCall only otherwise. Go writes an entry there once the
// function is compiled, so calls between parts stay in machine code.
func CompileLinked(funcs []*ir.Func, target amd64.Features, links uintptr) (*Module, error) {
	return compile(funcs, target, links, Options{})
}

// callOther calls function fn, not compiled with the caller: through
// the links table when there is one, else by exiting to Go.
func (g *gen) callOther(fn int) {
	a := g.a
	done := a.NewLabel()
	if g.m.links != 0 || g.m.opts.CtxLinks {
		slow := a.NewLabel()
		if g.m.opts.CtxLinks {
			a.RM(amd64.MOV, amd64.W64, rTmp, ctxMem(rt.CtxLinks))
			a.RM(amd64.MOV, amd64.W64, rTmp, amd64.Ptr(rTmp, int32(8*fn)))
		} else {
			a.MovImm(amd64.W64, rTmp, int64(g.m.links)+8*int64(fn))
			a.RM(amd64.MOV, amd64.W64, rTmp, amd64.Ptr(rTmp, 0))
		}
		a.RR(amd64.TEST, amd64.W64, rTmp, rTmp)
		a.Jcc(amd64.CondE, slow)
		a.R(amd64.CALLIND, amd64.W64, rTmp)
		g.markSite(SiteCall)
		a.Jmp(done)
		a.Bind(slow)
	}
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxArgs), amd64.RSP)
	g.exit(rt.ExitCall, int64(fn))
	g.callResolved()
	a.Bind(done)
}
