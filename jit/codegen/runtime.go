package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// runtimeExits are the operations Go executes for machine code, with the
// exit each takes (see rt.ExitMemoryFill).
var runtimeExits = map[ir.Op]rt.ExitCode{
	ir.OpMemoryFill: rt.ExitMemoryFill,
	ir.OpMemoryCopy: rt.ExitMemoryCopy,
	ir.OpMemoryInit: rt.ExitMemoryInit,
	ir.OpDataDrop:   rt.ExitDataDrop,
	ir.OpTableGet:   rt.ExitTableGet,
	ir.OpTableSet:   rt.ExitTableSet,
	ir.OpTableSize:  rt.ExitTableSize,
	ir.OpTableGrow:  rt.ExitTableGrow,
	ir.OpTableFill:  rt.ExitTableFill,
	ir.OpTableCopy:  rt.ExitTableCopy,
	ir.OpTableInit:  rt.ExitTableInit,
	ir.OpElemDrop:   rt.ExitElemDrop,
	ir.OpRefFunc:    rt.ExitRefFunc,
}

// exits reports whether v leaves machine code (every register is lost):
// calls, memory.grow and the operations Go executes.
func exits(v *ir.Value) bool {
	_, ok := runtimeExits[v.Op]
	return ok || v.Op == ir.OpCall || v.Op == ir.OpCallIndirect || v.Op == ir.OpMemoryGrow
}

// outSlots is how many outgoing slots v needs.
func outSlots(v *ir.Value) int {
	switch {
	case v.Op == ir.OpCall || v.Op == ir.OpCallIndirect:
		return max(ir.SlotCount(v.Sig.Params), ir.SlotCount(v.Sig.Results))
	case v.Op.IsRuntime():
		return max(len(v.Args), 1)
	}
	return 0
}

// runtimeExit stores v's operands in the outgoing slots and exits for Go
// to execute it; its result, if any, comes back in slot 0.
func (g *gen) runtimeExit(v *ir.Value, code rt.ExitCode) {
	a := g.a
	c := regalloc.Clobber{Pos: g.lay.Pos[v.ID]}
	g.saveRegs(c, false)
	for i, x := range v.Args {
		g.move(slotLoc(int32(8*i)), g.locs[x.ID], x.Type)
	}
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxArgs), amd64.RSP)
	a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxAux), int64(g.idx))
	a.MovImm(amd64.W64, rTmp, v.Aux)
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), rTmp)
	a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(code))
	g.callExit()
	g.saveRegs(c, true)
	if v.Type != ir.None {
		g.move(g.locs[v.ID], slotLoc(0), v.Type)
	}
}

// callResult takes result Aux of the call just made from its slot: only
// other results of the call come between (the verifier checks it).
func (g *gen) callResult(v *ir.Value) {
	g.move(g.locs[v.ID], slotLoc(int32(8*slotIndex(v.Args[0].Sig.Results, int(v.Aux)))), v.Type)
}
