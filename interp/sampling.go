package interp

import (
	"github.com/kilnrt/kiln/internal/engine"
)

// Sampling is the profiler's sampler, shared by every engine
// (engine.Sampling): Request sets a bit in each running machine's
// interruption word, and the machine, at its next function entry or loop
// back-edge (where it checks that word anyway when checks are on, which
// sampling turns on), reads its own frame stack and passes it to the
// sink on its own goroutine, without any cost in the dispatch loop.
type Sampling = engine.Sampling

// SetSampling makes every Run of m sample for s (nil: no sampling).
func (m *Machine) SetSampling(s *Sampling) { m.sampling = s }

// interrupt handles a nonzero interruption word v: it clears the word,
// takes a requested sample, then checks the context. Clearing first
// means a cancellation arriving meanwhile is either seen by the context
// check or left in the word for the next check, never lost.
func (m *Machine) interrupt(v uint32) error {
	v = m.interrupted.Take(v)
	if v&engine.InterruptSample != 0 && m.sampling != nil {
		m.sample()
	}
	if m.ctx != nil {
		return m.ctx.Err()
	}
	return nil
}

// sample passes the current stack, innermost frame first, to the sink.
func (m *Machine) sample() {
	stack := m.sampleBuf[:0]
	if m.cur.fn != nil {
		stack = append(stack, m.cur.fn)
	}
	for i := len(m.frames) - 1; i >= 0 && len(stack) < engine.MaxSampleDepth; i-- {
		if fn := m.fns[m.frames[i].fn].fn; fn != nil {
			stack = append(stack, fn)
		}
	}
	m.sampleBuf = stack
	m.sampling.Sink(stack)
}
