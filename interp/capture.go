package interp

import (
	"context"
	"errors"
	"fmt"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
)

// Capture (engine.Capturer): the frames of a Run are data (m.frames,
// m.cur and the slot stack), so the Run waiting for a host function can
// be copied and run again elsewhere (fork), or returned to (setjmp and
// longjmp). Nothing here runs unless a host function asks: the dispatch
// loop only learns of a Jump on the error path of a slow-path call.

var _ engine.Capturer = (*Machine)(nil)

// continuation is a captured Run: the suspended frames, the frame that
// called the host function last, and the slots and references up to the
// end of that frame.
type continuation struct {
	engine.ContinuationBase
	frames []frame
	stack  []uint64
	refs   []any
	hostFP int // where the host call's arguments and results are
}

// checkpoint is a point of a Run: the frame that called the host
// function, at depth frames below it, and its slots up to the host
// call's arguments.
type checkpoint struct {
	engine.CheckpointBase
	m      *Machine
	run    uint64
	depth  int
	fr     frame
	hostFP int
	stack  []uint64
	refs   []any
}

// capturable reports whether the host function being called can capture
// this Run: called by a wasm function through a plain call (not a tail
// call, not by the embedder), in a Run entered from the embedder.
func (m *Machine) capturable() bool {
	return m.capFP >= 0 && m.outer == 0 && m.level == 0 && m.cur.code != nil
}

// Capture copies the Run waiting for a host function (engine.Capturer).
func (m *Machine) Capture() (engine.Continuation, error) {
	if !m.capturable() {
		return nil, engine.ErrNotCapturable
	}
	top := m.cur.fp + int(m.cur.code.frameSize)
	frames := make([]frame, len(m.frames)+1)
	for i := range m.frames {
		frames[i] = m.frameAt(i)
	}
	frames[len(m.frames)] = m.cur
	k := &continuation{
		frames: frames,
		stack:  append([]uint64(nil), m.stack[:top]...),
		refs:   append([]any(nil), m.refs[:min(top, len(m.refs))]...),
		hostFP: m.capFP,
	}
	return k, nil
}

// Checkpoint records the frame calling the host function (engine.Capturer).
func (m *Machine) Checkpoint() (engine.Checkpoint, error) {
	if !m.capturable() {
		return nil, engine.ErrNotCapturable
	}
	return &checkpoint{
		m: m, run: m.runID, depth: len(m.frames), fr: m.cur, hostFP: m.capFP,
		stack: append([]uint64(nil), m.stack[m.cur.fp:m.capFP]...),
		refs:  append([]any(nil), m.refs[m.cur.fp:m.capFP]...),
	}, nil
}

// jump makes the Run return to the checkpoint err names (an
// engine.Jump), reporting whether it did: the frames above the
// checkpoint's are dropped, the checkpoint's frame gets its slots back
// and the host call it was made in returns the jump's results.
func (m *Machine) jump(err error) bool {
	var j *engine.Jump
	if !errors.As(err, &j) {
		return false
	}
	cp, ok := j.To.(*checkpoint)
	if !ok || cp.m != m || cp.run != m.runID || cp.depth > len(m.frames) {
		return false
	}
	at := m.cur
	if cp.depth < len(m.frames) {
		at = m.frameAt(cp.depth)
	}
	if at.fn != cp.fr.fn || at.fp != cp.fr.fp || len(j.Results) > int(cp.fr.code.frameSize)-(cp.hostFP-cp.fr.fp) {
		return false
	}
	m.frames = m.frames[:cp.depth]
	m.setFrameCap()
	m.cur = cp.fr
	m.inst = cp.fr.fn.Module
	copy(m.stack[cp.fr.fp:], cp.stack)
	copy(m.refs[cp.fr.fp:], cp.refs)
	copy(m.stack[cp.hostFP:], j.Results)
	m.setRW()
	return true
}

// Resume runs a continuation (engine.Capturer).
func (m *Machine) Resume(ctx context.Context, k engine.Continuation, remap func(any) any, results []uint64, fuel *engine.Fuel) error {
	c, ok := k.(*continuation)
	if !ok {
		return fmt.Errorf("interp: resume: %T is not an interpreter continuation", k)
	}
	m.fuel.On, m.fuel.Left, m.fuel.Call, m.fuel.Src = fuel.On, fuel.Left, fuel.Call, fuel.Src
	m.fuelOn = fuel.On
	m.resuming, m.remap, m.results = c, remap, results
	err := m.run(ctx, nil)
	m.resuming, m.remap, m.results = nil, nil, nil
	fuel.Left, fuel.Call = m.fuel.Left, m.fuel.Call
	return err
}

// rootOf is the function a Run starts from: f, or the outermost frame of
// the continuation being resumed (remapped).
func (m *Machine) rootOf(f *store.Function) *store.Function {
	if m.resuming != nil {
		f = m.resuming.frames[0].fn
		if g, ok := m.remap(f).(*store.Function); ok {
			return g
		}
	}
	return f
}

// load puts the continuation being resumed on the machine's stacks (the
// limits and the limiter apply as to any growth) and runs it.
func (m *Machine) load() error {
	c := m.resuming
	n := len(c.frames) - 1
	if n+m.outer >= m.maxDepth {
		return &store.Trap{Code: store.TrapCallStackExhausted}
	}
	if n > cap(m.frames) {
		grow := int64(n-cap(m.frames)) * frameBytes
		if grow > m.bytesLeft() || !m.charge(grow) {
			return &store.Trap{Code: store.TrapCallStackExhausted}
		}
		m.frames = make([]record, 0, n)
	}
	// Every frame's slots must fit, not only the captured ones: a caller's
	// frame may end above its callee's.
	slots, refs := len(c.stack), len(c.refs)
	for _, fr := range c.frames {
		end := fr.fp + int(fr.code.frameSize)
		slots = max(slots, end)
		if fr.code.refSlots {
			refs = max(refs, end)
		}
	}
	if slots > len(m.stack) && !m.grow(slots) || refs > len(m.refs) && !m.growRefs(refs) {
		return &store.Trap{Code: store.TrapCallStackExhausted, Detail: "(" + m.growWhy + ")"}
	}
	for i := range c.frames {
		fr := c.frames[i]
		fn, ok := m.remap(fr.fn).(*store.Function)
		if !ok || fn.Code != fr.code {
			return fmt.Errorf("interp: resume: frame %d: the function has no counterpart running the same code", i)
		}
		fr.fn, fr.id = fn, m.funcID(fn, fr.code)
		if i < n {
			m.frames = append(m.frames, fr.record())
		} else {
			m.cur = fr
		}
	}
	m.setFrameCap()
	copy(m.stack, c.stack)
	for i, r := range c.refs {
		if r != nil {
			r = m.remap(r)
		}
		m.refs[i] = r
	}
	copy(m.stack[c.hostFP:], m.results)
	return m.loop()
}
