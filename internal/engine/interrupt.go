package engine

import (
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/store"
)

// Interrupt is the interruption word of a running execution: other
// goroutines set bits, and the execution polls it at function entries
// and loop back-edges (when it checks at all: with fuel, a cancellable
// context or a profiler).
type Interrupt struct{ atomic.Uint32 }

// Bits of an Interrupt. (A Run's context is not one: engines poll it,
// which costs nothing per Run, where registering with it would.)
const (
	InterruptSample = 1 << iota // a Sampling asked for a sample
)

// Set sets bits.
func (w *Interrupt) Set(bits uint32) {
	for {
		v := w.Load()
		if v&bits == bits || w.CompareAndSwap(v, v|bits) {
			return
		}
	}
}

// Take clears the word, which the execution saw as v, and returns the
// bits it held. Clearing before acting means a bit set meanwhile is
// either in the result or left for the next poll, never lost.
func (w *Interrupt) Take(v uint32) uint32 {
	for !w.CompareAndSwap(v, 0) {
		v = w.Load()
	}
	return v
}

// Sampling takes stack samples of running executions for a profiler,
// without any cost in their dispatch loops: Request sets InterruptSample
// in each running execution's word, and the execution, at its next poll,
// reads its own stack and passes it to Sink on its own goroutine.
// Nothing reads a stack from another goroutine.
type Sampling struct {
	sink func(stack []*store.Function)

	mu      sync.Mutex
	running map[*Interrupt]struct{}
}

// NewSampling returns a Sampling delivering stacks to sink, which must be
// safe for concurrent use (executions sample on their own goroutines).
func NewSampling(sink func(stack []*store.Function)) *Sampling {
	return &Sampling{sink: sink, running: map[*Interrupt]struct{}{}}
}

// MaxSampleDepth bounds a sample to its innermost frames, as Go's own
// profiler does, so that deep recursion keeps sampling cheap.
const MaxSampleDepth = 256

// Sink delivers one sample: the functions of a stack, innermost first
// (the slice may be reused after the call).
func (s *Sampling) Sink(stack []*store.Function) {
	if len(stack) != 0 {
		s.sink(stack)
	}
}

// Request asks every running execution for one sample.
func (s *Sampling) Request() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for w := range s.running {
		w.Set(InterruptSample)
	}
}

// Enter registers a running execution's interruption word.
func (s *Sampling) Enter(w *Interrupt) {
	s.mu.Lock()
	s.running[w] = struct{}{}
	s.mu.Unlock()
}

// Leave unregisters what Enter registered.
func (s *Sampling) Leave(w *Interrupt) {
	s.mu.Lock()
	delete(s.running, w)
	s.mu.Unlock()
}
