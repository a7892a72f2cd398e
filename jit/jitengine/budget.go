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
type budget struct {
	reserve    uint64
	given      uint64 // what give gave machine code last
	sinceYield uint64 // units spent since the processor was last yielded
	// Under tiering (tierup.go): units until the next sample (never 0),
	// the mean spacing of samples (from tierQuantum, doubled after each
	// sample of a function already promoted, up to yieldQuantum: once
	// the hot code is optimised, sampling costs next to nothing) and the
	// xorshift state that varies the spacing; toSample is 0 otherwise.
	toSample, interval, jitter uint64
}

// give hands machine code the next part of fuel's budget (a quantum of
// unmetered budget when fuel is off), no more than the units to the
// next tiering sample.
func (b *budget) give(c *rt.Ctx, fuel *engine.Fuel) {
	q := uint64(yieldQuantum)
	if b.toSample != 0 {
		q = min(q, b.toSample)
	}
	if !fuel.On {
		c.Budget, b.reserve = q, 0
	} else {
		n := min(fuel.Left, q)
		c.Budget, b.reserve = n, fuel.Left-n
	}
	b.given = c.Budget
}

// spent accounts for what machine code spent of the budget given last,
// and reports whether a tiering sample is due (the units to it spent).
func (b *budget) spent(c *rt.Ctx) bool {
	used := b.given - c.Budget
	b.given = c.Budget
	b.sinceYield += used
	if b.toSample == 0 {
		return false
	}
	if used < b.toSample {
		b.toSample -= used
		return false
	}
	// The next sample comes after a varying number of units, so that
	// samples do not alias with a loop's period (one function's exits
	// every time).
	b.jitter ^= b.jitter << 13
	b.jitter ^= b.jitter >> 7
	b.jitter ^= b.jitter << 17
	b.toSample = b.interval/2 + b.jitter%b.interval
	return true
}

// sampled adapts the sampling interval to a sample's use: a function
// not yet optimised brings it back to tierQuantum, one already promoted
// (or left as it is) doubles it, up to yieldQuantum.
func (b *budget) sampled(useful bool) {
	if useful {
		b.interval = tierQuantum
	} else {
		b.interval = min(2*b.interval, yieldQuantum)
	}
}

// take puts what machine code did not spend back into fuel (before Go
// spends or hands over fuel, or the call ends).
func (b *budget) take(c *rt.Ctx, fuel *engine.Fuel) {
	if fuel.On {
		fuel.Left = c.Budget + b.reserve
	}
}

// refill serves rt.ExitBudget (machine code spent its budget, after
// spent): it yields the processor (every yieldQuantum units; tiering's
// samples and small fuel chunks exit more often) and gives machine code
// the next part, refilling fuel from its source as needed; false means
// the fuel is exhausted.
func (b *budget) refill(c *rt.Ctx, fuel *engine.Fuel) bool {
	b.take(c, fuel)
	if fuel.On && fuel.Left == 0 && !fuel.Refill() {
		return false
	}
	if b.sinceYield >= yieldQuantum {
		b.sinceYield = 0
		runtime.Gosched()
	}
	b.give(c, fuel)
	return true
}
