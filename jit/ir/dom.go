package ir

// CFG holds the derived control-flow facts of a function: reverse
// postorder of the reachable blocks, predecessors and immediate
// dominators. It is a snapshot: recompute it after changing edges.
type CFG struct {
	RPO   []*Block   // reachable blocks, entry first
	Preds [][]*Block // by block ID; one entry per edge
	Idom  []*Block   // by block ID; nil for the entry and unreachable blocks
	order []int      // by block ID: position in RPO, or -1 when unreachable

	// The arrays the fields above are carved from, kept for Compute.
	blocks, preds []*Block
	nums          []int
	lists         [][]*Block
}

// ReversePostorder is the reverse postorder of the blocks the entry
// reaches (ComputeCFG's RPO, without the rest of the CFG).
func ReversePostorder(f *Func) []*Block {
	n := len(f.Blocks)
	ints := make([]int, 2*n)
	blocks := make([]*Block, 2*n)
	c := &CFG{order: ints[:n:n], RPO: blocks[:0:n]}
	reversePostorder(f, c, ints[n:], blocks[n:n])
	return c.RPO
}

// reversePostorder fills c.RPO (empty, with room for every block) and
// c.order by an iterative depth-first walk, with next (zeroed, by block
// ID) and post (empty, room for every block) as work space, and returns
// the number of edges leaving reachable blocks.
func reversePostorder(f *Func, c *CFG, next []int, post []*Block) (edges int) {
	for i := range c.order {
		c.order[i] = -1
	}
	// A block is on the stack once, so the stack fits in RPO's space
	// until RPO is filled from post.
	stack := c.RPO
	entry := f.Entry()
	stack = append(stack, entry)
	c.order[entry.ID] = 0 // visited
	for len(stack) > 0 {
		top := stack[len(stack)-1]
		if i := next[top.ID]; i < len(top.Term.Succs) {
			s := top.Term.Succs[i].To
			next[top.ID]++
			edges++
			if c.order[s.ID] < 0 {
				c.order[s.ID] = 0
				stack = append(stack, s)
			}
			continue
		}
		post = append(post, top)
		stack = stack[:len(stack)-1]
	}
	for i := len(post) - 1; i >= 0; i-- {
		c.order[post[i].ID] = len(c.RPO)
		c.RPO = append(c.RPO, post[i])
	}
	return edges
}

// ComputeCFG computes the reverse postorder, predecessors and dominator
// tree (Cooper, Harvey and Kennedy's iterative algorithm).
func ComputeCFG(f *Func) *CFG {
	c := &CFG{}
	c.Compute(f)
	return c
}

// Compute makes c f's CFG (as ComputeCFG), reusing the memory of what c
// was before: passes that recompute the CFG of function after function
// keep one.
func (c *CFG) Compute(f *Func) {
	n := len(f.Blocks)
	// One array per element type, kept from one computation to the next.
	ints := Reuse(&c.nums, 2*n)
	blocks := Reuse(&c.blocks, 3*n)
	c.Idom, c.order, c.RPO = blocks[:n:n], ints[:n:n], blocks[n:n:2*n]
	post := blocks[2*n : 2*n : 3*n]
	next := ints[n:] // DFS: the next successor to visit, by block ID
	npreds := reversePostorder(f, c, next, post)
	entry := f.Entry()
	// Predecessors: counted, then laid out in one array (each block's
	// list capped, so that appending to one copies it).
	count := next[:n]
	for i := range count {
		count[i] = 0
	}
	for _, b := range c.RPO {
		for _, e := range b.Term.Succs {
			count[e.To.ID]++
		}
	}
	all := Reuse(&c.preds, npreds)
	c.Preds = Reuse(&c.lists, n)
	at := 0
	for id, k := range count {
		if k > 0 {
			c.Preds[id] = all[at : at : at+k]
			at += k
		}
	}
	for _, b := range c.RPO {
		for _, e := range b.Term.Succs {
			c.Preds[e.To.ID] = append(c.Preds[e.To.ID], b)
		}
	}
	c.Idom[entry.ID] = entry
	for changed := true; changed; {
		changed = false
		for _, b := range c.RPO[1:] {
			var idom *Block
			for _, p := range c.Preds[b.ID] {
				if c.Idom[p.ID] == nil {
					continue
				}
				if idom == nil {
					idom = p
				} else {
					idom = c.intersect(p, idom)
				}
			}
			if idom != nil && c.Idom[b.ID] != idom {
				c.Idom[b.ID] = idom
				changed = true
			}
		}
	}
	c.Idom[entry.ID] = nil
}

// Reuse returns (*buf)[:n] zeroed, growing *buf when it is too short:
// work space kept from one function to the next.
func Reuse[T any](buf *[]T, n int) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
		return *buf
	}
	s := (*buf)[:n]
	clear(s)
	return s
}

func (c *CFG) intersect(a, b *Block) *Block {
	for a != b {
		for c.order[a.ID] > c.order[b.ID] {
			a = c.idomOrSelf(a)
		}
		for c.order[b.ID] > c.order[a.ID] {
			b = c.idomOrSelf(b)
		}
	}
	return a
}

func (c *CFG) idomOrSelf(b *Block) *Block {
	if d := c.Idom[b.ID]; d != nil {
		return d
	}
	return b // the entry (its idom is itself during the computation)
}

// Reachable reports whether b is reachable from the entry.
func (c *CFG) Reachable(b *Block) bool { return b.ID < len(c.order) && c.order[b.ID] >= 0 }

// Dominates reports whether a dominates b (every block dominates itself).
// Both must be reachable.
func (c *CFG) Dominates(a, b *Block) bool {
	for b != nil {
		if a == b {
			return true
		}
		b = c.Idom[b.ID]
	}
	return false
}

// Order is b's position in the reverse postorder (-1 when unreachable).
func (c *CFG) Order(b *Block) int { return c.order[b.ID] }
