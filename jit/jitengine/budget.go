//go:build (amd64 || arm64) && unix

package jitengine

import (
	"runtime"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
)

// yieldQuantum bounds the budget machine code gets at a time (function
// entries and loop back-edges: about 0.15 ms of a tight loop on an idle
// machine, 0.7 ms on a loaded one):
// Go cannot preempt machine code, so it must come back to Go regularly
// even when fuel is off or plentiful, or a spinning guest would stall
// the garbage collector's stop-the-world phases and, with few Ps, every
// other goroutine. At each return the executor yields the processor.
const yieldQuantum = 1 << 17

// budget is what one Run holds back from machine code: Ctx.Budget is at
// most yieldQuantum, and reserve is the rest of the call's fuel.
type budget struct{ reserve uint64 }

// give hands machine code the next part of fuel's budget (a quantum of
// unmetered budget when fuel is off).
func (b *budget) give(c *rt.Ctx, fuel *engine.Fuel) {
	if !fuel.On {
		c.Budget, b.reserve = yieldQuantum, 0
		return
	}
	n := min(fuel.Left, yieldQuantum)
	c.Budget, b.reserve = n, fuel.Left-n
}

// take puts what machine code did not spend back into fuel (before Go
// spends or hands over fuel, or the call ends).
func (b *budget) take(c *rt.Ctx, fuel *engine.Fuel) {
	if fuel.On {
		fuel.Left = c.Budget + b.reserve
	}
}

// refill serves rt.ExitBudget (machine code spent its budget): it yields
// the processor and gives machine code the next part, refilling fuel
// from its source as needed; false means the fuel is exhausted.
func (b *budget) refill(c *rt.Ctx, fuel *engine.Fuel) bool {
	b.take(c, fuel)
	if fuel.On && fuel.Left == 0 && !fuel.Refill() {
		return false
	}
	runtime.Gosched()
	b.give(c, fuel)
	return true
}
