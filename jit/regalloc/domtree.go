package regalloc

import "github.com/kilnrt/kiln/jit/ir"

// DomTree numbers the dominator tree in depth-first pre- and postorder,
// so that a dominance query is two comparisons instead of a walk up the
// tree (the back end asks one per edge).
type DomTree struct {
	pre, post []int32 // by block ID; -1 for unreachable blocks
}

func NumberDomTree(cfg *ir.CFG) DomTree { return numberDomTree(new(Work), cfg) }

func numberDomTree(w *Work, cfg *ir.CFG) DomTree {
	n := len(cfg.Idom)
	t := DomTree{pre: fill(&w.pre, n, -1), post: fill(&w.post, n, -1)}
	first := fill(&w.first, n, -1) // first child, by block ID (-1: none)
	next := fill(&w.next, n, -1)   // next sibling
	// Children in reverse RPO order pushed at the front: siblings end up
	// in RPO order (any order would do; this one is deterministic).
	for i := len(cfg.RPO) - 1; i >= 1; i-- {
		b := cfg.RPO[i]
		p := cfg.Idom[b.ID].ID
		next[b.ID] = first[p]
		first[p] = int32(b.ID)
	}
	if len(cfg.RPO) == 0 {
		return t
	}
	var pre, post int32
	stack := append(w.stack[:0], int32(cfg.RPO[0].ID))
	defer func() { w.stack = stack }()
	t.pre[stack[0]] = pre
	pre++
	cur := append(w.cur[:0], first...) // next child to visit, by block ID
	w.cur = cur
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		if c := cur[b]; c >= 0 {
			cur[b] = next[c]
			t.pre[c] = pre
			pre++
			stack = append(stack, c)
			continue
		}
		t.post[b] = post
		post++
		stack = stack[:len(stack)-1]
	}
	return t
}

// Dominates reports whether a dominates b (both reachable).
func (t DomTree) Dominates(a, b *ir.Block) bool {
	return t.pre[a.ID] <= t.pre[b.ID] && t.post[b.ID] <= t.post[a.ID]
}
