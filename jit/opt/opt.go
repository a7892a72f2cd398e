package opt

import (
	"sync"

	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// Config says what the passes may assume about the function's module.
type Config struct {
	// MinMemory is a lower bound of memory 0's length in bytes: its
	// minimum size (0 when unknown).
	MinMemory uint64
}

// ConfigFor is what the passes may assume about functions of m: memory
// 0's minimum size, which an imported memory has at least too.
func ConfigFor(m *wasm.Module) Config {
	var mt *wasm.MemoryType
	if m.NumImportedMems > 0 {
		for i := range m.Imports {
			if m.Imports[i].Kind == wasm.ExternMemory {
				mt = &m.Imports[i].Mem
				break
			}
		}
	} else if len(m.Mems) > 0 {
		mt = &m.Mems[0]
	}
	if mt == nil || mt.Is64 || mt.Limits.Min > 1<<16 {
		return Config{}
	}
	return Config{MinMemory: mt.Limits.Min * wasm.PageSize}
}

// Run applies the passes in their usual order, assuming nothing about
// the module (RunWith with a zero Config).
func Run(f *ir.Func) { RunWith(f, Config{}) }

// RunWith applies the passes in their usual order. Each leaves the
// function verifiable. Folding can expose more folding (a branch folded
// away makes a merge parameter trivial, whose constant then folds), so
// the cleanup and folding repeat a bounded number of times. Value
// numbering then merges equal computations, invariant ones leave their
// loops (and are numbered again, since copies from blocks apart meet in
// the preheader), dead code and jump chains go, and bounds checks are removed
// last, when no pass will move an access any more.
func RunWith(f *ir.Func, c Config) {
	folded := true
	for i := 0; i < 4 && folded; i++ {
		RemoveUnreachableBlocks(f)
		RemoveRedundantParams(f)
		folded = Fold(f)
	}
	if folded {
		// Stopped by the bound, not by a fixed point.
		RemoveUnreachableBlocks(f)
		RemoveRedundantParams(f)
	}
	// One CFG's memory serves every pass (and, pooled, the next
	// functions); numbering changes no edge, so its CFG serves loop
	// finding too.
	w := works.Get().(*work)
	defer works.Put(w)
	w.cfg.Compute(f)
	blocks := len(f.Blocks)
	changed := gvn(f, w)
	if hoistInvariants(f, &w.cfg) {
		// Copies of one computation hoisted from blocks apart (the
		// cases of a switch) now sit together in a preheader: merge them,
		// or each holds a register (or slot) across the whole loop.
		w.cfg.Compute(f)
		gvn(f, w)
		changed = true
	}
	if changed || len(f.Blocks) != blocks {
		// Merged values can make a parameter redundant, and preheaders
		// left empty are unreachable; otherwise both passes are at
		// their fixed point already.
		RemoveUnreachableBlocks(f)
		RemoveRedundantParams(f)
	}
	DeadCode(f)
	MergeBlocks(f)
	eliminateBoundsChecks(f, c.MinMemory, w)
}

// work is the memory the passes RunWith runs share (a CFG and the
// dominator tree's child lists), pooled: the JIT optimises function
// after function on every core.
type work struct {
	cfg      ir.CFG
	children [][]*ir.Block
	count    []int
	kids     []*ir.Block
	table    map[gvnKey]*ir.Value // value numbering's, empty between calls
	added    []gvnKey
}

var works = sync.Pool{New: func() any { return new(work) }}

// RemoveUnreachableBlocks drops the blocks the entry cannot reach and
// renumbers the rest (block IDs stay equal to their index).
func RemoveUnreachableBlocks(f *ir.Func) {
	reached := reachable(f)
	kept := f.Blocks[:0]
	for _, b := range f.Blocks {
		if reached[b.ID] {
			b.ID = len(kept)
			kept = append(kept, b)
		}
	}
	for i := len(kept); i < len(f.Blocks); i++ {
		f.Blocks[i] = nil
	}
	f.Blocks = kept
}

// reachable marks, by block ID, the blocks the entry reaches (a
// depth-first walk: no dominators needed, unlike ir.ComputeCFG).
func reachable(f *ir.Func) []bool {
	seen := make([]bool, len(f.Blocks))
	seen[0] = true
	stack := []*ir.Block{f.Entry()}
	for len(stack) > 0 {
		b := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, e := range b.Term.Succs {
			if !seen[e.To.ID] {
				seen[e.To.ID] = true
				stack = append(stack, e.To)
			}
		}
	}
	return seen
}

// incoming lists, per block ID, pointers to the edges entering it (all
// lists share one backing array), in memory of el.
func (el *edgeLists) incoming(f *ir.Func) [][]*ir.Edge {
	n := len(f.Blocks)
	in := ir.Reuse(&el.lists, n)
	count := ir.Reuse(&el.count, n)
	total := 0
	for _, b := range f.Blocks {
		for _, e := range b.Term.Succs {
			count[e.To.ID]++
			total++
		}
	}
	all := ir.Reuse(&el.all, total)[:0]
	for id, k := range count {
		in[id] = all[len(all) : len(all) : len(all)+k]
		all = all[:len(all)+k]
	}
	for _, b := range f.Blocks {
		for i := range b.Term.Succs {
			e := &b.Term.Succs[i]
			in[e.To.ID] = append(in[e.To.ID], e)
		}
	}
	return in
}

// edgeLists is the memory of incoming, pooled (edgeListPool): the lists
// are made several times per function.
type edgeLists struct {
	lists [][]*ir.Edge
	count []int
	all   []*ir.Edge
}

var edgeListPool = sync.Pool{New: func() any { return new(edgeLists) }}

// removeParam deletes parameter i of b and the matching argument of every
// edge entering it.
func removeParam(b *ir.Block, i int, in []*ir.Edge) {
	b.Params = append(b.Params[:i], b.Params[i+1:]...)
	for _, e := range in {
		e.Args = append(e.Args[:i], e.Args[i+1:]...)
	}
}

// replacements maps values to the values replacing them, by value ID
// (a slice: passes look values up once per use).
type replacements []*ir.Value

// set records that v is replaced by r, growing the table for f's values
// on first use.
func (r *replacements) set(f *ir.Func, v, by *ir.Value) {
	if v.ID >= len(*r) {
		*r = append(*r, make(replacements, f.NumValues()-len(*r))...)
	}
	(*r)[v.ID] = by
}

// has reports whether v is replaced.
func (r replacements) has(v *ir.Value) bool { return v.ID < len(r) && r[v.ID] != nil }

// resolve follows a replacement chain to its end.
func (r replacements) resolve(v *ir.Value) *ir.Value {
	for v.ID < len(r) && r[v.ID] != nil {
		v = r[v.ID]
	}
	return v
}

// RemoveRedundantParams removes block parameters that receive one value on
// every edge (ignoring the parameter itself, passed around a loop): that
// value dominates the block, so it replaces the parameter. Equal constants
// count as one value; the block then gets its own copy of the constant. This is the
// "trivial phi" removal of SSA construction; it repeats until no
// parameter is redundant, since one removal can make another trivial.
func RemoveRedundantParams(f *ir.Func) {
	if !hasBlockParams(f) {
		return
	}
	var repl replacements
	el := edgeListPool.Get().(*edgeLists)
	defer edgeListPool.Put(el)
	in := el.incoming(f) // removing parameters changes no edge's target
	for changed := true; changed; {
		changed = false
		for _, b := range f.Blocks[1:] {
			for i := 0; i < len(b.Params); i++ {
				p := b.Params[i]
				var same *ir.Value
				trivial, identical := true, true
				for _, e := range in[b.ID] {
					a := repl.resolve(e.Args[i])
					if a == p || a == same {
						continue
					}
					if same != nil {
						if !sameValue(a, same) {
							trivial = false
							break
						}
						identical = false
						continue
					}
					same = a
				}
				if !trivial || same == nil {
					continue
				}
				if !identical {
					// Equal constants defined in different blocks: neither
					// need dominate b, so b gets its own copy.
					same = b.Prepend(ir.OpConst, same.Type, same.Aux)
				}
				repl.set(f, p, same)
				removeParam(b, i, in[b.ID])
				i--
				changed = true
			}
		}
	}
	if repl != nil {
		f.ReplaceUses(repl.resolve)
	}
}

// hasBlockParams reports whether a block other than the entry has
// parameters.
func hasBlockParams(f *ir.Func) bool {
	for _, b := range f.Blocks[1:] {
		if len(b.Params) > 0 {
			return true
		}
	}
	return false
}

// sameValue reports whether a and b always hold the same bits: the same
// value, or constants of one type with equal bits.
func sameValue(a, b *ir.Value) bool {
	return a == b || a.Op == ir.OpConst && b.Op == ir.OpConst && a.Type == b.Type && a.Aux == b.Aux
}
