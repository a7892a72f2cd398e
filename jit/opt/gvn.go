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
	if w.table == nil {
		w.table = map[gvnKey]*ir.Value{}
	}
	table := w.table // empty between calls: every key added is deleted
	var repl replacements
	added := w.added[:0] // keys entered on the path, popped on leaving a block
	defer func() { w.added = added }()
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

// gvnArg identifies an address (bounds.go): a value by ID (typ None), a
// constant by its type and bits. pad is always zero, so the key is
// hashed as one block of memory.
type gvnArg struct {
	bits int64
	typ  ir.Type
	//lint:ignore U1000 named padding: the key hashes as memory
	pad [7]uint8
}

func argKey(a *ir.Value) gvnArg {
	if a.Op == ir.OpConst {
		return gvnArg{typ: a.Type, bits: a.Aux}
	}
	return gvnArg{bits: int64(a.ID)}
}

// gvnKey identifies a numberable value: its op, type, Aux and
// arguments, an argument being a value by ID (type None) or a constant
// by its type and bits. Every byte is a named field (pad is always
// zero), so the key is hashed as one block of 40 bytes, once per
// instruction, instead of field by field.
type gvnKey struct {
	aux  int64
	bits [3]int64 // by argument: a value's ID, or a constant's bits
	op   ir.Op
	typ  ir.Type
	n    uint8
	typs [3]ir.Type // by argument: None for a value, a constant's type
	//lint:ignore U1000 named padding: the key hashes as memory
	pad uint8
}

func keyOf(v *ir.Value) gvnKey {
	k := gvnKey{op: v.Op, typ: v.Type, aux: v.Aux, n: uint8(len(v.Args))}
	for i, a := range v.Args {
		if a.Op == ir.OpConst {
			k.typs[i], k.bits[i] = a.Type, a.Aux
		} else {
			k.bits[i] = int64(a.ID)
		}
	}
	if v.Op.Commutative() && k.less(1, 0) {
		k.typs[0], k.typs[1] = k.typs[1], k.typs[0]
		k.bits[0], k.bits[1] = k.bits[1], k.bits[0]
	}
	return k
}

// less orders arguments i and j of k: by type, then bits.
func (k *gvnKey) less(i, j int) bool {
	if k.typs[i] != k.typs[j] {
		return k.typs[i] < k.typs[j]
	}
	return k.bits[i] < k.bits[j]
}
