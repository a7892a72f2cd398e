package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// maxIndexedTable is the last table index whose view address fits a
// displacement; call_indirect through a later table always exits.
const maxIndexedTable = 1 << 20

// callIndirect calls call_indirect's callee, the arguments in their
// slots. The element is looked up in the call index (rt.IndexTables):
// an element in bounds, of the expected canonical type ID, that is
// compiled code of this instance (non-zero entry word) is called
// directly; anything else exits with rt.ExitCallIndirect, where Go
// resolves the element, checks subtyping, calls functions of other
// instances or engines and produces the traps. Clobbers RAX, RCX, RDX
// and R11, as any call does.
func (g *gen) callIndirect(v *ir.Value) {
	a := g.a
	typ, table := uint32(v.Aux), uint32(v.Aux>>32)
	elem := g.locs[v.Args[len(v.Sig.Params)].ID]
	slow, done := a.NewLabel(), a.NewLabel()
	// R11 holds the element (zero-extended) on both paths: elem's own
	// location may be one of the registers the fast path clobbers.
	g.move(gprLoc(rTmp2), elem, ir.I32)
	a.RR(amd64.MOV, amd64.W32, rTmp2, rTmp2)
	if table < maxIndexedTable && typ < maxIndexedTable {
		hdr, w, p := rTmp, amd64.RCX, amd64.RDX
		a.RM(amd64.MOV, amd64.W64, hdr, ctxMem(rt.CtxTables))
		a.RR(amd64.TEST, amd64.W64, hdr, hdr)
		a.Jcc(amd64.CondE, slow)
		a.RM(amd64.MOV, amd64.W64, w, amd64.Ptr(hdr, int32(rt.IndexTables+8*table)))
		a.RM(amd64.CMP, amd64.W64, rTmp2, amd64.Ptr(w, rt.ViewLen))
		a.Jcc(amd64.CondAE, slow)
		a.RM(amd64.MOV, amd64.W64, w, amd64.Indexed(w, rTmp2, 8, rt.ViewElems))
		a.RM(amd64.MOV, amd64.W64, p, amd64.Ptr(hdr, rt.IndexTypeIDs))
		a.RM(amd64.CMP, amd64.W32, w, amd64.Ptr(p, int32(4*typ)))
		a.Jcc(amd64.CondNE, slow)
		a.RI(amd64.SHR, amd64.W64, w, 32)
		a.RM(amd64.MOV, amd64.W64, p, amd64.Ptr(hdr, rt.IndexEntries))
		a.RM(amd64.MOV, amd64.W64, w, amd64.Indexed(p, w, 8, 0))
		a.RR(amd64.TEST, amd64.W64, w, w)
		a.Jcc(amd64.CondE, slow)
		a.R(amd64.CALLIND, amd64.W64, w)
		g.markSite(SiteCall)
		a.Jmp(done)
	}
	a.Bind(slow)
	// Go resolves the element: Payload = type index << 32 | element.
	a.MovImm(amd64.W64, amd64.RCX, int64(typ)<<32)
	a.RR(amd64.OR, amd64.W64, rTmp2, amd64.RCX)
	a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxAux), int64(table))
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxArgs), amd64.RSP)
	a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(rt.ExitCallIndirect))
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), rTmp2)
	g.callExit()
	g.callResolved()
	a.Bind(done)
}
