package regalloc

import (
	"sort"

	"github.com/kilnrt/kiln/jit/ir"
)

// Layout numbers the program points of the blocks in emission order
// (reverse postorder): a block's start (where its parameters are
// defined), two points per instruction, and its end (where the
// terminator reads its operands and edge arguments).
type Layout struct {
	Order      []*ir.Block
	Start, End []int // by block ID
	Pos        []int // by value ID: instruction position
}

// Interval is the single range [Start, End] of program points covering
// every point where a value is live: coarser than true liveness across
// block boundaries, never finer. Avoid: the general registers (bit r for
// register number r) written as scratch by an instruction in the range
// (an operand read after the register is written counts too).
type Interval struct {
	V          *ir.Value
	Start, End int
	Avoid      uint64
}

// liveness computes the values live on entry to and exit from every
// reachable block (block parameters are defined at the block's start; a
// terminator's edge arguments are uses in its block). Only values used
// outside the block defining them can be live across a block boundary,
// so the sets range over those alone: bit i of a set is globals[i].
func liveness(w *Work, f *ir.Func, cfg *ir.CFG) (liveIn, liveOut []bitset, globals []*ir.Value) {
	n, nv := len(f.Blocks), f.NumValues()
	defBlock := ir.Reuse(&w.defBlock, nv)
	for _, b := range cfg.RPO {
		for _, p := range b.Params {
			defBlock[p.ID] = int32(b.ID)
		}
		for _, in := range b.Insts {
			defBlock[in.ID] = int32(b.ID)
		}
	}
	dense := ir.Reuse(&w.dense, nv) // by value ID: 1 + index in globals, 0 when local
	globals = w.globals[:0]
	for _, b := range cfg.RPO {
		b.Uses(func(v *ir.Value) {
			if defBlock[v.ID] != int32(b.ID) && dense[v.ID] == 0 {
				globals = append(globals, v)
				dense[v.ID] = int32(len(globals))
			}
		})
	}
	w.globals = globals
	sets := ir.Reuse(&w.sets, 4*n)
	liveIn, liveOut, use, def := sets[:n:n], sets[n:2*n:2*n], sets[2*n:3*n:3*n], sets[3*n:]
	words := (len(globals) + 63) / 64
	backing := ir.Reuse(&w.backing, 4*words*len(cfg.RPO)) // one array for every set
	next := func() bitset {
		s := bitset(backing[:words:words])
		backing = backing[words:]
		return s
	}
	for _, b := range cfg.RPO {
		u, d := next(), next()
		for _, p := range b.Params {
			if g := dense[p.ID]; g > 0 {
				d.set(int(g - 1))
			}
		}
		for _, in := range b.Insts {
			if g := dense[in.ID]; g > 0 {
				d.set(int(g - 1))
			}
		}
		// A global used in b is either defined in b (after its
		// definition: SSA) or live on entry.
		b.Uses(func(v *ir.Value) {
			if g := dense[v.ID]; g > 0 && defBlock[v.ID] != int32(b.ID) {
				u.set(int(g - 1))
			}
		})
		use[b.ID], def[b.ID] = u, d
		liveIn[b.ID], liveOut[b.ID] = next(), next()
	}
	tmp := bitset(ir.Reuse(&w.tmp, words))
	for changed := true; changed; {
		changed = false
		for i := len(cfg.RPO) - 1; i >= 0; i-- {
			b := cfg.RPO[i]
			out := liveOut[b.ID]
			for _, e := range b.Term.Succs {
				tmp.copyFrom(liveIn[e.To.ID])
				for _, p := range e.To.Params {
					if g := dense[p.ID]; g > 0 {
						tmp.clear(int(g - 1))
					}
				}
				out.orInto(tmp)
			}
			for w := range tmp {
				tmp[w] = use[b.ID][w] | out[w]&^def[b.ID][w]
			}
			if liveIn[b.ID].orInto(tmp) {
				changed = true
			}
		}
	}
	return liveIn, liveOut, globals
}

// Intervals numbers the program points and builds every value's
// interval. clobbers (nil: none) gives the general registers an
// instruction's lowering writes as scratch, as a mask of register numbers.
func Intervals(f *ir.Func, cfg *ir.CFG, clobbers func(*ir.Value) uint64) (*Layout, []Interval) {
	return intervals(new(Work), f, cfg, clobbers)
}

func intervals(w *Work, f *ir.Func, cfg *ir.CFG, clobbers func(*ir.Value) uint64) (*Layout, []Interval) {
	lay := &w.lay
	nb, nv := len(f.Blocks), f.NumValues()
	ints := ir.Reuse(&w.ints, 2*nb+nv) // Start, End and Pos in one array
	lay.Order, lay.Start, lay.End, lay.Pos = cfg.RPO, ints[:nb:nb], ints[nb:2*nb:2*nb], ints[2*nb:]
	ivs := fill(&w.ivs, nv, Interval{Start: -1, End: -1})
	extend := func(v *ir.Value, p int) {
		iv := &ivs[v.ID]
		iv.V = v
		if iv.Start < 0 || p < iv.Start {
			iv.Start = p
		}
		if p > iv.End {
			iv.End = p
		}
	}
	liveIn, liveOut, globals := liveness(w, f, cfg)
	p := 0
	for _, b := range cfg.RPO {
		lay.Start[b.ID] = p
		for _, v := range b.Params {
			extend(v, p)
		}
		for _, in := range b.Insts {
			p += 2
			lay.Pos[in.ID] = p
			for _, a := range in.Args {
				extend(a, p)
			}
			extend(in, p)
		}
		p += 2
		lay.End[b.ID] = p
		termUses(&b.Term, func(v *ir.Value) { extend(v, p) })
		p += 2
	}
	for _, b := range cfg.RPO {
		liveIn[b.ID].each(func(i int) { extend(globals[i], lay.Start[b.ID]) })
		liveOut[b.ID].each(func(i int) { extend(globals[i], lay.End[b.ID]) })
	}
	if clobbers != nil {
		avoid(w, ivs, lay, clobbers)
	}
	return lay, ivs
}

// avoid sets every interval's Avoid: positions are grouped by the
// registers their instruction clobbers (few distinct sets), and an
// interval looks each group up by binary search.
func avoid(w *Work, ivs []Interval, lay *Layout, clobbers func(*ir.Value) uint64) {
	groups := w.groups[:0]
	defer func() { w.groups = groups }()
	for _, b := range lay.Order {
		for _, in := range b.Insts {
			m := clobbers(in)
			if m == 0 {
				continue
			}
			k := 0
			for k < len(groups) && groups[k].regs != m {
				k++
			}
			if k == len(groups) {
				if k < cap(groups) { // keep the positions' array
					groups = groups[:k+1]
					groups[k].regs, groups[k].pos = m, groups[k].pos[:0]
				} else {
					groups = append(groups, clobberGroup{regs: m})
				}
			}
			groups[k].pos = append(groups[k].pos, lay.Pos[in.ID])
		}
	}
	for _, gr := range groups {
		for i := range ivs {
			iv := &ivs[i]
			if iv.V == nil {
				continue
			}
			k := sort.SearchInts(gr.pos, iv.Start)
			if k < len(gr.pos) && gr.pos[k] <= iv.End {
				iv.Avoid |= gr.regs
			}
		}
	}
}

// termUses calls f for every operand a terminator reads at its block's
// end: its condition or index, edge arguments and returned values. An
// instruction's operands end at the instruction: extending them to the
// block's end would keep every temporary of a long block (a loop body)
// live at once and spill most of them.
func termUses(t *ir.Term, f func(v *ir.Value)) {
	if t.Cond != nil {
		f(t.Cond)
	}
	for _, e := range t.Succs {
		for _, a := range e.Args {
			f(a)
		}
	}
	for _, a := range t.Rets {
		f(a)
	}
}
