package interp

import (
	"cmp"
	"errors"
	"sort"
	"sync/atomic"

	"github.com/kilnrt/kiln/internal/engine"
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
	// noLoops: the promoted code was found without an entry at one of
	// the code's loops (enterLoop); its frames no longer ask.
	noLoops atomic.Bool
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
//
// Once the function is promoted, the frame continues in the promoted
// code at the loop (errEnterLoop, after the back-edge's check: the
// promoted code's loop entry charges nothing), as a call of it would.
func (m *Machine) edgeCheck() error {
	enter := false
	if m.tierer != nil {
		switch code := m.cur.code; code.heatNow() {
		case 0:
		case tierPromoted:
			enter = code.loops != nil && !code.refSlots && m.foreign != nil && m.level < maxPromotedLevel && !code.tier.noLoops.Load()
		default:
			m.tierUp(m.cur.fn, code)
		}
	}
	if m.checks {
		if err := m.check(); err != nil {
			return err
		}
	}
	if enter {
		return errEnterLoop
	}
	return nil
}

// errEnterLoop is edgeCheck's report that the frame may continue in its
// promoted code (enterLoop).
var errEnterLoop = errors.New("interp: enter the promoted code at the loop")

// enterLoop continues the current frame, at the head of a loop (m.cur.pc)
// after the back-edge's check, in the code its function was promoted to
// (on-stack replacement, engine.LoopCaller): the promoted code runs the
// rest of the call from the frame's locals, as a call from the frame's
// caller (the machine frame stands for this one, in the call depth and
// in backtraces), and leaves the results at the bottom of the frame,
// which must then return. It reports false when the promoted code has
// no entry there; the frame goes on here.
func (m *Machine) enterLoop() (bool, error) {
	code := m.cur.code
	lc, ok := m.foreign.(engine.LoopCaller)
	if !ok {
		code.tier.noLoops.Store(true)
		return false, nil
	}
	pc := uint32(m.cur.pc)
	i, found := sort.Find(len(code.loops), func(i int) int { return cmp.Compare(pc, code.loops[i].pc) })
	if !found {
		return false, nil // a loop with parameters or operands below it
	}
	fp := m.cur.fp
	n := max(int(code.numLocals), int(code.numResults))
	m.enterNest()
	m.nest.Depth.Add(-1) // the machine frame replaces this one
	defer m.leaveNest()
	entered, err := lc.CallForeignLoop(m.hostCtx, m.cur.fn, int(code.loops[i].offset), m.stack[fp:fp+n:fp+n], int(code.numLocals), &m.fuel)
	if !entered && err == nil {
		code.tier.noLoops.Store(true)
	}
	if t := trapOf(err); t != nil && t.Code != store.TrapUncaughtException && !t.Reentered {
		m.appendCallers(t)
	}
	return entered, err
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
