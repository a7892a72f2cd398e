package arm64gen

import (
	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// memoryBulk lowers memory.fill and memory.copy inline, as jit/codegen
// does, in the interpreter's order: the bulk fuel first (when the budget
// cannot pay it, the instruction exits to Go, which refuels and executes
// it whole), then the bounds of every range (trap before any write),
// then the bytes, 32 at a time (a pair of Q registers, or two pairs of X
// for a fill), then 8, then 1; a copy runs backwards when the
// destination overlaps the source from above (each chunk is read whole
// before it is written, so chunks keep memmove's semantics). Only
// scratch registers are used: X15 = length, X14 = fuel and bounds, then
// the fill pattern or the copy's byte; X17 = destination, X16 = byte
// (or pattern) or source, V30 and V31 = a copy's 32 bytes.
func (g *gen) memoryBulk(v *ir.Value, code rt.ExitCode) {
	a := g.a
	fill := v.Op == ir.OpMemoryFill
	d, x, n, t := rTmp2, rTmp, rAddr, rFar
	load := func(r arm64.Reg, arg int) {
		g.move(regalloc.GPR(uint8(r)), g.locs[v.Args[arg].ID], ir.I32)
		a.Mov(arm64.W32, r, r)
	}
	// Fuel: min(n, length) >> shift units from the budget.
	load(n, 2)
	slow, done := a.NewLabel(), a.NewLabel()
	a.LoadStore(arm64.LDR, arm64.S64, t, ctxMem(rt.CtxMemLen))
	a.Cmp(arm64.W64, n, t)
	a.CondSel(arm64.CSEL, arm64.W64, t, n, t, arm64.LO)
	a.ShiftImm(arm64.LSR, arm64.W64, t, t, rt.FuelBytesShift)
	a.LoadStore(arm64.LDR, arm64.S64, x, ctxMem(rt.CtxBudget))
	a.Cmp(arm64.W64, t, x)
	a.BCond(arm64.HI, slow)
	a.AddReg(arm64.SUB, arm64.W64, x, x, t, arm64.LSL, 0)
	a.LoadStore(arm64.STR, arm64.S64, x, ctxMem(rt.CtxBudget))
	g.addLate(func() {
		a.Bind(slow)
		g.runtimeExit(v, code)
		a.B(done)
	})
	// Bounds: r + n <= length is n <= length and r <= length - n.
	load(d, 0)
	load(x, 1)
	oob := g.trap(rt.TrapOutOfBounds)
	a.LoadStore(arm64.LDR, arm64.S64, t, ctxMem(rt.CtxMemLen))
	a.AddReg(arm64.SUBS, arm64.W64, t, t, n, arm64.LSL, 0)
	a.BCond(arm64.LO, oob)
	a.Cmp(arm64.W64, d, t)
	a.BCond(arm64.HI, oob)
	if !fill {
		a.Cmp(arm64.W64, x, t)
		a.BCond(arm64.HI, oob)
	}
	if fill {
		a.ExtendReg(arm64.UXTB, arm64.W32, x, x)
		a.MovImm(arm64.W64, t, 0x0101010101010101)
		a.Mul(arm64.W64, x, x, t)
		a.AddReg(arm64.ADD, arm64.W64, d, d, rMem, arm64.LSL, 0)
		g.chunks(n, done, func(size int) {
			switch size {
			case 32:
				a.Pair(arm64.STP, arm64.W64, x, x, arm64.PostIndex(d, 16))
				a.Pair(arm64.STP, arm64.W64, x, x, arm64.PostIndex(d, 16))
			case 8:
				a.LoadStore(arm64.STR, arm64.S64, x, arm64.PostIndex(d, 8))
			default:
				a.LoadStore(arm64.STR, arm64.S8, x, arm64.PostIndex(d, 1))
			}
		})
		a.Bind(done)
		return
	}
	backward := a.NewLabel()
	a.AddReg(arm64.SUB, arm64.W64, t, d, x, arm64.LSL, 0)
	a.Cmp(arm64.W64, t, n)
	a.BCond(arm64.LO, backward) // source < destination < source + length
	a.AddReg(arm64.ADD, arm64.W64, d, d, rMem, arm64.LSL, 0)
	a.AddReg(arm64.ADD, arm64.W64, x, x, rMem, arm64.LSL, 0)
	g.chunks(n, done, func(size int) {
		g.moveChunk(size, d, x, t, arm64.PostIndex)
	})
	a.Bind(backward)
	for _, r := range []arm64.Reg{d, x} {
		a.AddReg(arm64.ADD, arm64.W64, r, r, n, arm64.LSL, 0)
		a.AddReg(arm64.ADD, arm64.W64, r, r, rMem, arm64.LSL, 0)
	}
	g.chunks(n, done, func(size int) {
		g.moveChunk(-size, d, x, t, arm64.PreIndex)
	})
	a.Bind(done)
}

// chunkSizes are the sizes of the moves of a fill or copy, largest first.
var chunkSizes = []int{32, 8, 1}

// chunks emits, for each of chunkSizes, a loop running step(size) while
// n >= size and counting n down, then branches to done.
func (g *gen) chunks(n arm64.Reg, done arm64.Label, step func(size int)) {
	a := g.a
	for _, size := range chunkSizes {
		loop, next := a.NewLabel(), a.NewLabel()
		a.Bind(loop)
		a.CmpImm(arm64.W64, n, uint32(size))
		a.BCond(arm64.LO, next)
		step(size)
		a.AddImm(arm64.SUB, arm64.W64, n, n, uint32(size))
		a.B(loop)
		a.Bind(next)
	}
	a.B(done)
}

// moveChunk copies |step| bytes from [src] to [dst], reading them all
// before writing (through t, or V30 and V31), both addresses moving by
// step with mode (PostIndex forwards, PreIndex backwards).
func (g *gen) moveChunk(step int, dst, src, t arm64.Reg, mode func(arm64.Reg, int64) arm64.Mem) {
	a := g.a
	switch step {
	case 32, -32:
		a.FPair(arm64.LDP, arm64.S128, vTmp, vTmp2, mode(src, int64(step)))
		a.FPair(arm64.STP, arm64.S128, vTmp, vTmp2, mode(dst, int64(step)))
	case 8, -8:
		a.LoadStore(arm64.LDR, arm64.S64, t, mode(src, int64(step)))
		a.LoadStore(arm64.STR, arm64.S64, t, mode(dst, int64(step)))
	default:
		a.LoadStore(arm64.LDR, arm64.S8, t, mode(src, int64(step)))
		a.LoadStore(arm64.STR, arm64.S8, t, mode(dst, int64(step)))
	}
}
