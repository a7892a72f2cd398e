package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// address bounds-checks the access of load or store v and returns its
// operand: rAddr = address + offset (64-bit: an i32's upper half is
// zero, so it cannot wrap), rTmp2 = rAddr + size (+ the extra bytes of a
// check jit/opt widened) compared with Ctx.MemLen, the access at
// [X25 + rAddr]. An access proved in bounds skips the compare.
func (g *gen) address(v *ir.Value) arm64.Mem {
	a := g.a
	off, size, _ := v.Access()
	unchecked, extra := v.BoundsCheck()
	r := g.useG(v.Args[0], rAddr)
	g.addConst(rAddr, r, uint64(off))
	if !unchecked {
		g.addConst(rTmp2, rAddr, uint64(size)+uint64(extra))
		a.LoadStore(arm64.LDR, arm64.S64, rFar, ctxMem(rt.CtxMemLen))
		a.Cmp(arm64.W64, rTmp2, rFar)
		if extra > 0 {
			a.BCond(arm64.HI, g.widenedTrap(v))
		} else {
			a.BCond(arm64.HI, g.trap(rt.TrapOutOfBounds))
		}
	}
	return arm64.Indexed(rMem, rAddr, arm64.UXTX, false)
}

// accessSize is the encoder's size of an access of n bytes.
func accessSize(n int) arm64.Size {
	switch n {
	case 1:
		return arm64.S8
	case 2:
		return arm64.S16
	case 4:
		return arm64.S32
	}
	return arm64.S64
}

func (g *gen) load(v *ir.Value) {
	a := g.a
	_, size, signed := v.Access()
	m := g.address(v)
	sz := accessSize(size)
	if regalloc.IsVec(v.Type) {
		d := g.dstX(v)
		a.FLoadStore(arm64.LDR, sz, d, m)
		g.defX(v, d)
		return
	}
	d := g.dstG(v)
	switch {
	case !signed || size == 8:
		a.LoadStore(arm64.LDR, sz, d, m) // zero-extends
	case v.Type == ir.I64:
		a.LoadStore(arm64.LDRS, sz, d, m)
	default:
		a.LoadStore(arm64.LDRS32, sz, d, m)
	}
	g.defG(v, d)
}

func (g *gen) store(v *ir.Value) {
	a := g.a
	_, size, _ := v.Access()
	x := v.Args[1]
	sz := accessSize(size)
	// The value first: address uses rAddr, rTmp2 and rFar.
	if regalloc.IsVec(x.Type) {
		xr := g.useX(x, vTmp)
		a.FLoadStore(arm64.STR, sz, xr, g.address(v))
		return
	}
	r := g.useG(x, rTmp)
	a.LoadStore(arm64.STR, sz, r, g.address(v))
}

// widenedTrap is where a widened bounds check goes when it fails: out of
// line, each access of the group (regalloc.WidenedGroup) compares its
// own end, from rAddr (v's address + offset), and the first past the
// memory's length traps at its position.
func (g *gen) widenedTrap(v *ir.Value) arm64.Label {
	a := g.a
	l := a.NewLabel()
	group := regalloc.WidenedGroup(v)
	base, _, _ := v.Access()
	pos := g.pos
	g.addLate(func() {
		a.Bind(l)
		for _, w := range group {
			off, size, _ := w.Access()
			d := int64(off) + int64(size) - int64(base)
			if d >= 0 {
				g.addConst(rTmp2, rAddr, uint64(d))
			} else {
				a.MovImm(arm64.W64, rFar, uint64(-d))
				a.AddReg(arm64.SUB, arm64.W64, rTmp2, rAddr, rFar, arm64.LSL, 0)
			}
			a.LoadStore(arm64.LDR, arm64.S64, rFar, ctxMem(rt.CtxMemLen))
			a.Cmp(arm64.W64, rTmp2, rFar)
			g.pos = w.Pos
			a.BCond(arm64.HI, g.trap(rt.TrapOutOfBounds))
		}
		g.pos = pos
		a.B(g.trap(rt.TrapOutOfBounds)) // not reached: the farthest access fails
	})
	return l
}

// memoryGrow exits to Go with rt.ExitGrow (Payload = delta pages); Go
// leaves the old size or -1 in Payload.
func (g *gen) memoryGrow(v *ir.Value) {
	a := g.a
	c := regalloc.Clobber{Pos: g.lay.Pos[v.ID]}
	g.saveRegs(c, false)
	r := g.useG(v.Args[0], rTmp2)
	a.Mov(arm64.W32, rTmp2, r)
	a.LoadStore(arm64.STR, arm64.S64, rTmp2, ctxMem(rt.CtxPayload))
	g.setExit(rt.ExitGrow)
	g.callExit()
	g.saveRegs(c, true)
	d := g.dstG(v)
	a.LoadStore(arm64.LDR, arm64.S32, d, ctxMem(rt.CtxPayload))
	g.defG(v, d)
}
