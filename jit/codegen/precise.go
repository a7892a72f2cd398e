package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// widenedTrap is where a widened bounds check (jit/opt's group rule)
// goes when it fails: the access itself or one of the later accesses
// off the same address it covers is out of bounds, and the trap must be
// reported at the first of them that the interpreter would reach (its
// backtrace names that instruction). Out of line, with the address
// still in rTmp2 (see address), each access's own end is compared in
// program order and the first one past the memory's length traps at its
// position. jit/opt ends a group at any other check, so no other trap
// can come between.
func (g *gen) widenedTrap(v *ir.Value) amd64.Label {
	a := g.a
	l := a.NewLabel()
	group := regalloc.WidenedGroup(v)
	pos := g.pos
	g.addLate(func() {
		a.Bind(l)
		for _, w := range group {
			off, size, _ := w.Access()
			end := int64(off) + int64(size)
			if end < 1<<31 {
				a.RM(amd64.LEA, amd64.W64, amd64.RCX, amd64.Ptr(rTmp2, int32(end)))
			} else {
				a.MovImm(amd64.W64, amd64.RCX, end)
				a.RR(amd64.ADD, amd64.W64, amd64.RCX, rTmp2)
			}
			a.RM(amd64.CMP, amd64.W64, amd64.RCX, ctxMem(rt.CtxMemLen))
			g.pos = w.Pos
			a.Jcc(amd64.CondA, g.trap(rt.TrapOutOfBounds))
		}
		g.pos = pos
		a.Jmp(g.trap(rt.TrapOutOfBounds)) // not reached: the farthest access fails
	})
	return l
}
