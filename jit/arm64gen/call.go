package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// callResolved follows the exit of a call Go serves: Go made the call
// (Payload 0) or resolved compiled code of this instance, which is
// called here with the arguments in place.
func (g *gen) callResolved() {
	a := g.a
	done := a.NewLabel()
	a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxPayload))
	a.CBZ(arm64.W64, rTmp, done)
	a.BLR(rTmp)
	g.markSite(rt.SiteCall, g.callFrame())
	a.Bind(done)
}

// call stores the arguments in the outgoing slots, saves the registers
// live across, calls (or exits to Go for a function not compiled) and
// takes the result from slot 0.
func (g *gen) call(v *ir.Value) {
	a := g.a
	c := regalloc.Clobber{Pos: g.lay.Pos[v.ID]}
	g.saveRegs(c, false)
	for i, x := range v.Args[:len(v.Sig.Params)] {
		g.move(outgoing(regalloc.SlotIndex(v.Sig.Params, i)), g.locs[x.ID], x.Type)
	}
	fn := int(v.Aux)
	switch {
	case v.Op == ir.OpCallIndirect:
		g.callIndirect(v)
	case fn < len(g.m.compiled) && g.m.compiled[fn]:
		a.CallExtern(fn)
		g.markSite(rt.SiteCall, g.callFrame())
	default:
		g.callOther(fn)
	}
	g.saveRegs(c, true)
	if v.Type != ir.None {
		g.move(g.locs[v.ID], outgoing(0), v.Type)
	}
}

// callOther calls function fn, not compiled with the caller: through
// the links table when there is one, else by exiting to Go.
func (g *gen) callOther(fn int) {
	a := g.a
	done := a.NewLabel()
	if g.m.links != 0 {
		slow := a.NewLabel()
		a.MovImm(arm64.W64, rTmp, uint64(g.m.links)+8*uint64(fn))
		a.LoadStore(arm64.LDR, arm64.S64, rTmp, arm64.Ptr(rTmp, 0))
		a.CBZ(arm64.W64, rTmp, slow)
		a.BLR(rTmp)
		g.markSite(rt.SiteCall, g.callFrame())
		a.B(done)
		a.Bind(slow)
	}
	g.setArgs()
	g.exit(rt.ExitCall, uint64(fn))
	g.callResolved()
	a.Bind(done)
}

// runtimeExit stores v's operands in the outgoing slots and exits for Go
// to execute it (memory.fill and memory.copy too: Go charges their bulk
// fuel); its result, if any, comes back in slot 0.
func (g *gen) runtimeExit(v *ir.Value, code rt.ExitCode) {
	c := regalloc.Clobber{Pos: g.lay.Pos[v.ID]}
	g.saveRegs(c, false)
	for i, x := range v.Args {
		g.move(outgoing(i), g.locs[x.ID], x.Type)
	}
	g.setArgs()
	g.storeCtx(rt.CtxAux, uint64(g.idx))
	g.storeCtx(rt.CtxPayload, uint64(v.Aux))
	g.setExit(code)
	g.callExit()
	g.saveRegs(c, true)
	if v.Type != ir.None {
		g.move(g.locs[v.ID], outgoing(0), v.Type)
	}
}

// callResult takes result Aux of the call just made from its slot: only
// other results of the call come between (the verifier checks it).
func (g *gen) callResult(v *ir.Value) {
	g.move(g.locs[v.ID], outgoing(regalloc.SlotIndex(v.Args[0].Sig.Results, int(v.Aux))), v.Type)
}
