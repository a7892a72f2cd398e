package opt

import "github.com/kilnrt/kiln/jit/ir"

// MergeBlocks joins a block ending in a jump with its target when it is
// the target's only predecessor: the target's parameters are replaced by
// the jump's arguments, its instructions and terminator move into the
// jumping block, and the target disappears. Chains left by structured
// control flow (a block's end jumping to its continuation) collapse.
func MergeBlocks(f *ir.Func) {
	for changed := true; changed; {
		changed = false
		preds := make([]int, len(f.Blocks))
		for _, b := range f.Blocks {
			for _, e := range b.Term.Succs {
				preds[e.To.ID]++
			}
		}
		var repl replacements
		gone := make([]bool, len(f.Blocks))
		for _, b := range f.Blocks {
			for !gone[b.ID] && b.Term.Kind == ir.TermJump {
				e := b.Term.Succs[0]
				to := e.To
				if to == b || to == f.Entry() || preds[to.ID] != 1 || gone[to.ID] {
					break
				}
				for i, p := range to.Params {
					repl.set(f, p, repl.resolve(e.Args[i]))
				}
				for _, v := range to.Insts {
					v.Block = b
				}
				b.Insts = append(b.Insts, to.Insts...)
				b.Term = to.Term
				to.Params, to.Insts, to.Term = nil, nil, ir.Term{}
				gone[to.ID] = true
				changed = true
			}
		}
		if !changed {
			break
		}
		f.ReplaceUses(repl.resolve)
		kept := f.Blocks[:0]
		for _, b := range f.Blocks {
			if !gone[b.ID] {
				b.ID = len(kept)
				kept = append(kept, b)
			}
		}
		f.Blocks = kept
	}
}
