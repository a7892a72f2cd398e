package engine

import (
	"errors"
	"math"
)

// ErrFuelExhausted is returned when a call runs out of fuel.
var ErrFuelExhausted = errors.New("fuel exhausted")

// FuelSource is a fuel budget shared by many calls (every call of a guest,
// even calls made concurrently or from host functions). A running call
// takes fuel in chunks of at most FuelChunk units and returns what it did
// not spend when it ends or calls a host function, so the fuel consumed by
// a sequence of calls does not depend on the chunking: the same program
// with the same input consumes the same fuel.
type FuelSource interface {
	// Take removes up to n units from the budget and returns how many
	// it removed (0 when the budget is spent).
	Take(n uint64) uint64
	// Return gives back units taken but not spent.
	Return(n uint64)
}

// Fuel units, the same in every engine: one per function entry and loop
// iteration, and for bulk instructions (memory, table and GC array
// fill/copy/init/grow/new) one more per FuelBytesPerUnit bytes or
// FuelElemsPerUnit elements (references), about the time one loop
// iteration takes.
const (
	FuelBytesPerUnit = 256
	FuelElemsPerUnit = 32
)

// FuelChunk is how much fuel a call takes from a FuelSource at a time: a
// refill per FuelChunk function entries and loop iterations.
const FuelChunk = 1 << 14

// Fuel is the fuel state of one thread of execution. Run takes it by
// pointer (the caller's, never allocated per call) and leaves it updated;
// on a cross-engine call the caller hands its own over, so both engines
// spend one budget in the same units. Engines copy it field by field: a
// struct copy of fields just written one by one uses wider moves that
// stall the CPU's store forwarding, measurably on every call.
type Fuel struct {
	// On says fuel is counted; when false the other fields are unused.
	On bool
	// Left is what may be spent before refilling from Src.
	Left uint64
	// Call is the part of the call's own budget not yet taken from Src
	// (only with Src).
	Call uint64
	// Src, when not nil, is the shared budget Refill draws on.
	Src FuelSource
}

// Reset makes f the fuel state of a call from the embedder: a budget of
// budget units (0 means unlimited) drawn from src when it is not nil.
func (f *Fuel) Reset(budget uint64, src FuelSource) {
	f.Src = src
	if src == nil {
		f.On, f.Left, f.Call = budget != 0, budget, 0
		return
	}
	f.On, f.Left, f.Call = true, 0, budget
	if budget == 0 {
		f.Call = math.MaxUint64
	}
}

// Refill takes the next chunk from the shared source, within what is
// left of the call's own budget; false means the fuel is exhausted.
func (f *Fuel) Refill() bool {
	if f.Src == nil || f.Call == 0 {
		return false
	}
	n := f.Src.Take(min(FuelChunk, f.Call))
	f.Call -= n
	f.Left = n
	return n != 0
}

// Charge spends units, refilling as needed; false means the fuel ran out
// (what was left is spent).
func (f *Fuel) Charge(units uint64) bool {
	for units > f.Left {
		units -= f.Left
		f.Left = 0
		if !f.Refill() {
			return false
		}
	}
	f.Left -= units
	return true
}

// Release gives the unspent part of the last chunk back to the shared
// source (before a host function runs, which may start calls drawing
// from it, and when the call ends).
func (f *Fuel) Release() {
	if f.Src != nil && f.Left != 0 {
		f.Src.Return(f.Left)
		f.Call += f.Left
		f.Left = 0
	}
}
