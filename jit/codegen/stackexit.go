package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/rt"
)

// stackCheckFails ends the prologue's stack check (flags of the frame's
// lowest address compared with Ctx.StackLimit): a frame below the limit
// exits with rt.ExitStack, so that Go may lower the limit (machine
// stacks charged to a memory limiter grow in steps), then checks again
// and traps "call stack exhausted" if it still does not fit. No
// register is live yet, and the frame is not allocated: the exit is a
// prologue site, reported at the caller's call.
func (g *gen) stackCheckFails() {
	a := g.a
	grow, fits := a.NewLabel(), a.NewLabel()
	a.Jcc(amd64.CondB, grow)
	trap := g.trap(rt.TrapCallStackExhausted)
	frame := g.frame
	g.addLate(func() {
		a.Bind(grow)
		a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(rt.ExitStack))
		a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), int64(frame))
		a.CallExtern(symExit)
		g.markSite(SitePrologue)
		a.RM(amd64.LEA, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, -frame))
		a.RM(amd64.CMP, amd64.W64, rTmp, ctxMem(rt.CtxStackLimit))
		a.Jcc(amd64.CondB, trap)
		a.Jmp(fits)
	})
	a.Bind(fits)
}
