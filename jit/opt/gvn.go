package opt

import "github.com/kilnrt/kiln/jit/ir"

// GVN is dominator-based global value numbering: walking the dominator
// tree from the entry, a pure operation (no effect, not a memory or
// global read, not a parameter or constant) equal to one already seen on
// the path from the entry (same operation, type, Aux and arguments,
// commutative arguments in either order, constants compared by bits) is
// replaced by it. The earlier one dominates every use of the later, so
// the IR stays valid. Constants themselves are not merged: the back end
// folds them into instructions, and a shared one would have to live in
// a register across the blocks between. Reports whether it changed
// anything.
func GVN(f *ir.Func) bool {
	w := &work{}
	w.cfg.Compute(f)
	return gvn(f, w)
}

// gvn is GVN with f's CFG in w.
func gvn(f *ir.Func, w *work) bool {
	children := w.domChildren(f)
	table := map[gvnKey]*ir.Value{}
	var repl replacements
	var added []gvnKey // keys entered on the path, popped on leaving a block
	var visit func(b *ir.Block)
	visit = func(b *ir.Block) {
		mark := len(added)
		kept := b.Insts[:0]
		for _, v := range b.Insts {
			for i, a := range v.Args {
				v.Args[i] = repl.resolve(a)
			}
			if !numberable(v) {
				kept = append(kept, v)
				continue
			}
			k := keyOf(v)
			if w, ok := table[k]; ok {
				repl.set(f, v, w)
				continue
			}
			table[k] = v
			added = append(added, k)
			kept = append(kept, v)
		}
		b.Insts = kept
		for _, c := range children[b.ID] {
			visit(c)
		}
		for _, k := range added[mark:] {
			delete(table, k)
		}
		added = added[:mark]
	}
	visit(f.Entry())
	if repl == nil {
		return false
	}
	f.ReplaceUses(repl.resolve)
	return true
}

// domChildren lists the dominator tree's children of every reachable
// block, by block ID, in reverse postorder, from w's CFG.
// The lists share one array (counted first, then filled).
func (w *work) domChildren(f *ir.Func) [][]*ir.Block {
	cfg := &w.cfg
	children := ir.Reuse(&w.children, len(f.Blocks))
	count := ir.Reuse(&w.count, len(f.Blocks))
	for _, b := range cfg.RPO[1:] {
		count[cfg.Idom[b.ID].ID]++
	}
	all := ir.Reuse(&w.kids, len(cfg.RPO))
	at := 0
	for id, k := range count {
		if k > 0 {
			children[id] = all[at : at : at+k]
			at += k
		}
	}
	for _, b := range cfg.RPO[1:] {
		d := cfg.Idom[b.ID]
		children[d.ID] = append(children[d.ID], b)
	}
	return children
}

// numberable reports whether v computes a function of its arguments and
// Aux alone, without effect: two such values with equal keys are equal.
func numberable(v *ir.Value) bool {
	switch v.Op {
	case ir.OpParam, ir.OpConst, ir.OpGlobalGet, ir.OpLoad, ir.OpMemorySize:
		return false
	}
	return !v.Op.HasEffect() && len(v.Args) <= 3
}

// gvnArg identifies an argument: a value by ID (typ None), a constant by
// its type and bits. Keys are hashed once per instruction, so they are
// kept small.
type gvnArg struct {
	typ  ir.Type
	bits int64
}

type gvnKey struct {
	op   ir.Op
	typ  ir.Type
	n    uint8
	aux  int64
	args [3]gvnArg
}

func argKey(a *ir.Value) gvnArg {
	if a.Op == ir.OpConst {
		return gvnArg{typ: a.Type, bits: a.Aux}
	}
	return gvnArg{bits: int64(a.ID)}
}

func keyOf(v *ir.Value) gvnKey {
	k := gvnKey{op: v.Op, typ: v.Type, aux: v.Aux, n: uint8(len(v.Args))}
	for i, a := range v.Args {
		k.args[i] = argKey(a)
	}
	if v.Op.Commutative() && less(k.args[1], k.args[0]) {
		k.args[0], k.args[1] = k.args[1], k.args[0]
	}
	return k
}

func less(a, b gvnArg) bool {
	if a.typ != b.typ {
		return a.typ < b.typ
	}
	return a.bits < b.bits
}
