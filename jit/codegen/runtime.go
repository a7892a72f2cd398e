package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// runtimeExit stores v's operands in the outgoing slots and exits for Go
// to execute it; its result, if any, comes back in slot 0.
func (g *gen) runtimeExit(v *ir.Value, code rt.ExitCode) {
	c := g.clobberAt(v)
	g.saveRegs(c, false)
	for i, x := range v.Args {
		g.move(slotLoc(int32(8*i)), g.locs[x.ID], x.Type)
	}
	g.exitOp(code, v.Aux)
	g.saveRegs(c, true)
	if v.Type != ir.None {
		g.move(g.locs[v.ID], slotLoc(0), v.Type)
	}
}

// exitOp exits for Go to execute an operation whose operands are in
// the outgoing slots (Payload = aux, Aux = the function index).
func (g *gen) exitOp(code rt.ExitCode, aux int64) {
	a := g.a
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxArgs), amd64.RSP)
	a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxAux), int64(g.idx))
	a.MovImm(amd64.W64, rTmp, aux)
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), rTmp)
	a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(code))
	g.callExit()
}

// callResult takes result Aux of the call just made from its slot: only
// other results of the call come between (the verifier checks it).
func (g *gen) callResult(v *ir.Value) {
	g.move(g.locs[v.ID], slotLoc(int32(8*regalloc.SlotIndex(v.Args[0].Sig.Results, int(v.Aux)))), v.Type)
}
