package codegen

import (
	"sync"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
	"github.com/kilnrt/kiln/jit/rt"
)

// work is the memory of lowering one function that the next function
// lowered on the same goroutine reuses (works): the CFG, the allocator's
// work space (intervals, liveness, locations, saves) and the lowering's
// tables. A module of thousands of functions allocated all of it per
// function, more than a third of a compile's garbage.
type work struct {
	cfg       ir.CFG
	ra        regalloc.Work
	locs      []loc
	uses      []int
	label     []amd64.Label
	clobbers  []regalloc.Clobber
	late      []func()
	trapSites []pendingTrap
	sites     []pendingSite
	moves     []regalloc.Move
	traps     map[trapKey]amd64.Label
	trapStubs map[rt.TrapCode]amd64.Label
}

// works holds the work spaces not in use (any target: work names no
// feature).
var works = sync.Pool{New: func() any {
	return &work{traps: map[trapKey]amd64.Label{}, trapStubs: map[rt.TrapCode]amd64.Label{}}
}}

// putWork gives back g's work space, emptied of what points into g's
// function and assembler.
func (g *gen) putWork() {
	w := g.w
	clear(g.late) // closures over g
	w.late, w.sites, w.moves, w.clobbers = g.late[:0], g.sites[:0], g.moves[:0], g.clobbers[:0]
	w.trapSites = g.trapSites[:0]
	clear(w.traps)
	clear(w.trapStubs)
	g.w = nil
	works.Put(w)
}
