package regalloc

import "github.com/kilnrt/kiln/jit/ir"

// Work is the allocator's work space, kept by one goroutine from one
// function to the next so that a module's compile does not allocate it
// again per function: its methods are the package's functions, and what
// they return (the Layout, intervals, locations, save slots, dominator
// numbering) lives in it, valid until the same method is called again.
// The zero Work is ready; a Work must not be used by two goroutines at
// once.
type Work struct {
	lay  Layout
	ints []int // the Layout's Start, End and Pos
	ivs  []Interval
	locs []Loc

	// liveness
	defBlock, dense []int32
	globals         []*ir.Value
	sets            []bitset // liveIn, liveOut, use, def: 4 per block ID
	backing, tmp    []uint64
	groups          []clobberGroup // avoid

	// Allocate
	order, active []*Interval
	freeG, freeX  []uint8

	// Saves
	save   []int32
	liveAt [][]int32

	// NumberDomTree
	pre, post, first, next, cur, stack []int32
}

// clobberGroup is the positions of the instructions that clobber the
// same registers (avoid).
type clobberGroup struct {
	regs uint64
	pos  []int // ascending
}

// Intervals is the package's Intervals, in w.
func (w *Work) Intervals(f *ir.Func, cfg *ir.CFG, clobbers func(*ir.Value) uint64) (*Layout, []Interval) {
	return intervals(w, f, cfg, clobbers)
}

// Allocate is the package's Allocate, in w.
func (w *Work) Allocate(ivs []Interval, c *Config, newSlot func() int32) []Loc {
	return allocate(w, ivs, c, newSlot)
}

// Saves is the package's Saves, in w.
func (w *Work) Saves(ivs []Interval, locs []Loc, clobbers []Clobber, newSlot func() int32) (save []int32, liveAt [][]int32) {
	return saves(w, ivs, locs, clobbers, newSlot)
}

// NumberDomTree is the package's NumberDomTree, in w.
func (w *Work) NumberDomTree(cfg *ir.CFG) DomTree { return numberDomTree(w, cfg) }

// fill returns (*buf)[:n] with every element v, growing *buf when it is
// too short.
func fill[T any](buf *[]T, n int, v T) []T {
	if cap(*buf) < n {
		*buf = make([]T, n)
	}
	s := (*buf)[:n]
	for i := range s {
		s[i] = v
	}
	return s
}
