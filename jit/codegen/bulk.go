package codegen

import (
	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// memoryBulk lowers memory.fill and memory.copy inline, in the
// interpreter's order: the bulk fuel first (when the budget cannot pay
// it, the instruction exits to Go, which refuels and executes it whole),
// then the bounds of every range (trap before any write), then the
// bytes, 32 at a time (two unaligned SSE moves), then 8, then 1; a copy
// runs backwards when the destination overlaps the source from above
// (each chunk is read whole before it is written, so chunks keep
// memmove's semantics). Only scratch registers are used: R11 =
// destination, RAX = byte or source, RCX = length, RDX, X14 and X15 =
// temporaries.
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
	a.RI(amd64.SHR, amd64.W64, t, rt.FuelBytesShift)
	a.RM(amd64.CMP, amd64.W64, t, ctxMem(rt.CtxBudget))
	a.Jcc(amd64.CondA, slow)
	a.MR(amd64.SUB, amd64.W64, ctxMem(rt.CtxBudget), t)
	// The slow path stores the operands from the registers they are in
	// at the jump: their locations may be reused by then (Baseline).
	c, aux := g.clobberAt(v), v.Aux
	g.addLate(func() {
		a.Bind(slow)
		g.saveRegs(c, false)
		for i, r := range []amd64.Reg{d, x, n} {
			a.MR(amd64.MOV, amd64.W64, amd64.Ptr(amd64.RSP, int32(8*i)), r)
		}
		g.exitOp(code, aux)
		g.saveRegs(c, true)
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
		a.VR(amd64.MOVQ, amd64.W64, xTmp, x)
		a.VVI(amd64.PSHUFD, xTmp, xTmp, 0x44)
		a.RR(amd64.ADD, amd64.W64, d, amd64.R14)
		g.chunks(n, done, func(size int) {
			if size == 32 {
				a.MV(amd64.MOVUPS, amd64.Ptr(d, 0), xTmp)
				a.MV(amd64.MOVUPS, amd64.Ptr(d, 16), xTmp)
			} else {
				a.MR(amd64.MOV, chunkWidth(size), amd64.Ptr(d, 0), x)
			}
			a.RI(amd64.ADD, amd64.W64, d, int64(size))
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
	g.chunks(n, done, func(size int) {
		g.moveChunk(size, d, x, t)
		a.RI(amd64.ADD, amd64.W64, d, int64(size))
		a.RI(amd64.ADD, amd64.W64, x, int64(size))
	})
	a.Bind(backward)
	a.RR(amd64.ADD, amd64.W64, d, n)
	a.RR(amd64.ADD, amd64.W64, d, amd64.R14)
	a.RR(amd64.ADD, amd64.W64, x, n)
	a.RR(amd64.ADD, amd64.W64, x, amd64.R14)
	g.chunks(n, done, func(size int) {
		a.RI(amd64.SUB, amd64.W64, d, int64(size))
		a.RI(amd64.SUB, amd64.W64, x, int64(size))
		g.moveChunk(size, d, x, t)
	})
	a.Bind(done)
}

// chunkSizes are the sizes of the moves of a fill or copy, largest first.
var chunkSizes = []int{32, 8, 1}

// chunks emits, for each of chunkSizes, a loop running step(size) while
// n >= size and counting n down, then jumps to done.
func (g *gen) chunks(n amd64.Reg, done amd64.Label, step func(size int)) {
	a := g.a
	for _, size := range chunkSizes {
		loop, next := a.NewLabel(), a.NewLabel()
		a.Bind(loop)
		a.RI(amd64.CMP, amd64.W64, n, int64(size))
		a.Jcc(amd64.CondB, next)
		step(size)
		a.RI(amd64.SUB, amd64.W64, n, int64(size))
		a.Jmp(loop)
		a.Bind(next)
	}
	a.Jmp(done)
}

// moveChunk copies size bytes from [src] to [dst], reading them all
// before writing (through t, or X14 and X15).
func (g *gen) moveChunk(size int, dst, src, t amd64.Reg) {
	a := g.a
	switch size {
	case 32:
		a.VM(amd64.MOVUPS, xTmp, amd64.Ptr(src, 0))
		a.VM(amd64.MOVUPS, xTmp2, amd64.Ptr(src, 16))
		a.MV(amd64.MOVUPS, amd64.Ptr(dst, 0), xTmp)
		a.MV(amd64.MOVUPS, amd64.Ptr(dst, 16), xTmp2)
	case 1:
		a.RM(amd64.MOVZXB, amd64.W32, t, amd64.Ptr(src, 0))
		a.MR(amd64.MOV, amd64.W8, amd64.Ptr(dst, 0), t)
	default:
		a.RM(amd64.MOV, amd64.W64, t, amd64.Ptr(src, 0))
		a.MR(amd64.MOV, amd64.W64, amd64.Ptr(dst, 0), t)
	}
}

func chunkWidth(size int) amd64.Width {
	if size == 1 {
		return amd64.W8
	}
	return amd64.W64
}
