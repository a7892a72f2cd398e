package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// fuelBytesShift is log2 of engine.FuelBytesPerUnit (checked by a test):
// memory.fill and memory.copy of n bytes charge min(n, memory length) >>
// fuelBytesShift units, as the interpreter does.
const fuelBytesShift = 8

// memoryBulk lowers memory.fill and memory.copy inline, in the
// interpreter's order: the bulk fuel first (when the budget cannot pay
// it, the instruction exits to Go, which refuels and executes it whole),
// then the bounds of every range (trap before any write), then the
// bytes, eight at a time and then one at a time; a copy runs backwards
// when the destination overlaps the source from above. Only scratch
// registers are used: R11 = destination, RAX = byte or source, RCX =
// length, RDX = temporary.
func (g *gen) memoryBulk(v *ir.Value, code rt.ExitCode) {
	a := g.a
	fill := v.Op == ir.OpMemoryFill
	d, x, n := rTmp2, rTmp, amd64.RCX
	t := amd64.RDX
	for i, r := range []amd64.Reg{d, x, n} {
		g.move(gprLoc(r), g.locs[v.Args[i].ID], ir.I32)
		a.RR(amd64.MOV, amd64.W32, r, r)
	}
	slow, done := a.NewLabel(), a.NewLabel()
	a.RM(amd64.MOV, amd64.W64, t, ctxMem(rt.CtxMemLen))
	a.RR(amd64.CMP, amd64.W64, n, t)
	a.CMov(amd64.CondB, amd64.W64, t, n)
	a.RI(amd64.SHR, amd64.W64, t, fuelBytesShift)
	a.RM(amd64.CMP, amd64.W64, t, ctxMem(rt.CtxBudget))
	a.Jcc(amd64.CondA, slow)
	a.MR(amd64.SUB, amd64.W64, ctxMem(rt.CtxBudget), t)
	g.late = append(g.late, func() {
		a.Bind(slow)
		g.runtimeExit(v, code)
		a.Jmp(done)
	})
	ranges := []amd64.Reg{d}
	if !fill {
		ranges = append(ranges, x)
	}
	for _, r := range ranges {
		a.RM(amd64.LEA, amd64.W64, t, amd64.Indexed(r, n, 1, 0))
		a.RM(amd64.CMP, amd64.W64, t, ctxMem(rt.CtxMemLen))
		a.Jcc(amd64.CondA, g.trap(rt.TrapOutOfBounds))
	}
	if fill {
		a.RR(amd64.MOVZXB, amd64.W32, x, x)
		a.MovImm(amd64.W64, t, 0x0101010101010101)
		a.RR(amd64.IMUL, amd64.W64, x, t)
		a.RR(amd64.ADD, amd64.W64, d, amd64.R14)
		g.chunks(n, done, func(size amd64.Width) {
			a.MR(amd64.MOV, size, amd64.Ptr(d, 0), x)
			a.RI(amd64.ADD, amd64.W64, d, int64(widthBytes(size)))
		})
		a.Bind(done)
		return
	}
	backward := a.NewLabel()
	a.RR(amd64.MOV, amd64.W64, t, d)
	a.RR(amd64.SUB, amd64.W64, t, x)
	a.RR(amd64.CMP, amd64.W64, t, n)
	a.Jcc(amd64.CondB, backward) // source < destination < source + length
	a.RR(amd64.ADD, amd64.W64, d, amd64.R14)
	a.RR(amd64.ADD, amd64.W64, x, amd64.R14)
	g.chunks(n, done, func(size amd64.Width) {
		g.moveBytes(size, d, x, t)
		a.RI(amd64.ADD, amd64.W64, d, int64(widthBytes(size)))
		a.RI(amd64.ADD, amd64.W64, x, int64(widthBytes(size)))
	})
	a.Bind(backward)
	a.RR(amd64.ADD, amd64.W64, d, n)
	a.RR(amd64.ADD, amd64.W64, d, amd64.R14)
	a.RR(amd64.ADD, amd64.W64, x, n)
	a.RR(amd64.ADD, amd64.W64, x, amd64.R14)
	g.chunks(n, done, func(size amd64.Width) {
		a.RI(amd64.SUB, amd64.W64, d, int64(widthBytes(size)))
		a.RI(amd64.SUB, amd64.W64, x, int64(widthBytes(size)))
		g.moveBytes(size, d, x, t)
	})
	a.Bind(done)
}

// chunks emits loops running step(W64) while n >= 8, then step(W8)
// while n > 0, counting n down, and jumps to done.
func (g *gen) chunks(n amd64.Reg, done amd64.Label, step func(amd64.Width)) {
	a := g.a
	words, bytes := a.NewLabel(), a.NewLabel()
	a.Bind(words)
	a.RI(amd64.CMP, amd64.W64, n, 8)
	a.Jcc(amd64.CondB, bytes)
	step(amd64.W64)
	a.RI(amd64.SUB, amd64.W64, n, 8)
	a.Jmp(words)
	a.Bind(bytes)
	a.RR(amd64.TEST, amd64.W64, n, n)
	a.Jcc(amd64.CondE, done)
	step(amd64.W8)
	a.RI(amd64.SUB, amd64.W64, n, 1)
	a.Jmp(bytes)
}

// moveBytes copies size bytes from [src] to [dst] through t.
func (g *gen) moveBytes(size amd64.Width, dst, src, t amd64.Reg) {
	if size == amd64.W8 {
		g.a.RM(amd64.MOVZXB, amd64.W32, t, amd64.Ptr(src, 0))
	} else {
		g.a.RM(amd64.MOV, size, t, amd64.Ptr(src, 0))
	}
	g.a.MR(amd64.MOV, size, amd64.Ptr(dst, 0), t)
}

func widthBytes(w amd64.Width) int {
	if w == amd64.W8 {
		return 1
	}
	return 8
}
