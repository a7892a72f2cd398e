package opt

import "github.com/kilnrt/kiln/jit/ir"

// DeadCode removes instructions whose results are never used and that
// have no effect, and block parameters (other than the function's) that
// nothing live uses, together with the edge arguments feeding them. It
// marks from the roots (effects, branch conditions, returned values)
// through arguments, and from a live parameter to the arguments every
// edge passes it, so a value that only circulates around a loop is dead.
func DeadCode(f *ir.Func) {
	live := make([]bool, f.NumValues())
	var work []*ir.Value
	mark := func(v *ir.Value) {
		if !live[v.ID] {
			live[v.ID] = true
			work = append(work, v)
		}
	}
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			if v.Op.HasEffect() {
				mark(v)
			}
		}
		if b.Term.Cond != nil {
			mark(b.Term.Cond)
		}
		for _, r := range b.Term.Rets {
			mark(r)
		}
	}
	for _, p := range f.Entry().Params {
		mark(p)
	}
	el := edgeListPool.Get().(*edgeLists)
	defer edgeListPool.Put(el)
	in := el.incoming(f)
	index := make([]int32, f.NumValues()) // parameter ID -> its position
	for _, b := range f.Blocks {
		for i, p := range b.Params {
			index[p.ID] = int32(i)
		}
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		for _, a := range v.Args {
			mark(a)
		}
		if v.Op == ir.OpParam && v.Block != f.Entry() {
			for _, e := range in[v.Block.ID] {
				mark(e.Args[index[v.ID]])
			}
		}
	}
	for _, b := range f.Blocks {
		kept := b.Insts[:0]
		for _, v := range b.Insts {
			if live[v.ID] {
				kept = append(kept, v)
			}
		}
		b.Insts = kept
		if b == f.Entry() {
			continue
		}
		for i := len(b.Params) - 1; i >= 0; i-- {
			if !live[b.Params[i].ID] {
				removeParam(b, i, in[b.ID])
			}
		}
	}
}
