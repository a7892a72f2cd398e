package kiln

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
)

// FuelSource is a fuel budget shared by many calls (RuntimeConfig.FuelSource,
// ModuleConfig.FuelSource). A running call takes fuel in chunks and gives
// back what it did not spend when it ends or calls a host function, so the
// same program with the same input consumes the same fuel. FuelTank is the
// usual implementation; package wasi backs one with a sandbox.Account.
type FuelSource = engine.FuelSource

// Limiter approves the initial size and every growth of memories (in
// bytes) and tables (in elements): GrowMemory(current, wanted) and
// GrowTable(current, wanted) are called with the object's size before and
// after. Refusing a growth makes memory.grow or table.grow return -1 (and
// Memory.Grow fail); refusing an initial size (current 0) fails the
// instantiation with an error matching store.ErrLimiterRefused. A call
// with wanted < current reports space given back (the memories of a
// closed instance that no other instance imported, what a failed
// instantiation had charged); its result is ignored. Tables stay charged
// after Close, since an importer may still use and grow them.
// Calls may come from several goroutines when instances run concurrently.
type Limiter = store.Limiter

// HeapLimiter is implemented by a Limiter that also approves the other
// host memory the engine holds for a guest: GC objects
// (struct.new, array.new...), the frame stack beyond its initial size and
// element segments, each reported as a block of bytes with its size
// before and after (treat calls as differences). Refusing a GC
// allocation traps with TrapHeapExhausted, a frame stack growth with
// TrapCallStackExhausted, an element segment fails the instantiation.
// Without it, that memory is bounded by RuntimeConfig.MaxHeapBytes and
// MaxStackBytes only.
type HeapLimiter = store.HeapLimiter

// TableElementBytes is the host memory of one table element; wasi charges
// a table's elements to the memory account at this size.
const TableElementBytes = store.TableElemBytes

// ErrLimiterRefused is matched by the error of an instantiation whose
// initial memory or table size the Limiter refused.
var ErrLimiterRefused = store.ErrLimiterRefused

// FuelTank is a FuelSource holding a fixed budget that can be topped up.
// It is safe for concurrent use.
type FuelTank struct {
	left, total atomic.Uint64
}

// NewFuelTank returns a tank holding budget units of fuel.
func NewFuelTank(budget uint64) *FuelTank {
	t := &FuelTank{}
	t.Add(budget)
	return t
}

// Take removes up to n units and returns how many it removed.
func (t *FuelTank) Take(n uint64) uint64 {
	for {
		left := t.left.Load()
		got := min(n, left)
		if got == 0 || t.left.CompareAndSwap(left, left-got) {
			return got
		}
	}
}

// Return gives back n units taken but not spent.
func (t *FuelTank) Return(n uint64) { t.left.Add(n) }

// Add puts n more units in the tank.
func (t *FuelTank) Add(n uint64) {
	t.left.Add(n)
	t.total.Add(n)
}

// Remaining returns the fuel left (not counting the chunks that running
// calls hold).
func (t *FuelTank) Remaining() uint64 { return t.left.Load() }

// Consumed returns the fuel spent so far: exact when no call that draws
// from the tank is running.
func (t *FuelTank) Consumed() uint64 { return t.total.Load() - t.left.Load() }
