package front

import (
	"sync"

	"github.com/kilnrt/kiln/jit/ir"
)

// Locals become SSA values with the algorithm of Braun et al., "Simple and
// Efficient Construction of Static Single Assignment Form" (CC 2013),
// adapted to block parameters: a local read in a block that does not
// define it either comes from the single predecessor of a sealed block or
// becomes a new block parameter. Edges are built with their operand-stack
// values only; finishEdges then appends, for each parameter carrying a
// local, the local's value at the end of the source block (a block's defs
// hold exactly that once it is finished). Reading those values may add
// parameters elsewhere, so finishEdges repeats until every edge matches
// its target. Parameters that turn out redundant (every edge passes the
// same value) are removed later by opt.RemoveRedundantParams.

// blockInfo is the front end's bookkeeping for one IR block.
type blockInfo struct {
	sealed bool // every predecessor is known
	// paramLocal[i] is the local carried by parameter i, or -1 for a
	// parameter carrying an operand-stack value (those come first).
	paramLocal []int
	incoming   []incomingEdge
}

type incomingEdge struct {
	from *ir.Block
	succ int // index in from.Term.Succs
}

// defKey names the current value of a local in a block (Visitor.defs):
// the block ID in the high half, the local in the low half (one word,
// which the map hashes faster than a struct).
type defKey uint64

func keyOf(b *ir.Block, local int) defKey { return defKey(uint64(b.ID)<<32 | uint64(uint32(local))) }

// scratch is the front end's bookkeeping, reused from one function to
// the next (scratchPool): its maps and slices are what building a
// function would otherwise allocate afresh.
type scratch struct {
	defs   map[defKey]*ir.Value
	blocks []*blockInfo // by block ID; entries past len are spares
	stack  []*ir.Value
	frames []frame
}

// maxKeptDefs bounds the size of a defs map kept for the next function.
const maxKeptDefs = 1 << 12

var scratchPool = sync.Pool{New: func() any { return &scratch{defs: map[defKey]*ir.Value{}} }}

// release returns the visitor's scratch to the pool (at End: only the
// built function outlives it).
func (v *Visitor) release() {
	s := v.sc
	if s == nil {
		return
	}
	v.sc = nil
	// Clearing costs what was used, not what a larger function left:
	// a map grown large is dropped (clear costs its capacity), and only
	// this function's blocks are cleared (the spares were before).
	if len(s.defs) > maxKeptDefs {
		s.defs = map[defKey]*ir.Value{}
	} else {
		clear(s.defs)
	}
	clear(v.stack[:cap(v.stack)])
	clear(v.frames[:cap(v.frames)])
	for _, bi := range v.blocks {
		clear(bi.incoming[:cap(bi.incoming)])
	}
	s.blocks, s.stack, s.frames = v.blocks[:0], v.stack[:0], v.frames[:0]
	v.blocks, v.stack, v.frames, v.defs = nil, nil, nil, nil
	scratchPool.Put(s)
}

func (v *Visitor) info(b *ir.Block) *blockInfo {
	for len(v.blocks) <= b.ID {
		n := len(v.blocks)
		if n < cap(v.blocks) && v.blocks[:n+1][n] != nil {
			v.blocks = v.blocks[:n+1]
			bi := v.blocks[n]
			*bi = blockInfo{paramLocal: bi.paramLocal[:0], incoming: bi.incoming[:0]}
			continue
		}
		v.blocks = append(v.blocks, &blockInfo{})
	}
	return v.blocks[b.ID]
}

// newBlock creates a block whose first parameters carry operand-stack
// values of the given types.
func (v *Visitor) newBlock(stackParams []ir.Type, sealed bool) *ir.Block {
	b := v.fn.NewBlock()
	bi := v.info(b)
	bi.sealed = sealed
	for _, t := range stackParams {
		b.AddParam(t)
		bi.paramLocal = append(bi.paramLocal, -1)
	}
	return b
}

func (v *Visitor) writeLocal(local int, b *ir.Block, val *ir.Value) {
	v.defs[keyOf(b, local)] = val
}

func (v *Visitor) readLocal(local int, b *ir.Block) *ir.Value {
	key := keyOf(b, local)
	if val, ok := v.defs[key]; ok {
		return val
	}
	bi := v.info(b)
	var val *ir.Value
	if bi.sealed && len(bi.incoming) == 1 {
		val = v.readLocal(local, bi.incoming[0].from)
	} else {
		// A new parameter; defined before its operands are read, so
		// that a loop reading itself terminates.
		val = b.AddParam(v.localTypes[local])
		bi.paramLocal = append(bi.paramLocal, local)
	}
	v.defs[key] = val
	return val
}

// edge is an edge to a block passing operand-stack values; finishEdges
// adds the locals.
// Its arguments alias stack: ir.Block's Jump, Branch and BrTable copy
// them.
func edge(to *ir.Block, stack []*ir.Value) ir.Edge {
	return ir.Edge{To: to, Args: stack}
}

// finishEdges completes every edge with the locals its target carries.
func (v *Visitor) finishEdges() {
	for changed := true; changed; {
		changed = false
		for _, b := range v.fn.Blocks {
			bi := v.info(b)
			for _, in := range bi.incoming {
				e := &in.from.Term.Succs[in.succ]
				if len(e.Args) < len(b.Params) {
					e.Args = v.fn.Grow(e.Args, len(b.Params)-len(e.Args))
				}
				for len(e.Args) < len(b.Params) {
					e.Args = append(e.Args, v.readLocal(bi.paramLocal[len(e.Args)], in.from))
					changed = true
				}
			}
		}
	}
}

// linked records the edges of from's terminator at their targets.
func (v *Visitor) linked(from *ir.Block) {
	for i, e := range from.Term.Succs {
		ti := v.info(e.To)
		ti.incoming = append(ti.incoming, incomingEdge{from: from, succ: i})
	}
}

func (v *Visitor) seal(b *ir.Block) { v.info(b).sealed = true }
