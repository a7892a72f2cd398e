package arm64gen

import (
	"fmt"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// Fixed registers (see doc.go).
const (
	rTmp  = arm64.R16 // results computed outside their location, first operands
	rTmp2 = arm64.R17 // second operands, cycle breaking, bounds-check ends
	rAddr = arm64.R15 // effective addresses, third operands
	rFar  = arm64.R14 // slot addresses beyond the immediate offsets, large constants, Ctx.MemLen
	rMem  = arm64.R25 // Ctx.MemBase (rt.Arm64RegMemBase)
	rCtx  = arm64.R26 // *rt.Ctx (rt.Arm64RegCtx)
	vTmp  = arm64.V30
	vTmp2 = arm64.V31
)

// argBase is the offset from SP of the first outgoing argument slot: the
// 16 bytes below it are where a callee stores its return record.
const argBase = 16

// gen lowers one function.
type gen struct {
	m        *module
	a        *arm64.Assembler
	f        *ir.Func
	cfg      *ir.CFG
	dom      regalloc.DomTree
	lay      *regalloc.Layout
	ivs      []regalloc.Interval
	locs     []regalloc.Loc
	save     []int32 // by value ID: slot saving a register across calls and exits (-1: none)
	frame    int32   // bytes below the function's return record
	label    []arm64.Label
	uses     []int // by value ID
	clobbers []regalloc.Clobber
	liveAt   [][]int32
	err      error
	next     *ir.Block
	late     []func()
	idx      uint32
	traps    map[trapKey]arm64.Label
	stubs    map[rt.TrapCode]arm64.Label
	pos      int32
	prologue bool
	sites    []pendingSite
	moves    []regalloc.Move
}

func ctxMem(off int32) arm64.Mem { return arm64.Ptr(rCtx, int64(off)) }

func width(t ir.Type) arm64.Width {
	if t == ir.I32 || t == ir.F32 {
		return arm64.W32
	}
	return arm64.W64
}

func ftype(t ir.Type) arm64.FType {
	if t == ir.F32 {
		return arm64.Single
	}
	return arm64.Double
}

// function assembles f's code on its own assembler (entry at offset 0).
//
// Frame (SP after the prologue, 16-aligned): the 16-byte record area of
// callees at [SP, SP+16), the outgoing argument/result slots from
// [SP+16], then spill and save slots; the function's own return record
// {X29, X30} at [SP+frame] and its incoming slots from [SP+frame+16].
func (m *module) function(idx uint32, f *ir.Func) funcCode {
	asm := arm64.NewAssembler(m.target)
	g := &gen{m: m, a: asm, f: f, cfg: ir.ComputeCFG(f), idx: idx, traps: map[trapKey]arm64.Label{}, stubs: map[rt.TrapCode]arm64.Label{}}
	g.lay, g.ivs = regalloc.Intervals(f, g.cfg, nil)
	g.dom = regalloc.NumberDomTree(g.cfg)
	out := 0
	for _, b := range g.lay.Order {
		for _, v := range b.Insts {
			out = max(out, regalloc.OutSlots(v))
			if regalloc.Exits(v) {
				g.clobbers = append(g.clobbers, regalloc.Clobber{Pos: g.lay.Pos[v.ID]})
			}
		}
		for _, e := range b.Term.Succs {
			if g.backEdge(b, e.To) {
				g.clobbers = append(g.clobbers, regalloc.Clobber{Pos: g.lay.End[b.ID], Inclusive: true})
				break
			}
		}
	}
	nslots := 0
	newSlot := func() int32 {
		nslots++
		return int32(argBase + 8*(out+nslots-1))
	}
	cfg := &allocConfig
	if usesV128(f) {
		cfg = &simdAllocConfig // V29 is vTmp3
	}
	g.locs = regalloc.Allocate(g.ivs, cfg, newSlot)
	g.save, g.liveAt = regalloc.Saves(g.ivs, g.locs, g.clobbers, newSlot)
	g.frame = int32(argBase+8*(out+nslots)+15) &^ 15
	g.uses = make([]int, len(g.locs))
	for _, b := range g.lay.Order {
		b.Uses(func(v *ir.Value) { g.uses[v.ID]++ })
	}
	g.label = make([]arm64.Label, len(f.Blocks))
	for _, b := range g.lay.Order {
		g.label[b.ID] = g.a.NewLabel()
	}

	a := g.a
	// The return record first: a trap site's BL overwrites X30.
	a.Pair(arm64.STP, arm64.W64, arm64.FP, arm64.LR, arm64.Ptr(arm64.RSP, 0))
	g.spOffset(rTmp, -int64(g.frame))
	a.LoadStore(arm64.LDR, arm64.S64, rTmp2, ctxMem(rt.CtxStackLimit))
	a.Cmp(arm64.W64, rTmp, rTmp2)
	g.prologue = true
	g.stackCheckFails()
	g.depthIn()
	g.prologue = false
	a.Mov(arm64.W64, arm64.RSP, rTmp)
	g.budget(-1)
	for i, p := range f.Entry().Params {
		g.move(g.locs[p.ID], g.incoming(regalloc.SlotIndex(f.Sig.Params, i)), p.Type)
	}
	for i, b := range g.lay.Order {
		g.next = nil
		if i+1 < len(g.lay.Order) {
			g.next = g.lay.Order[i+1]
		}
		a.Bind(g.label[b.ID])
		g.block(b)
	}
	for i := 0; i < len(g.late); i++ {
		g.late[i]()
	}
	code, err := a.Finish()
	if g.err != nil {
		err = g.err
	}
	var sites []rt.Site
	if err == nil {
		sites, err = g.resolveSites()
	}
	if err != nil {
		return funcCode{err: fmt.Errorf("function %d (%s): %w", idx, f.Name, err)}
	}
	return funcCode{code: append([]byte(nil), code...), refs: a.Externs(), used: a.Used(), sites: sites}
}

// spOffset sets r to SP + d.
func (g *gen) spOffset(r arm64.Reg, d int64) {
	a := g.a
	op := arm64.ADD
	if d < 0 {
		op, d = arm64.SUB, -d
	}
	if d < 1<<12 {
		a.AddImm(op, arm64.W64, r, arm64.RSP, uint32(d))
		return
	}
	a.MovImm(arm64.W64, r, uint64(d))
	a.AddExt(op, arm64.W64, r, arm64.RSP, r, arm64.UXTX, 0)
}

// incoming is the location of argument/result slot i of this function.
func (g *gen) incoming(i int) regalloc.Loc { return regalloc.Slot(g.frame + argBase + int32(8*i)) }

// outgoing is the location of outgoing argument/result slot i.
func outgoing(i int) regalloc.Loc { return regalloc.Slot(argBase + int32(8*i)) }

// backEdge reports whether from->to closes a loop (to dominates from).
func (g *gen) backEdge(from, to *ir.Block) bool { return g.dom.Dominates(to, from) }

// saveRegs stores (or with restore, reloads) every register-allocated
// value live at c, one of the function's clobbers.
func (g *gen) saveRegs(c regalloc.Clobber, restore bool) {
	k := regalloc.ClobberIndex(g.clobbers, c)
	if k < 0 {
		g.err = fmt.Errorf("arm64gen: registers saved at %d, which is not a call, exit or back-edge", c.Pos)
		return
	}
	for _, id := range g.liveAt[k] {
		l, t := g.locs[id], g.ivs[id].V.Type
		if restore {
			g.move(l, regalloc.Slot(g.save[id]), t)
		} else {
			g.move(regalloc.Slot(g.save[id]), l, t)
		}
	}
}

// setExit stores the exit code.
func (g *gen) setExit(code rt.ExitCode) {
	g.a.MovImm(arm64.W32, rTmp, uint64(code))
	g.a.LoadStore(arm64.STR, arm64.S32, rTmp, ctxMem(rt.CtxExit))
}

// storeCtx stores the 64-bit constant v at Ctx offset off.
func (g *gen) storeCtx(off int32, v uint64) {
	r := arm64.ZR
	if v != 0 {
		g.a.MovImm(arm64.W64, rTmp, v)
		r = rTmp
	}
	g.a.LoadStore(arm64.STR, arm64.S64, r, ctxMem(off))
}

// setArgs points Ctx.Args at the outgoing slots.
func (g *gen) setArgs() {
	g.a.AddImm(arm64.ADD, arm64.W64, rTmp, arm64.RSP, argBase)
	g.a.LoadStore(arm64.STR, arm64.S64, rTmp, ctxMem(rt.CtxArgs))
}

// exit stores the exit code and payload and calls the exit stub.
func (g *gen) exit(code rt.ExitCode, payload uint64) {
	g.setExit(code)
	g.storeCtx(rt.CtxPayload, payload)
	g.callExit()
}

// callExit calls the module's exit stub, which pushes a record below SP.
func (g *gen) callExit() {
	g.a.CallExtern(symExit)
	g.markSite(rt.SiteCall, g.frame)
}

// budget charges one fuel unit, exiting to Go first when the budget is
// zero or an interrupt is pending. pos < 0 is the function entry;
// otherwise pos is a back-edge's block end.
func (g *gen) budget(pos int) {
	a := g.a
	check, slowI, slowB := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(check)
	a.LoadStore(arm64.LDR, arm64.S32, rTmp, ctxMem(rt.CtxInterrupt))
	a.CBNZ(arm64.W32, rTmp, slowI)
	a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxBudget))
	a.CBZ(arm64.W64, rTmp, slowB)
	a.AddImm(arm64.SUB, arm64.W64, rTmp, rTmp, 1)
	a.LoadStore(arm64.STR, arm64.S64, rTmp, ctxMem(rt.CtxBudget))
	c := regalloc.Clobber{Pos: pos, Inclusive: true}
	for _, s := range []struct {
		l    arm64.Label
		code rt.ExitCode
	}{{slowI, rt.ExitInterrupt}, {slowB, rt.ExitBudget}} {
		s := s
		g.addLate(func() {
			a.Bind(s.l)
			if pos >= 0 {
				g.saveRegs(c, false)
			}
			g.exit(s.code, 0)
			if pos >= 0 {
				g.saveRegs(c, true)
			}
			a.B(check)
		})
	}
}

// block emits b's instructions and terminator.
func (g *gen) block(b *ir.Block) {
	fused := g.fusedCond(b)
	for _, v := range b.Insts {
		if v == fused {
			continue
		}
		g.pos = v.Pos
		g.inst(v)
	}
	a := g.a
	t := &b.Term
	if fused != nil {
		g.pos = fused.Pos
	}
	if t.Kind == ir.TermTrap {
		g.pos = t.Pos
	}
	switch t.Kind {
	case ir.TermJump:
		g.edge(b, t.Succs[0], true)
	case ir.TermBranch:
		var jump func(l arm64.Label, negate bool)
		if fused != nil {
			cc := g.compareFlags(fused)
			jump = func(l arm64.Label, negate bool) {
				if negate {
					a.BCond(cc.Invert(), l)
				} else {
					a.BCond(cc, l)
				}
			}
		} else {
			r := g.useG(t.Cond, rTmp)
			jump = func(l arm64.Label, negate bool) {
				if negate {
					a.CBZ(arm64.W32, r, l)
				} else {
					a.CBNZ(arm64.W32, r, l)
				}
			}
		}
		then, els := t.Succs[0], t.Succs[1]
		switch {
		case !g.edgeWork(b, then):
			jump(g.label[then.To.ID], false)
			g.edge(b, els, true)
		case !g.edgeWork(b, els):
			jump(g.label[els.To.ID], true)
			g.edge(b, then, true)
		default:
			l := a.NewLabel()
			jump(l, true)
			g.edge(b, then, false)
			a.Bind(l)
			g.edge(b, els, true)
		}
	case ir.TermBrTable:
		g.brTable(b)
	case ir.TermReturn:
		for i, v := range t.Rets {
			g.move(g.incoming(regalloc.SlotIndex(g.f.Sig.Results, i)), g.locs[v.ID], v.Type)
		}
		g.depthOut()
		if g.frame < 1<<12 {
			a.AddImm(arm64.ADD, arm64.W64, arm64.RSP, arm64.RSP, uint32(g.frame))
		} else {
			g.spOffset(rTmp, int64(g.frame))
			a.Mov(arm64.W64, arm64.RSP, rTmp)
		}
		a.Pair(arm64.LDP, arm64.W64, arm64.FP, arm64.LR, arm64.Ptr(arm64.RSP, 0))
		a.RET(arm64.LR)
	case ir.TermTrap:
		a.B(g.trap(rt.TrapCode(t.Trap)))
	}
}

// edgeWork reports whether taking e needs code: moves or a budget check.
func (g *gen) edgeWork(from *ir.Block, e ir.Edge) bool {
	if g.backEdge(from, e.To) {
		return true
	}
	for i, v := range e.Args {
		if g.locs[v.ID] != g.locs[e.To.Params[i].ID] {
			return true
		}
	}
	return false
}

// edge emits the work of edge e from b and jumps to its target (unless
// fallthrough is allowed and the target comes next).
func (g *gen) edge(b *ir.Block, e ir.Edge, mayFall bool) {
	if g.backEdge(b, e.To) {
		g.budget(g.lay.End[b.ID])
	}
	ms := g.moves[:0]
	for i, v := range e.Args {
		p := e.To.Params[i]
		ms = append(ms, regalloc.Move{Dst: g.locs[p.ID], Src: g.locs[v.ID], T: p.Type})
	}
	g.moves = ms
	regalloc.Parallel(ms, g.move, func(m regalloc.Move) regalloc.Loc {
		if regalloc.IsVec(m.T) {
			return regalloc.Vec(uint8(vTmp2))
		}
		return regalloc.GPR(uint8(rTmp2))
	})
	if !mayFall || e.To != g.next {
		g.a.B(g.label[e.To.ID])
	}
}

// brTable: bounds check to the default, then a table of 32-bit offsets
// to per-edge stubs.
func (g *gen) brTable(b *ir.Block) {
	a := g.a
	t := &b.Term
	n := len(t.Succs) - 1
	idx := g.useG(t.Cond, rAddr)
	if idx != rAddr {
		a.Mov(arm64.W32, rAddr, idx)
	}
	stubs := make([]arm64.Label, len(t.Succs))
	for i := range stubs {
		stubs[i] = a.NewLabel()
	}
	if n < 1<<12 {
		a.CmpImm(arm64.W32, rAddr, uint32(n))
	} else {
		a.MovImm(arm64.W32, rTmp, uint64(n))
		a.Cmp(arm64.W32, rAddr, rTmp)
	}
	a.BCond(arm64.HS, stubs[n])
	tab := a.NewLabel()
	a.ADR(rTmp, tab)
	a.LoadStore(arm64.LDRS, arm64.S32, rTmp2, arm64.Indexed(rTmp, rAddr, arm64.UXTW, true))
	a.AddReg(arm64.ADD, arm64.W64, rTmp, rTmp, rTmp2, arm64.LSL, 0)
	a.BR(rTmp)
	a.Bind(tab)
	for i := 0; i < n; i++ {
		a.Diff32(stubs[i], tab)
	}
	for i, e := range t.Succs {
		a.Bind(stubs[i])
		g.edge(b, e, false)
	}
}

// fusedCond is the comparison b's branch tests when it is b's last
// instruction and has no other use: it is emitted as flags for the jump.
func (g *gen) fusedCond(b *ir.Block) *ir.Value {
	if b.Term.Kind != ir.TermBranch || len(b.Insts) == 0 {
		return nil
	}
	v := b.Insts[len(b.Insts)-1]
	if v != b.Term.Cond || g.uses[v.ID] != 1 || !(v.Op.IsCompare() || v.Op == ir.OpEqz) {
		return nil
	}
	return v
}

// depthIn is the prologue's depth count (Options.CountDepth), after the
// stack check; rTmp holds the new SP.
func (g *gen) depthIn() {
	if !g.m.opts.CountDepth {
		return
	}
	a := g.a
	a.LoadStore(arm64.LDR, arm64.S64, rTmp2, ctxMem(rt.CtxDepthLeft))
	a.AddImm(arm64.SUBS, arm64.W64, rTmp2, rTmp2, 1)
	a.BCond(arm64.LO, g.trap(rt.TrapCallStackExhausted))
	a.LoadStore(arm64.STR, arm64.S64, rTmp2, ctxMem(rt.CtxDepthLeft))
}

// depthOut gives the activation back before a return.
func (g *gen) depthOut() {
	if !g.m.opts.CountDepth {
		return
	}
	a := g.a
	a.LoadStore(arm64.LDR, arm64.S64, rTmp, ctxMem(rt.CtxDepthLeft))
	a.AddImm(arm64.ADD, arm64.W64, rTmp, rTmp, 1)
	a.LoadStore(arm64.STR, arm64.S64, rTmp, ctxMem(rt.CtxDepthLeft))
}
