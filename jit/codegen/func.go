package codegen

import (
	"fmt"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// Scratch registers (see alloc.go).
const (
	rTmp  = amd64.RAX // results computed outside their location
	rTmp2 = amd64.R11 // operands loaded from slots, cycle breaking
	xTmp  = amd64.X14
	xTmp2 = amd64.X15
)

// gen lowers one function.
type gen struct {
	m     *module
	a     *amd64.Assembler
	f     *ir.Func
	cfg   *ir.CFG
	dom   regalloc.DomTree
	lay   *regalloc.Layout
	ivs   []regalloc.Interval
	locs  []loc
	save  []int32 // by value ID: slot saving a register across calls and exits (-1: none)
	frame int32   // bytes below the return address
	label []amd64.Label
	uses  []int // by value ID
	// clobbers are the calls, exits and back-edge checks in program
	// order; liveAt[k] the register values live at clobbers[k].
	clobbers  []regalloc.Clobber
	liveAt    [][]int32
	err       error // an inconsistency of the back end, reported by function
	next      *ir.Block
	late      []func()                    // out-of-line code, emitted after the body
	trapSites []pendingTrap               // trap sites, emitted after the late code
	idx       uint32                      // the function's index
	vtemp     int32                       // two 16-byte slots aligned to 16 for SIMD sequences (simd.go), at vtemp and vtemp+16
	traps     map[trapKey]amd64.Label     // trap sites (sites.go)
	trapStubs map[rt.TrapCode]amd64.Label // the shared stub of each trap code
	pos       int32                       // wasm position of the instruction being emitted (ir.Value.Pos)
	prologue  bool                        // emitting the prologue's stack check
	sites     []pendingSite
	moves     []regalloc.Move // an edge's moves, reused from edge to edge
	w         *work           // where the slices and maps above come from (work.go)
}

func ctxMem(off int32) amd64.Mem { return amd64.Ptr(amd64.R15, off) }

func width(t ir.Type) amd64.Width {
	if t == ir.I32 || t == ir.F32 {
		return amd64.W32
	}
	return amd64.W64
}

// function assembles f's code on its own assembler (its entry at offset
// 0), leaving calls to the exit stub and other functions to link.
//
// Frame (RSP after the prologue): the outgoing argument/result slots of
// calls at [RSP, RSP+8*out), then spill and save slots; the return
// address at [RSP+frame] and the incoming argument/result slots above it.
func (m *module) function(idx uint32, f *ir.Func) funcCode {
	asm, _ := m.asms.Get().(*amd64.Assembler)
	if asm == nil {
		asm = amd64.NewAssembler(m.target)
	}
	defer func() {
		asm.Reset()
		m.asms.Put(asm)
	}()
	w := works.Get().(*work)
	w.cfg.Compute(f)
	g := &gen{m: m, a: asm, f: f, cfg: &w.cfg, idx: idx, traps: w.traps, trapStubs: w.trapStubs,
		late: w.late, trapSites: w.trapSites, sites: w.sites, moves: w.moves, w: w}
	defer g.putWork()
	g.lay, g.ivs = w.ra.Intervals(f, g.cfg, rdxClobber)
	g.dom = w.ra.NumberDomTree(g.cfg)
	out := 0
	clobbers := w.clobbers[:0]
	for _, b := range g.lay.Order {
		for _, v := range b.Insts {
			out = max(out, regalloc.OutSlots(v))
			if regalloc.Exits(v) {
				clobbers = append(clobbers, regalloc.Clobber{Pos: g.lay.Pos[v.ID]})
			}
		}
		for _, e := range b.Term.Succs {
			if g.backEdge(b, e.To) {
				clobbers = append(clobbers, regalloc.Clobber{Pos: g.lay.End[b.ID], Inclusive: true})
				break
			}
		}
	}
	nslots := 0
	newSlot := func() int32 {
		nslots++
		return int32(8 * (out + nslots - 1))
	}
	rlocs := w.ra.Allocate(g.ivs, &allocConfig, newSlot)
	g.locs = ir.Reuse(&w.locs, len(rlocs))
	for i, l := range rlocs {
		g.locs[i] = loc(l)
	}
	if usesSIMD(f) {
		g.vtemp = regalloc.VecSlot(newSlot)
		if regalloc.VecSlot(newSlot) != g.vtemp+16 {
			panic("codegen: SIMD temporary slots not consecutive")
		}
	}
	g.clobbers = clobbers
	g.save, g.liveAt = w.ra.Saves(g.ivs, rlocs, clobbers, newSlot)
	size := 8 * (out + nslots)
	if size%16 == 0 { // keep RSP 16-aligned inside the frame
		size += 8
	}
	g.frame = int32(size)
	g.uses = ir.Reuse(&w.uses, len(g.locs))
	for _, b := range g.lay.Order {
		b.Uses(func(v *ir.Value) { g.uses[v.ID]++ })
	}
	g.label = ir.Reuse(&w.label, len(f.Blocks))
	for _, b := range g.lay.Order {
		g.label[b.ID] = g.a.NewLabel()
	}

	a := g.a
	a.RM(amd64.LEA, amd64.W64, rTmp, amd64.Ptr(amd64.RSP, -g.frame))
	a.RM(amd64.CMP, amd64.W64, rTmp, ctxMem(rt.CtxStackLimit))
	g.prologue = true
	g.stackCheckFails()
	g.depthIn()
	g.prologue = false
	a.RI(amd64.SUB, amd64.W64, amd64.RSP, int64(g.frame))
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
	g.outOfLine()
	code, err := a.Finish()
	if g.err != nil {
		err = g.err
	}
	var sites []Site
	if err == nil {
		sites, err = g.resolveSites()
	}
	if err != nil {
		return funcCode{err: fmt.Errorf("function %d (%s): %w", idx, f.Name, err)}
	}
	return funcCode{code: append([]byte(nil), code...), refs: a.Externs(), used: a.Used(), sites: sites}
}

// incoming is the location of argument/result slot i of this function.
func (g *gen) incoming(i int) loc { return slotLoc(g.frame + 8 + int32(8*i)) }

// backEdge reports whether from->to closes a loop (to dominates from).
func (g *gen) backEdge(from, to *ir.Block) bool { return g.dom.Dominates(to, from) }

// saveRegs stores (or with restore, reloads) every register-allocated
// value live at c, one of the function's clobbers.
func (g *gen) saveRegs(c regalloc.Clobber, restore bool) {
	if g.lay == nil { // Baseline: no value lives in a register
		return
	}
	k := regalloc.ClobberIndex(g.clobbers, c)
	if k < 0 {
		g.err = fmt.Errorf("codegen: registers saved at %d, which is not a call, exit or back-edge", c.Pos)
		return
	}
	for _, id := range g.liveAt[k] {
		l := g.locs[id]
		t := g.ivs[id].V.Type
		if restore {
			g.move(l, slotLoc(g.save[id]), t)
		} else {
			g.move(slotLoc(g.save[id]), l, t)
		}
	}
}

// clobberAt is v's clobber (a call, an exit) for saveRegs.
func (g *gen) clobberAt(v *ir.Value) regalloc.Clobber {
	if g.lay == nil {
		return regalloc.Clobber{}
	}
	return regalloc.Clobber{Pos: g.lay.Pos[v.ID]}
}

// exit stores the exit code and payload and calls the exit stub.
func (g *gen) exit(code rt.ExitCode, payload int64) {
	g.a.MI(amd64.MOV, amd64.W32, ctxMem(rt.CtxExit), int64(code))
	g.a.MI(amd64.MOV, amd64.W64, ctxMem(rt.CtxPayload), payload)
	g.callExit()
}

// budget charges one fuel unit, exiting to Go first when the budget is
// zero or an interrupt is pending. pos < 0 is the function entry (no
// register is live yet); otherwise pos is a back-edge's block end.
func (g *gen) budget(pos int) {
	a := g.a
	check, slowI, slowB := a.NewLabel(), a.NewLabel(), a.NewLabel()
	a.Bind(check)
	a.MI(amd64.CMP, amd64.W32, ctxMem(rt.CtxInterrupt), 0)
	a.Jcc(amd64.CondNE, slowI)
	a.MI(amd64.CMP, amd64.W64, ctxMem(rt.CtxBudget), 0)
	a.Jcc(amd64.CondE, slowB)
	a.M(amd64.DEC, amd64.W64, ctxMem(rt.CtxBudget))
	c := regalloc.Clobber{Pos: pos, Inclusive: true}
	for _, s := range []struct {
		l    amd64.Label
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
			a.Jmp(check)
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
		var cc amd64.Cond
		if fused != nil {
			cc = g.compareFlags(fused)
		} else {
			r := g.useG(t.Cond, rTmp2)
			a.RR(amd64.TEST, amd64.W32, r, r)
			cc = amd64.CondNE
		}
		then, els := t.Succs[0], t.Succs[1]
		switch {
		case !g.edgeWork(b, then):
			a.Jcc(cc, g.label[then.To.ID])
			g.edge(b, els, true)
		case !g.edgeWork(b, els):
			a.Jcc(cc.Invert(), g.label[els.To.ID])
			g.edge(b, then, true)
		default:
			l := a.NewLabel()
			a.Jcc(cc.Invert(), l)
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
		a.RI(amd64.ADD, amd64.W64, amd64.RSP, int64(g.frame))
		a.Op0(amd64.RET, amd64.WNone)
	case ir.TermTrap:
		a.Jmp(g.trap(rt.TrapCode(t.Trap)))
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
		ms = append(ms, regalloc.Move{Dst: regalloc.Loc(g.locs[p.ID]), Src: regalloc.Loc(g.locs[v.ID]), T: p.Type})
	}
	g.moves = ms
	g.parallel(ms)
	if !mayFall || e.To != g.next {
		g.a.Jmp(g.label[e.To.ID])
	}
}

// brTable: bounds check to the default, then a jump table of 32-bit
// offsets to per-edge stubs.
func (g *gen) brTable(b *ir.Block) {
	a := g.a
	t := &b.Term
	idx := g.useG(t.Cond, rTmp2)
	stubs := make([]amd64.Label, len(t.Succs))
	for i := range stubs {
		stubs[i] = a.NewLabel()
	}
	g.jumpTable(idx, stubs)
	for i, e := range t.Succs {
		a.Bind(stubs[i])
		g.edge(b, e, false)
	}
}

// jumpTable jumps to targets[idx], or to the last target when idx (an
// i32 in a register) is not below len(targets)-1: a bounds check, then
// a table of 32-bit offsets. Clobbers RAX, RCX and R11.
func (g *gen) jumpTable(idx amd64.Reg, targets []amd64.Label) {
	a := g.a
	n := len(targets) - 1
	a.RR(amd64.MOV, amd64.W32, rTmp, idx)
	a.RI(amd64.CMP, amd64.W32, rTmp, int64(n))
	a.Jcc(amd64.CondAE, targets[n])
	if n == 0 {
		return
	}
	tab := a.NewLabel()
	a.RM(amd64.LEA, amd64.W64, amd64.RCX, amd64.LabelRef(tab, 0))
	a.RM(amd64.MOVSXD, amd64.W64, rTmp2, amd64.Indexed(amd64.RCX, rTmp, 4, 0))
	a.RR(amd64.ADD, amd64.W64, amd64.RCX, rTmp2)
	a.R(amd64.JMPIND, amd64.W64, amd64.RCX)
	a.Bind(tab)
	for i := 0; i < n; i++ {
		a.Diff32(targets[i], tab, 0)
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
