package interp

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// ErrFuelExhausted is returned when a call runs out of fuel.
var ErrFuelExhausted = errors.New("fuel exhausted")

// DefaultMaxCallDepth is the call-depth limit when none is configured.
const DefaultMaxCallDepth = 10000

// maxStackSlots bounds the slot stack (128 MiB of numeric slots).
const maxStackSlots = 16 << 20

// frame is a suspended caller on the explicit frame stack.
type frame struct {
	fn   *store.Function
	code *Code
	pc   int
	fp   int
}

// Machine executes wasm functions. It owns the slot stack and the frame
// stack; a Machine runs one call at a time (host functions that call back
// into wasm use another Machine).
type Machine struct {
	stack  []uint64
	refs   []any
	frames []frame

	maxDepth int
	ctx      context.Context

	// Interruption: checks is set when fuel or cancellation is enabled.
	checks      bool
	fuelOn      bool
	fuel        uint64
	interrupted atomic.Uint32
}

// NewMachine returns a machine with the given call-depth limit (0 means
// DefaultMaxCallDepth).
func NewMachine(maxDepth int) *Machine {
	if maxDepth <= 0 {
		maxDepth = DefaultMaxCallDepth
	}
	return &Machine{
		stack:    make([]uint64, 1024),
		refs:     make([]any, 1024),
		frames:   make([]frame, 0, 64),
		maxDepth: maxDepth,
	}
}

// Slots returns the bottom n slots of the stack, where Run reads the
// arguments and leaves the results.
func (m *Machine) Slots(n int) ([]uint64, []any) {
	if n > len(m.stack) {
		m.grow(n)
	}
	return m.stack[:n], m.refs[:n]
}

// SlotCount returns the number of slots the values of types occupy.
func SlotCount(types []wasm.ValType) int {
	n := 0
	for _, t := range types {
		n += int(slotSize(t))
	}
	return n
}

func (m *Machine) grow(need int) bool {
	if need > maxStackSlots {
		return false
	}
	n := 2 * len(m.stack)
	for n < need {
		n *= 2
	}
	if n > maxStackSlots {
		n = maxStackSlots
	}
	s := make([]uint64, n)
	copy(s, m.stack)
	r := make([]any, n)
	copy(r, m.refs)
	m.stack, m.refs = s, r
	return true
}

// Run calls f with its arguments in the bottom slots (see Slots) and
// leaves its results there. fuel limits the number of function entries
// and loop iterations (0 means unlimited). The error is nil, a
// *store.Trap, ErrFuelExhausted, the context's error, or a host function's
// error.
func (m *Machine) Run(ctx context.Context, f *store.Function, fuel uint64) (err error) {
	m.ctx = ctx
	m.fuel, m.fuelOn = fuel, fuel != 0
	m.interrupted.Store(0)
	m.checks = m.fuelOn
	if done := ctx.Done(); done != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
		stop := context.AfterFunc(ctx, func() { m.interrupted.Store(1) })
		defer stop()
		m.checks = true
	}
	defer func() {
		m.frames = m.frames[:0]
		m.ctx = nil
	}()
	if f.Host != nil {
		return m.callHost(f, nil, 0)
	}
	code := f.Code.(*Code)
	if int(code.frameSize) > len(m.stack) && !m.grow(int(code.frameSize)) {
		return &store.Trap{Code: store.TrapCallStackExhausted}
	}
	clear(m.stack[code.numParams:code.numLocals])
	if code.refLocals {
		clear(m.refs[code.numParams:code.numLocals])
	}
	if m.checks {
		if err := m.check(); err != nil {
			return err
		}
	}
	return m.exec(f, code)
}

// check is called at function entry and loop back-edges when checks is on.
func (m *Machine) check() error {
	if m.fuelOn {
		if m.fuel == 0 {
			return ErrFuelExhausted
		}
		m.fuel--
	}
	if m.interrupted.Load() != 0 {
		if err := m.ctx.Err(); err != nil {
			return err
		}
		return context.Canceled
	}
	return nil
}

// HostPanicError reports a panic in a host function.
type HostPanicError struct{ Value any }

func (e *HostPanicError) Error() string { return fmt.Sprintf("host function panicked: %v", e.Value) }

// callHost runs a host function whose parameters start at slot fp.
func (m *Machine) callHost(f *store.Function, caller *store.Instance, fp int) (err error) {
	n := SlotCount(f.Type.Params)
	if r := SlotCount(f.Type.Results); r > n {
		n = r
	}
	if fp+n > len(m.stack) && !m.grow(fp+n) {
		return &store.Trap{Code: store.TrapCallStackExhausted}
	}
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				var t *store.Trap
				if errors.As(e, &t) {
					err = t
					return
				}
			}
			err = &store.Trap{Code: store.TrapHostPanic, Cause: &HostPanicError{Value: r}}
		}
	}()
	return f.Host(m.ctx, caller, m.stack[fp:fp+n:fp+n])
}

// trap builds the trap with a backtrace: the current function at pc, then
// the suspended callers above base.
func (m *Machine) trap(tc store.TrapCode, fn *store.Function, code *Code, pc int, base int) *store.Trap {
	t := &store.Trap{Code: tc}
	t.Frames = append(t.Frames, frameInfo(fn, code, pc))
	for i := len(m.frames) - 1; i >= base; i-- {
		fr := &m.frames[i]
		t.Frames = append(t.Frames, frameInfo(fr.fn, fr.code, fr.pc-1))
	}
	return t
}

func frameInfo(fn *store.Function, code *Code, pc int) store.Frame {
	fr := store.Frame{FuncIndex: fn.Index, Name: fn.Name}
	if fn.Module != nil {
		fr.Module = fn.Module.Name
	}
	if pc >= 0 && pc < len(code.offsets) {
		fr.Offset = int(code.offsets[pc])
	}
	return fr
}

// addBacktrace attaches the current frames to an error raised in a callee
// (a host function's trap), keeping other errors unchanged.
func (m *Machine) wrapErr(err error, fn *store.Function, code *Code, pc int, base int) error {
	var t *store.Trap
	if errors.As(err, &t) && len(t.Frames) == 0 {
		bt := m.trap(t.Code, fn, code, pc, base)
		t.Frames = bt.Frames
	}
	return err
}
