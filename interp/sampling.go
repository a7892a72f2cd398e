package interp

import (
	"sync"

	"github.com/kilnrt/kiln/store"
)

// Sampling takes stack samples of running machines for a profiler,
// without any cost in the dispatch loop: Request sets a bit in each
// running machine's interruption word, and the machine, at its next
// function entry or loop back-edge (where it checks that word anyway
// when checks are on, which sampling turns on), reads its own frame stack
// and passes it to the sink on its own goroutine. Nothing reads a frame
// stack from another goroutine.
type Sampling struct {
	// sink receives the functions of a stack, innermost first; the slice
	// is reused after the call.
	sink func(stack []*store.Function)

	mu      sync.Mutex
	running map[*Machine]struct{}
}

// NewSampling returns a Sampling delivering stacks to sink, which must be
// safe for concurrent use (machines sample on their own goroutines).
func NewSampling(sink func(stack []*store.Function)) *Sampling {
	return &Sampling{sink: sink, running: map[*Machine]struct{}{}}
}

// SetSampling makes every Run of m sample for s (nil: no sampling).
func (m *Machine) SetSampling(s *Sampling) { m.sampling = s }

// Request asks every running machine for one sample.
func (s *Sampling) Request() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for m := range s.running {
		for {
			v := m.interrupted.Load()
			if v&interruptSample != 0 || m.interrupted.CompareAndSwap(v, v|interruptSample) {
				break
			}
		}
	}
}

func (s *Sampling) enter(m *Machine) {
	s.mu.Lock()
	s.running[m] = struct{}{}
	s.mu.Unlock()
}

func (s *Sampling) leave(m *Machine) {
	s.mu.Lock()
	delete(s.running, m)
	s.mu.Unlock()
}

// Bits of Machine.interrupted.
const (
	interruptContext = 1 << iota // the Run's context is done (or was)
	interruptSample              // a Sampling asked for a sample
)

// interrupt handles a nonzero interruption word v: it clears the word,
// takes a requested sample, then checks the context. Clearing first
// means a cancellation arriving meanwhile is either seen by the context
// check or left in the word for the next check, never lost.
func (m *Machine) interrupt(v uint32) error {
	for !m.interrupted.CompareAndSwap(v, 0) {
		v = m.interrupted.Load()
	}
	if v&interruptSample != 0 && m.sampling != nil {
		m.sample()
	}
	if m.ctx != nil {
		return m.ctx.Err()
	}
	return nil
}

// maxSampleDepth bounds a sample to its innermost frames, as Go's own
// profiler does, so that deep recursion keeps sampling cheap.
const maxSampleDepth = 256

// sample passes the current stack, innermost frame first, to the sink.
func (m *Machine) sample() {
	stack := m.sampleBuf[:0]
	if m.cur.fn != nil {
		stack = append(stack, m.cur.fn)
	}
	for i := len(m.frames) - 1; i >= 0 && len(stack) < maxSampleDepth; i-- {
		if fn := m.frames[i].fn; fn != nil {
			stack = append(stack, fn)
		}
	}
	m.sampleBuf = stack
	if len(stack) != 0 {
		m.sampling.sink(stack)
	}
}
