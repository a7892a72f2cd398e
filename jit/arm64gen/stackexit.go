package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/rt"
)

// stackCheckFails ends the prologue's stack check (flags of SP - frame,
// in rTmp, compared with Ctx.StackLimit), as jit/codegen's does: a frame
// below the limit exits with rt.ExitStack (Payload: the frame's bytes),
// so that Go may lower the limit (machine stacks charged to a memory
// limiter grow in steps), then checks again and traps "call stack
// exhausted" if it still does not fit. No register is live yet, the
// function's record is stored and the frame not allocated: the exit is a
// prologue site (Frame 0, the function's record next), reported at the
// caller's call. rTmp holds SP - frame on the way out.
func (g *gen) stackCheckFails() {
	a := g.a
	grow, fits := a.NewLabel(), a.NewLabel()
	a.BCond(arm64.LO, grow)
	trap := g.trap(rt.TrapCallStackExhausted)
	frame := g.frame
	g.addLate(func() {
		a.Bind(grow)
		g.setExit(rt.ExitStack)
		g.storeCtx(rt.CtxPayload, uint64(frame))
		a.CallExtern(symExit)
		g.markSite(rt.SitePrologue, 0)
		g.spOffset(rTmp, -int64(frame))
		a.LoadStore(arm64.LDR, arm64.S64, rTmp2, ctxMem(rt.CtxStackLimit))
		a.Cmp(arm64.W64, rTmp, rTmp2)
		a.BCond(arm64.LO, trap)
		a.B(fits)
	})
	a.Bind(fits)
}
