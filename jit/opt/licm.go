package opt

import (
	"sort"

	"github.com/kilnrt/kiln/jit/ir"
)

// HoistInvariants is loop-invariant code motion. A loop is a header and
// the blocks that reach one of its back-edges (edges to the header from
// a block it dominates) without passing through it. Every loop gets a
// preheader: a new block taking the edges that enter the header from
// outside, with the header's parameter types, jumping to the header.
// Then, innermost loop first, each instruction that cannot trap and has
// no effect (the pure operations GVN numbers) and whose arguments are
// all defined outside the loop moves to the end of the preheader;
// constant arguments defined inside the loop are copied there. Moved
// code runs once per entry into the loop instead of once per iteration,
// and possibly when the loop would not have run it at all, which is why
// only operations that cannot trap move. Nothing else moves, so the
// effects, traps and the back-edges where fuel is charged stay where
// they were. Reports whether it moved anything.
func HoistInvariants(f *ir.Func) bool { return hoistInvariants(f, ir.ComputeCFG(f)) }

// hoistInvariants is HoistInvariants with f's CFG, which it computes
// again (in place) when it adds preheaders.
func hoistInvariants(f *ir.Func, cfg *ir.CFG) bool {
	in := make([]bool, len(f.Blocks)) // a loop's body, by block ID
	loops := findLoops(f, cfg, in)
	if len(loops) == 0 || !anyHoistable(loops, in) {
		// Nothing would move: the preheaders would be made for nothing.
		return false
	}
	made := map[*ir.Block]*ir.Block{} // preheader -> its header
	for _, l := range loops {
		made[addPreheader(f, l, cfg, in)] = l.header
	}
	cfg.Compute(f)
	in = make([]bool, len(f.Blocks))
	loops = findLoops(f, cfg, in)
	sort.SliceStable(loops, func(i, j int) bool { return len(loops[i].body) < len(loops[j].body) })
	moved := false
	for _, l := range loops {
		pre := l.preheader(cfg)
		if pre == nil {
			continue
		}
		for _, b := range l.body {
			in[b.ID] = true
		}
		// Blocks in reverse postorder, so a definition is seen before
		// its uses and moves first.
		body := append([]*ir.Block(nil), l.body...)
		sort.Slice(body, func(i, j int) bool { return cfg.Order(body[i]) < cfg.Order(body[j]) })
		for _, b := range body {
			kept := b.Insts[:0]
			for _, v := range b.Insts {
				if !hoistable(v, in) {
					kept = append(kept, v)
					continue
				}
				for i, a := range v.Args {
					if a.Op == ir.OpConst && in[a.Block.ID] {
						v.Args[i] = pre.Const(a.Type, uint64(a.Aux))
					}
				}
				v.Block = pre
				pre.Insts = append(pre.Insts, v)
				moved = true
			}
			b.Insts = kept
		}
		for _, b := range l.body {
			in[b.ID] = false
		}
	}
	// A preheader that received nothing is bypassed again (it passes
	// its parameters on unchanged) and left unreachable.
	for _, b := range f.Blocks {
		for i := range b.Term.Succs {
			e := &b.Term.Succs[i]
			if h, ok := made[e.To]; ok && len(e.To.Insts) == 0 {
				e.To = h
			}
		}
	}
	return moved
}

// hoistable reports whether v may leave a loop (in marks its blocks).
func hoistable(v *ir.Value, in []bool) bool {
	if !numberable(v) || len(v.Args) == 0 {
		return false
	}
	for _, a := range v.Args {
		if in[a.Block.ID] && a.Op != ir.OpConst {
			return false
		}
	}
	return true
}

// anyHoistable reports whether an instruction of some loop is hoistable
// from it (in: all false, as left).
func anyHoistable(loops []*loop, in []bool) bool {
	for _, l := range loops {
		for _, b := range l.body {
			in[b.ID] = true
		}
		found := false
		for _, b := range l.body {
			for _, v := range b.Insts {
				if hoistable(v, in) {
					found = true
					break
				}
			}
		}
		for _, b := range l.body {
			in[b.ID] = false
		}
		if found {
			return true
		}
	}
	return false
}

// loop is a natural loop: its header and body (header included).
type loop struct {
	header *ir.Block
	body   []*ir.Block
}

// findLoops finds the natural loop of every header with back-edges;
// a header's back-edges make one loop. in (by block ID, all false) is
// work space, all false again on return.
func findLoops(f *ir.Func, cfg *ir.CFG, in []bool) []*loop {
	var loops []*loop
	for _, h := range cfg.RPO {
		var latches []*ir.Block
		for _, p := range cfg.Preds[h.ID] {
			if cfg.Dominates(h, p) {
				latches = append(latches, p)
			}
		}
		if len(latches) == 0 || h == f.Entry() {
			continue
		}
		in[h.ID] = true
		l := &loop{header: h, body: []*ir.Block{h}}
		work := latches
		for len(work) > 0 {
			b := work[len(work)-1]
			work = work[:len(work)-1]
			if in[b.ID] {
				continue
			}
			in[b.ID] = true
			l.body = append(l.body, b)
			work = append(work, cfg.Preds[b.ID]...)
		}
		for _, b := range l.body {
			in[b.ID] = false
		}
		loops = append(loops, l)
	}
	return loops
}

// preheader is the loop's preheader made by addPreheader: the header's
// only predecessor from outside, ending in a jump to it; nil when there
// is none.
func (l *loop) preheader(cfg *ir.CFG) *ir.Block {
	var pre *ir.Block
	for _, p := range cfg.Preds[l.header.ID] {
		if cfg.Dominates(l.header, p) {
			continue
		}
		if pre != nil || p.Term.Kind != ir.TermJump {
			return nil
		}
		pre = p
	}
	return pre
}

// addPreheader redirects the edges entering l's header from outside the
// loop to a new block that passes its parameters on to the header, and
// returns the new block. The header's predecessors are cfg's (made
// before any preheader: a preheader takes only edges to its own header,
// so the others' lists stay right); in is work space as for findLoops.
func addPreheader(f *ir.Func, l *loop, cfg *ir.CFG, in []bool) *ir.Block {
	for _, b := range l.body {
		in[b.ID] = true
	}
	defer func() {
		for _, b := range l.body {
			in[b.ID] = false
		}
	}()
	h := l.header
	pre := f.NewBlock()
	args := make([]*ir.Value, len(h.Params))
	for i, p := range h.Params {
		args[i] = pre.AddParam(p.Type)
	}
	pre.Jump(h, args...)
	for _, b := range cfg.Preds[h.ID] {
		if in[b.ID] {
			continue
		}
		for i := range b.Term.Succs {
			if b.Term.Succs[i].To == h {
				b.Term.Succs[i].To = pre
			}
		}
	}
	return pre
}
