package interp

import (
	"sync/atomic"

	"github.com/kilnrt/kiln/store"
)

// Tiering (engine.Tiered): a Code counts its calls down in heat while a
// Tierer wants to know when it becomes hot. The dispatch loop's fast
// call path is taken only when heat is 0 (one load of a word of the
// callee's Code, which the fast path reads anyway), so a plain
// interpreter pays nothing more; counting, and calling promoted code,
// happen in Machine.call, and at loop back-edges (edgeCheck, only under
// tiering: the dispatch loop's test of edgeChecks is the one it made of
// checks before).
//
// heat (read and written atomically; a plain word so that Code stays
// copyable): > 0, calls left before hot; 0, not counting (never asked,
// hot and being compiled, or left as it is); tierPromoted, tier.native
// holds the code to run instead. tier is set before heat first becomes
// nonzero, so whoever sees a nonzero heat sees it.
type tier struct {
	tag    any
	native atomic.Pointer[promoted]
}

// promoted boxes another engine's code.
type promoted struct{ code any }

func (c *Code) heatNow() int32 { return atomic.LoadInt32(&c.heat) }

const tierPromoted = -1

// Count starts counting calls (engine.Tiered).
func (c *Code) Count(calls int32, tag any) {
	c.tier = &tier{tag: tag}
	atomic.StoreInt32(&c.heat, max(calls, 1))
}

// Tag returns Count's tag.
func (c *Code) Tag() any {
	if c.heatNow() == 0 && c.tier == nil {
		return nil
	}
	return c.tier.tag
}

// Promote makes later calls run code instead (nil: stop counting).
func (c *Code) Promote(code any) {
	if code == nil {
		atomic.StoreInt32(&c.heat, 0)
		return
	}
	c.tier.native.Store(&promoted{code})
	atomic.StoreInt32(&c.heat, tierPromoted)
}

// Promoted returns the code Promote gave, or nil.
func (c *Code) Promoted() any {
	if c.heatNow() != tierPromoted {
		return nil
	}
	return c.tier.native.Load().code
}

// edgeCheck is check at a loop back-edge, which under tiering also
// counts towards the current function's heat: a function called rarely
// but looping long gets compiled for its next calls.
func (m *Machine) edgeCheck() error {
	if m.tierer != nil && m.cur.code.heatNow() > 0 {
		m.tierUp(m.cur.fn, m.cur.code)
	}
	if m.checks {
		return m.check()
	}
	return nil
}

// maxPromotedLevel is the nesting level (m.level: runs below this one,
// entered from host functions or from another engine) from which the
// interpreter runs a promoted function's own code instead of calling the
// promoted code. Each call between engines nests a run, so a recursion
// whose functions were promoted at different moments would otherwise
// alternate between engines on every call and end with "call stack
// exhausted" at the nesting limits (MaxHostReentry here, the machine
// stacks' in the JIT) rather than at the call depth: whether it trapped
// would depend on when background compiles finished. Below this level a
// promoted function runs natively; beyond it the recursion continues in
// the interpreter, whose limits are the reference.
const maxPromotedLevel = 8

// tierUp counts a call of f (whose code cc has a nonzero heat), tells
// the tierer when it makes f hot, and reports whether f's code was
// promoted, so that the call goes to the promoted code.
func (m *Machine) tierUp(f *store.Function, cc *Code) bool {
	for {
		h := cc.heatNow()
		switch {
		case h == tierPromoted:
			// Deep in nested runs the interpreter keeps the call
			// (maxPromotedLevel). An instance whose limiter bounds host
			// memory goes to the promoted code too: the JIT charges its
			// machine stack there as this machine charges its frames.
			return m.foreign != nil && m.level < maxPromotedLevel
		case h <= 0:
			return false
		case atomic.CompareAndSwapInt32(&cc.heat, h, h-1):
			if h == 1 && m.tierer != nil {
				m.tierer.Hot(f)
			}
			return false
		}
	}
}
