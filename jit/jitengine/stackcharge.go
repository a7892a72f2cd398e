//go:build (amd64 || arm64) && unix

package jitengine

import (
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// stackWindow is the top of a machine stack a run may use without
// charging its instance's limiter, as the interpreter's frame stack
// starts at a size it does not charge.
const stackWindow = 64 << 10

// stackLimiterWhy is the detail of the trap of a growth the limiter
// refused: the interpreter's words, as the trap is the same.
const stackLimiterWhy = "(the frame stack's memory was refused by the resource limiter)"

// stackCharge charges one run's machine stack to its instance's limiter
// when that bounds host memory (store.HeapLimited), as the interpreter
// charges its frame stack: frames use the top stackWindow bytes free,
// and each prologue that would go lower exits (rt.ExitStack) for Go to
// charge more and lower the stack's limit. The run gives it all back at
// its end, and the kernel the pages (rt.Stack.Discard), so that the
// committed memory of machine stacks stays within what was charged (a
// guest spawning threads that each recurse deeply, under a small memory
// quota, gets "call stack exhausted" rather than the host's memory).
type stackCharge struct {
	lim     store.Limiter // nil: not charged, the whole stack is usable
	charged uint64
	refused bool // the last growth was refused: the trap says so
}

// start begins charging st to lim, or makes all of st usable when lim
// does not bound host memory or the back end's prologues do not exit
// (stackExits).
func (sc *stackCharge) start(st *rt.Stack, lim store.Limiter) {
	*sc = stackCharge{}
	if !stackExits || !store.HeapLimited(lim) {
		st.SetLimit(st.Size())
		return
	}
	sc.lim = lim
	st.SetLimit(stackWindow)
}

// grow serves ExitStack for a frame of need bytes: it doubles what
// frames may use, or failing that adds just the frame, charging the
// limiter; when that refuses too the limit stays, and the prologue traps.
func (sc *stackCharge) grow(st *rt.Stack, need uint64) {
	sc.refused = false
	have, size := st.Limit(), st.Size()
	if sc.lim == nil || have >= size {
		return // all of it in use: the stack is exhausted
	}
	// The frame goes below the caller's call, whose return address may
	// already be below the limit: StackReserve covers that.
	least := min(size, have+int(min(need, uint64(size)))+rt.StackReserve)
	for _, want := range []int{max(least, min(size, 2*have)), least} {
		delta := uint64(want - have)
		if store.GrowHeap(sc.lim, sc.charged, sc.charged+delta) {
			sc.charged += delta
			st.SetLimit(want)
			return
		}
	}
	sc.refused = true
}

// explain adds why to a "call stack exhausted" trap that a refused
// growth caused.
func (sc *stackCharge) explain(t *store.Trap) *store.Trap {
	if sc.refused && t.Code == store.TrapCallStackExhausted {
		t.Detail = stackLimiterWhy
	}
	return t
}

// end gives the run's charge back to the limiter and the pages below
// the free window to the kernel.
func (sc *stackCharge) end(st *rt.Stack) {
	if sc.charged == 0 {
		return
	}
	store.GrowHeap(sc.lim, sc.charged, 0)
	sc.charged = 0
	_ = st.Discard(stackWindow) // failing keeps pages committed: no worse than before
	st.SetLimit(stackWindow)
}
