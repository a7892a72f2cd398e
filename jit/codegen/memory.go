package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// address bounds-checks the access of load or store v and returns its
// operand: RCX = address + offset + size (64-bit, so it cannot wrap) is
// compared with Ctx.MemLen, and the access is [R14 + RCX - size]. A
// check widened by jit/opt (ir.Value.BoundsCheck) adds its extra bytes
// to RCX; an access proved in bounds skips the compare.
func (g *gen) address(v *ir.Value) amd64.Mem {
	a := g.a
	off, size, _ := v.Access()
	unchecked, extra := v.BoundsCheck()
	r := g.useG(v.Args[0], rTmp2)
	a.MovRR(amd64.W32, rTmp2, r)
	if unchecked && off < 1<<31 {
		return amd64.Indexed(amd64.R14, rTmp2, 1, int32(off))
	}
	end := int64(off) + int64(size) + int64(extra)
	if end < 1<<31 {
		a.RM(amd64.LEA, amd64.W64, amd64.RCX, amd64.Ptr(rTmp2, int32(end)))
	} else {
		a.MovImm(amd64.W64, amd64.RCX, end)
		a.RR(amd64.ADD, amd64.W64, amd64.RCX, rTmp2)
	}
	if !unchecked {
		a.AluRM(amd64.CMP, amd64.W64, amd64.RCX, ctxMem(rt.CtxMemLen))
		if extra > 0 {
			a.Jcc(amd64.CondA, g.widenedTrap(v))
		} else {
			a.Jcc(amd64.CondA, g.trap(rt.TrapOutOfBounds))
		}
	}
	return amd64.Indexed(amd64.R14, amd64.RCX, 1, -int32(size)-int32(extra))
}

func (g *gen) load(v *ir.Value) {
	a := g.a
	_, size, signed := v.Access()
	m := g.address(v)
	switch v.Type {
	case ir.F32:
		a.VM(amd64.MOVSS, xTmp, m)
		g.defX(v, xTmp)
		return
	case ir.F64:
		a.VM(amd64.MOVSD, xTmp, m)
		g.defX(v, xTmp)
		return
	}
	w := width(v.Type)
	d := g.ownG(v) // the address (R11, RCX) is read by the load itself
	switch {
	case size == 8 || size == 4 && !signed:
		a.RM(amd64.MOV, amd64.Width(size), d, m)
	case size == 4:
		a.RM(amd64.MOVSXD, amd64.W64, d, m)
	case size == 2 && signed:
		a.RM(amd64.MOVSXW, w, d, m)
	case size == 2:
		a.RM(amd64.MOVZXW, amd64.W32, d, m)
	case signed:
		a.RM(amd64.MOVSXB, w, d, m)
	default:
		a.RM(amd64.MOVZXB, amd64.W32, d, m)
	}
	g.defG(v, d)
}

func (g *gen) store(v *ir.Value) {
	a := g.a
	_, size, _ := v.Access()
	x := v.Args[1]
	// The value first: address uses R11 and RCX, the value RAX or X14.
	if isFloat(x.Type) {
		xr := g.useX(x, xTmp)
		m := g.address(v)
		op := amd64.MOVSD
		if x.Type == ir.F32 {
			op = amd64.MOVSS
		}
		a.MV(op, m, xr)
		return
	}
	r := g.useG(x, rTmp)
	m := g.address(v)
	a.MR(amd64.MOV, amd64.Width(size), m, r)
}

// memorySize is Ctx.MemLen in pages.
func (g *gen) memorySize(v *ir.Value) {
	g.a.RM(amd64.MOV, amd64.W64, rTmp, ctxMem(rt.CtxMemLen))
	g.a.RI(amd64.SHR, amd64.W64, rTmp, 16)
	g.defG(v, rTmp)
}

// memoryGrow exits to Go with rt.ExitGrow (Payload = delta pages); Go
// grows the memory, updates Ctx.MemBase and Ctx.MemLen, and leaves the
// old size or -1 in Payload.
func (g *gen) memoryGrow(v *ir.Value) {
	a := g.a
	c := g.clobberAt(v)
	g.saveRegs(c, false)
	r := g.useG(v.Args[0], rTmp2)
	a.MovRR(amd64.W32, rTmp2, r)
	a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(rt.ExitGrow))
	a.MR(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), rTmp2)
	g.callExit()
	g.saveRegs(c, true)
	a.RM(amd64.MOV, amd64.W32, rTmp, ctxMem(rt.CtxPayload))
	g.defG(v, rTmp)
}
