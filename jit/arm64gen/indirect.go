package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// callIndirect calls call_indirect's callee, the arguments in their
// slots and the registers live across saved. The element is looked up
// in the call index (rt.IndexTables), as jit/codegen does: an element in
// bounds, of the expected canonical type ID, that is compiled code of
// this instance (non-zero entry word) is called directly; anything else
// exits with rt.ExitCallIndirect, where Go resolves the element, checks
// subtyping, calls functions of other instances or engines and produces
// the traps. Only the scratch registers are used before the call.
func (g *gen) callIndirect(v *ir.Value) {
	a := g.a
	typ, table := uint32(v.Aux), uint32(v.Aux>>32)
	slow, done := a.NewLabel(), a.NewLabel()
	// X17 holds the element (zero-extended) on both paths.
	r := g.useG(v.Args[len(v.Sig.Params)], rTmp2)
	a.Mov(arm64.W32, rTmp2, r)
	hdr, w, p := rTmp, rAddr, rFar
	a.LoadStore(arm64.LDR, arm64.S64, hdr, ctxMem(rt.CtxTables))
	a.CBZ(arm64.W64, hdr, slow)
	g.loadAt(arm64.S64, w, hdr, rt.IndexTables+8*uint64(table), w)
	a.LoadStore(arm64.LDR, arm64.S64, p, arm64.Ptr(w, rt.ViewLen))
	a.Cmp(arm64.W64, rTmp2, p)
	a.BCond(arm64.HS, slow)
	a.AddImm(arm64.ADD, arm64.W64, w, w, rt.ViewElems)
	a.LoadStore(arm64.LDR, arm64.S64, w, arm64.Indexed(w, rTmp2, arm64.UXTX, true))
	a.LoadStore(arm64.LDR, arm64.S64, p, arm64.Ptr(hdr, rt.IndexTypeIDs))
	if g.loadAt(arm64.S32, p, p, 4*uint64(typ), hdr) {
		a.LoadStore(arm64.LDR, arm64.S64, hdr, ctxMem(rt.CtxTables))
	}
	a.Cmp(arm64.W32, w, p)
	a.BCond(arm64.NE, slow)
	a.ShiftImm(arm64.LSR, arm64.W64, w, w, 32)
	a.LoadStore(arm64.LDR, arm64.S64, p, arm64.Ptr(hdr, rt.IndexEntries))
	a.LoadStore(arm64.LDR, arm64.S64, w, arm64.Indexed(p, w, arm64.UXTX, true))
	a.CBZ(arm64.W64, w, slow)
	a.BLR(w)
	g.markSite(rt.SiteCall, g.callFrame())
	a.B(done)

	a.Bind(slow)
	// Go resolves the element: Payload = type index << 32 | element.
	a.MovImm(arm64.W64, rTmp, uint64(typ)<<32)
	a.LogicReg(arm64.ORR, arm64.W64, rTmp2, rTmp2, rTmp, arm64.LSL, 0)
	a.LoadStore(arm64.STR, arm64.S64, rTmp2, ctxMem(rt.CtxPayload))
	g.storeCtx(rt.CtxAux, uint64(table))
	g.setArgs()
	g.setExit(rt.ExitCallIndirect)
	g.callExit()
	g.callResolved()
	a.Bind(done)
}

// loadAt loads the sz-byte word at base + off into d. An off beyond the
// scaled 12-bit immediate goes through scratch (not base; it may be d),
// and loadAt reports that it did.
func (g *gen) loadAt(sz arm64.Size, d, base arm64.Reg, off uint64, scratch arm64.Reg) bool {
	if off%uint64(sz.Bytes()) == 0 && off/uint64(sz.Bytes()) < 1<<12 {
		g.a.LoadStore(arm64.LDR, sz, d, arm64.Ptr(base, int64(off)))
		return false
	}
	g.a.MovImm(arm64.W64, scratch, off)
	g.a.LoadStore(arm64.LDR, sz, d, arm64.Indexed(base, scratch, arm64.UXTX, false))
	return true
}
