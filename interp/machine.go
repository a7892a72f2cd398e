package interp

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// ErrFuelExhausted is engine.ErrFuelExhausted, shared by every engine.
var ErrFuelExhausted = engine.ErrFuelExhausted

// StackLimits are the limits every engine shares (engine.StackLimits).
type StackLimits = engine.StackLimits

// Host memory of the frame stack: a frame record, a numeric slot and a
// reference slot, and how much a Machine keeps between calls (a call
// that grew it further gives the rest back).
const (
	frameBytes   = int64(unsafe.Sizeof(record{}))
	slotBytes    = 8
	refSlotBytes = int64(unsafe.Sizeof(any(nil)))
	retainBytes  = 1 << 20
	initSlots    = 1024
	initFrames   = 64
)

// maxStackSlots bounds the slot stack (128 MiB of numeric slots).
const maxStackSlots = 16 << 20

// frame is the executing function's activation (Machine.cur), or a
// suspended one with its record resolved (frameAt).
type frame struct {
	fn   *store.Function
	code *Code
	pc   int
	fp   int
	id   uint32 // fn's entry in the machine's function table (funcs.go)
}

// Machine executes wasm functions; it is the interpreter's
// engine.Executor. It owns the slot stack and the frame stack; a Machine
// runs one call at a time (host functions that call back into wasm, and
// functions of other engines, use another Executor).
type Machine struct {
	stack []uint64
	// refs holds the reference slots, parallel to stack but only as far
	// as the frames of functions with reference slots (Code.refSlots)
	// need: it covers every such frame on the stacks (see ensureRefs).
	refs []any
	// frames are the suspended callers; their records hold no pointers
	// (their functions are entries of fns), so the collector never scans
	// the frame stack, however deep.
	frames []record
	fnTable

	maxDepth   int
	maxBytes   int64
	maxReentry int
	ctx        context.Context

	// The executing frame and what derives from it (see exec).
	cur  frame
	inst *store.Instance
	rw   []any // m.refs from the current frame's base, if its code has refSlots

	// Nesting through host functions: outer, outerBytes and level are
	// the call depth, frame stack bytes and re-entries of the execution
	// this Run is nested in (0 for a call from the embedder); nest is
	// where this Run stands while it calls a host function, which hostCtx
	// and the calling instance's InHost tell the Runs it starts.
	outer      int
	outerBytes int64
	level      int
	hostCtx    context.Context
	// backgroundNest is hostCtx for Runs under context.Background().
	backgroundNest context.Context
	nest           store.Nest
	root           *store.Instance // the instance of the function Run called
	// frameCap is how many frames the fast call path may push:
	// min(cap(frames), maxDepth-outer); the slow path grows the frames.
	frameCap int
	// lim is charged (charged bytes) the growth of the stacks in this Run.
	lim     store.Limiter
	charged int64
	growWhy string // why the last failed grow failed
	// GC allocations draw on gcCredit, bytes reserved from gcHeap and
	// gcLim in chunks (given back when the Run ends).
	gcCredit  int64
	gcHeap    *store.GCHeap
	gcLim     store.Limiter
	gcSampler store.GCSampler
	elem      int    // element index reported by the next trap, or -1
	detail    string // detail of the next trap, or ""

	// Interruption: checks is set when fuel, cancellation or sampling
	// is enabled, edgeChecks when checks is or tiering counts loop
	// back-edges; fuelOn caches fuel.On for the dispatch loop.
	checks      bool
	edgeChecks  bool
	fuelOn      bool
	fuel        engine.Fuel
	interrupted engine.Interrupt
	// done is the Run's context's Done channel (nil if it has none),
	// polled when the countdown poll, which every check takes a unit
	// of, reaches zero (pollContext).
	done <-chan struct{}
	poll int
	// sampling, when set, takes stack samples of every Run (sampling.go).
	sampling  *engine.Sampling
	sampleBuf []*store.Function
	// foreign calls the functions of other engines.
	foreign engine.Caller

	// Capture (capture.go): capFP is the slot of the arguments of the
	// host function being called through a plain call (-1 otherwise);
	// runID tells the Runs apart for checkpoints; resuming, remap and
	// results are the continuation the Run resumes (Resume).
	capFP    int
	runID    uint64
	resuming *continuation
	remap    func(any) any
	results  []uint64
	// tierer, when set, is told of hot functions (tier.go).
	tierer engine.Tierer
	// arriving is the trap of the uncaught exception being unwound
	// when it came from a callee's Run (rethrown), whose frames its
	// backtrace continues if no frame here catches it either.
	arriving *store.Trap
}

// NewMachine returns a machine with the given limits (zero fields mean
// the defaults).
func NewMachine(l StackLimits) *Machine {
	m := &Machine{maxDepth: l.MaxDepth, maxBytes: l.MaxBytes, maxReentry: l.MaxReentry, elem: -1, capFP: -1}
	m.nest.Owner = m
	if m.maxDepth <= 0 {
		m.maxDepth = math.MaxInt32
	}
	if m.maxBytes <= 0 {
		m.maxBytes = engine.DefaultMaxStackBytes
	}
	if m.maxReentry <= 0 {
		m.maxReentry = engine.DefaultMaxReentry
	}
	m.resetStacks()
	return m
}

// resetStacks gives the machine its initial stacks, keeping the bottom
// slots (the results of the last Run).
func (m *Machine) resetStacks() {
	stack, refs := make([]uint64, initSlots), make([]any, initSlots)
	copy(stack, m.stack)
	copy(refs, m.refs)
	m.stack, m.refs = stack, refs
	m.frames = make([]record, 0, initFrames)
}

// stackBytes is the host memory of the machine's stacks.
func (m *Machine) stackBytes() int64 {
	return int64(cap(m.frames))*frameBytes + int64(len(m.stack))*slotBytes + int64(len(m.refs))*refSlotBytes
}

// setFrameCap recomputes frameCap after the frames or outer changed.
func (m *Machine) setFrameCap() {
	m.frameCap = min(cap(m.frames), m.maxDepth-m.outer)
}

// charge asks the Run's limiter for delta more bytes of stack.
func (m *Machine) charge(delta int64) bool {
	if m.lim == nil {
		return true
	}
	if !store.GrowHeap(m.lim, uint64(m.charged), uint64(m.charged+delta)) {
		return false
	}
	m.charged += delta
	return true
}

// bytesLeft is how many more bytes the stacks may take.
func (m *Machine) bytesLeft() int64 {
	return m.maxBytes - m.outerBytes - m.stackBytes()
}

// growFrames makes room for one more frame record on the slow call
// path, or returns the trap that ends the call.
func (m *Machine) growFrames() *store.Trap {
	if len(m.frames)+m.outer >= m.maxDepth {
		return m.trapHere(store.TrapCallStackExhausted)
	}
	if len(m.frames) < cap(m.frames) {
		m.setFrameCap()
		return nil
	}
	n := min(2*cap(m.frames), m.maxDepth-m.outer)
	if left := m.bytesLeft() / frameBytes; int64(n-cap(m.frames)) > left {
		n = cap(m.frames) + int(left)
	}
	if n <= len(m.frames) {
		return m.stackTrap(m.budgetWhy())
	}
	if !m.charge(int64(n-cap(m.frames)) * frameBytes) {
		return m.stackTrap(limiterWhy)
	}
	fs := make([]record, len(m.frames), n)
	copy(fs, m.frames)
	m.frames = fs
	m.setFrameCap()
	return nil
}

// limiterWhy explains a stack growth the limiter refused.
const limiterWhy = "the frame stack's memory was refused by the resource limiter"

// budgetWhy explains a stack growth beyond the byte budget.
func (m *Machine) budgetWhy() string {
	return "the frame stack would exceed " + strconv.FormatInt(m.maxBytes, 10) + " bytes"
}

// stackTrap is "call stack exhausted" at the current frame, saying why.
func (m *Machine) stackTrap(why string) *store.Trap {
	t := m.trapHere(store.TrapCallStackExhausted)
	t.Detail = "(" + why + ")"
	return t
}

// Slots returns the bottom n slots of the stack, where Run reads the
// arguments and leaves the results.
func (m *Machine) Slots(n int) ([]uint64, []any) {
	if n > len(m.stack) {
		m.grow(n)
	}
	if n > len(m.refs) {
		m.growRefs(n)
	}
	return m.stack[:n], m.refs[:n]
}

// SlotCount returns the number of slots the values of types occupy (the
// calling convention every engine shares, engine.SlotCount).
func SlotCount(types []wasm.ValType) int { return engine.SlotCount(types) }

// grow makes the slot stack at least need slots long, within the byte
// budget and what the limiter approves; on failure, growWhy says which
// limit stopped it.
func (m *Machine) grow(need int) bool {
	n, ok := m.growLen(len(m.stack), need, slotBytes)
	if !ok {
		return false
	}
	s := make([]uint64, n)
	copy(s, m.stack)
	m.stack = s
	return true
}

// growRefs makes the reference slots at least need long, as grow does
// the slot stack (whose length they never pass).
func (m *Machine) growRefs(need int) bool {
	n, ok := m.growLen(len(m.refs), need, refSlotBytes)
	if !ok {
		return false
	}
	r := make([]any, n)
	copy(r, m.refs)
	m.refs = r
	return true
}

// growLen is the length a slot array of length have, each slot per
// bytes, grows to so that it holds need slots: doubled (at least
// initSlots) and cut to the budget and the slot cap. It charges the
// growth to the limiter; on failure, growWhy says which limit refused.
func (m *Machine) growLen(have, need int, per int64) (int, bool) {
	if need > maxStackSlots {
		m.growWhy = "the value stack would exceed " + strconv.Itoa(maxStackSlots) + " slots"
		return 0, false
	}
	n := max(2*have, initSlots)
	for n < need {
		n *= 2
	}
	n = min(n, maxStackSlots, have+int(max(m.bytesLeft(), 0)/per))
	if n < need {
		m.growWhy = m.budgetWhy()
		return 0, false
	}
	if !m.charge(int64(n-have) * per) {
		m.growWhy = limiterWhy
		return 0, false
	}
	return n, true
}

// ensureRefs makes the reference slots cover a frame ending at slot end
// whose code has reference slots (the invariant of Machine.refs).
func (m *Machine) ensureRefs(code *Code, end int) bool {
	return !code.refSlots || end <= len(m.refs) || m.growRefs(end)
}

// Run calls f with its arguments in the bottom slots (see Slots) and
// leaves its results there, spending fuel, which it leaves updated (see
// engine.Executor). The error is nil, a *store.Trap, ErrFuelExhausted,
// the context's error, or a host function's error.
func (m *Machine) Run(ctx context.Context, f *store.Function, fuel *engine.Fuel) error {
	// Field by field, see engine.Fuel.
	m.fuel.On, m.fuel.Left, m.fuel.Call, m.fuel.Src = fuel.On, fuel.Left, fuel.Call, fuel.Src
	m.fuelOn = fuel.On
	err := m.run(ctx, f)
	fuel.Left, fuel.Call = m.fuel.Left, m.fuel.Call
	return err
}

// run runs f, or the continuation being resumed when f is nil.
func (m *Machine) run(ctx context.Context, f *store.Function) (err error) {
	m.runID++
	f = m.rootOf(f)
	m.ctx, m.hostCtx = ctx, nil
	m.root, m.lim = f.Module, nil
	m.outer, m.outerBytes, m.level = 0, 0, 0
	parent := engine.NestOf(ctx)
	if parent == nil && f.Module != nil {
		parent = f.Module.InHost.Load()
	}
	if parent != nil {
		// Called from a host function: continue the accounting of the
		// execution below it, so that host/wasm recursion meets the
		// same limits as wasm recursion.
		if t := m.nestIn(parent); t != nil {
			m.endRun()
			return t
		}
	}
	if f.Module != nil {
		m.lim = f.Module.Limiter
	}
	m.setFrameCap()
	m.interrupted.Store(0)
	m.checks = m.fuelOn
	// A context that can be done is polled every pollQuantum checks
	// (pollContext): registering with it (context.AfterFunc) would cost
	// allocations and its lock on every Run, and under EngineAuto every
	// call from promoted code to an interpreted function is a Run.
	m.done, m.poll = ctx.Done(), noPoll
	if m.done != nil {
		select {
		case <-m.done:
			m.endRun()
			return ctx.Err()
		default:
		}
		m.poll = pollQuantum
		m.checks = true
	}
	if m.sampling != nil {
		m.checks = true
		m.sampling.Enter(&m.interrupted)
		defer m.sampling.Leave(&m.interrupted)
	}
	m.edgeChecks = m.checks || m.tierer != nil
	defer func() {
		if r := recover(); r != nil {
			// An internal error must not take the embedding process down.
			err = &store.Trap{Code: store.TrapInternalError, Cause: fmt.Errorf("interpreter panic: %v", r)}
		}
		m.endRun()
	}()
	if m.resuming != nil {
		return m.load()
	}
	if f.Host != nil {
		return m.callHost(f, nil, 0)
	}
	code, ok := f.Code.(*Code)
	if !ok {
		return &store.Trap{Code: store.TrapInternalError, Cause: fmt.Errorf("interp: function %d was compiled by another engine", f.Index)}
	}
	if code.heatNow() != 0 && m.tierUp(f, code) {
		return m.runPromoted(f)
	}
	if int(code.frameSize) > len(m.stack) && !m.grow(int(code.frameSize)) || !m.ensureRefs(code, int(code.frameSize)) {
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

// runPromoted runs the code f's code was promoted to, for an entry from
// outside the interpreter (an export called from Go, a function called
// back by a host function): with its arguments in the bottom slots,
// where the results go, as a call to another engine from the Run's
// depth (no interpreted frame stands for f). Without it a promoted
// export called from Go would run its own body interpreted every time.
func (m *Machine) runPromoted(f *store.Function) error {
	n := max(SlotCount(f.Type.Params), SlotCount(f.Type.Results))
	m.enterNest()
	defer m.leaveNest()
	return m.foreign.CallForeign(m.hostCtx, f, m.stack[:n:n], m.refs[:n:n], &m.fuel)
}

// nestIn continues the accounting of the execution parent stands for, or
// returns the trap of a nesting too deep.
func (m *Machine) nestIn(parent *store.Nest) *store.Trap {
	m.outer = int(parent.Depth.Load()) + 1
	m.outerBytes = parent.Bytes.Load()
	m.level = int(parent.Level.Load()) + 1
	switch {
	case m.level > m.maxReentry:
		return &store.Trap{Code: store.TrapCallStackExhausted,
			Detail: "(host function re-entry nested more than " + strconv.Itoa(m.maxReentry) + " deep)"}
	case m.outer >= m.maxDepth:
		return &store.Trap{Code: store.TrapCallStackExhausted}
	case m.bytesLeft() < 0:
		return &store.Trap{Code: store.TrapCallStackExhausted, Detail: "(" + m.budgetWhy() + ")"}
	}
	return nil
}

// endRun ends a Run: it gives the stack growth back to the limiter, drops
// stacks grown past retainBytes (keeping the results in the bottom
// slots) and forgets the nesting.
func (m *Machine) endRun() {
	m.frames = m.frames[:0]
	if len(m.fns) > fnScan {
		m.resetFuncs()
	}
	m.ctx, m.hostCtx, m.done = nil, nil, nil
	if m.charged != 0 {
		store.GrowHeap(m.lim, uint64(m.charged), 0)
		m.charged = 0
	}
	m.lim, m.root, m.arriving = nil, nil, nil
	m.outer, m.outerBytes, m.level = 0, 0, 0
	m.returnGCCredit()
	if m.stackBytes() > retainBytes {
		m.resetStacks()
	}
}

// check is called at function entry and loop back-edges when checks is on.
func (m *Machine) check() error {
	if m.fuelOn {
		if m.fuel.Left == 0 && !m.fuel.Refill() {
			return ErrFuelExhausted
		}
		m.fuel.Left--
	}
	if v := m.interrupted.Load(); v != 0 {
		// A sample request.
		return m.interrupt(v)
	}
	if m.poll == 0 {
		return m.pollContext()
	}
	m.poll--
	return nil
}

// pollQuantum is how many checks (function entries and loop back-edges,
// the units of fuel) a Run with a context that can be done makes between
// two polls of it: a few microseconds of the tightest loop, and a
// non-blocking receive costs a few nanoseconds, so the poll is free.
// noPoll is the countdown of a Run with no such context; when it reaches
// zero, pollContext only sets it again.
const (
	pollQuantum = 1 << 10
	noPoll      = math.MaxInt
)

// pollContext is the check whose countdown reached zero: it starts a new
// countdown and returns the context's error if it is done.
func (m *Machine) pollContext() error {
	if m.done == nil {
		m.poll = noPoll
		return nil
	}
	m.poll = pollQuantum
	select {
	case <-m.done:
		return m.ctx.Err()
	default:
		return nil
	}
}

// entryCheckInline is check's common case, for the call fast path: with
// no interruption pending, fuel in hand and no poll of the context due
// it takes the entry's units and reports true; otherwise it changes
// nothing and the call takes the slow path, whose check refills, polls
// or serves the interruption. (A context with a Done channel, as every
// kiln run has, turns checks on: without this every call would take the
// slow path.)
func (m *Machine) entryCheckInline() bool {
	if m.interrupted.Load() != 0 || m.poll == 0 {
		return false
	}
	if m.fuelOn {
		if m.fuel.Left == 0 {
			return false
		}
		m.fuel.Left--
	}
	m.poll--
	return true
}

// Bulk instructions are charged fuel in proportion to their length, on
// top of the unit counted per function entry and loop iteration (the
// units every engine shares, see engine.FuelBytesPerUnit).
const (
	FuelBytesPerUnit = engine.FuelBytesPerUnit
	FuelElemsPerUnit = engine.FuelElemsPerUnit
)

// chargeBulk takes the fuel of a bulk instruction of n bytes or elements
// (per of them make a unit), at most limit of them: the size of the
// destination (the room left to grow, for a table), since a longer
// instruction traps (or fails) without doing any work, and must report
// that rather than run out of fuel. It is called only when fuel is on.
func (m *Machine) chargeBulk(n, limit, per uint64) error {
	if !m.fuel.Charge(min(n, limit) / per) {
		return ErrFuelExhausted
	}
	return nil
}

// HostPanicError reports a panic in a host function (engine.HostPanicError).
type HostPanicError = engine.HostPanicError

// callHost runs a host function whose parameters start at slot fp.
func (m *Machine) callHost(f *store.Function, caller *store.Instance, fp int) (err error) {
	n := max(SlotCount(f.Type.Params), SlotCount(f.Type.Results))
	if !m.hostSlots(fp + n) {
		return &store.Trap{Code: store.TrapCallStackExhausted}
	}
	defer func() {
		if r := recover(); r != nil {
			// panic(err) is how a raw host function aborts with err; other
			// panics, including runtime errors, are host bugs.
			if e, ok := r.(error); ok {
				if _, isRuntime := e.(runtime.Error); !isRuntime {
					err = e
					return
				}
			}
			err = &store.Trap{Code: store.TrapHostPanic, Cause: &HostPanicError{Value: r}}
		}
	}()
	m.enterNest()
	defer m.leaveNest()
	// Mark the calling instance and the one this Run entered as waiting
	// for the host function, for calls it makes without our context.
	prevCaller, prevRoot := caller.MarkInHost(&m.nest), m.root.MarkInHost(&m.nest)
	defer func() {
		m.root.UnmarkInHost(&m.nest, prevRoot)
		caller.UnmarkInHost(&m.nest, prevCaller)
	}()
	m.fuel.Release()
	return f.Host(m.hostCtx, caller, m.stack[fp:fp+n:fp+n], m.refs[fp:fp+n:fp+n])
}

// hostSlots makes the slot stack and the reference slots reach slot end
// for a call that passes both to a host function or another engine.
func (m *Machine) hostSlots(end int) bool {
	return (end <= len(m.stack) || m.grow(end)) && (end <= len(m.refs) || m.growRefs(end))
}

// enterNest publishes where this Run stands (m.nest, carried by
// m.hostCtx) before it calls out to a host function or another engine,
// whose Runs continue its accounting; leaveNest clears it.
func (m *Machine) enterNest() {
	if m.hostCtx == nil {
		m.hostCtx = m.nestContext()
	}
	m.nest.Depth.Store(int64(m.outer + len(m.frames)))
	m.nest.Bytes.Store(m.outerBytes + m.stackBytes())
	m.nest.Level.Store(int64(m.level))
}

// nestContext is m.ctx carrying m.nest. The one over
// context.Background(), what most hosts pass, is made once per machine,
// so that calls out of a Run (to a host function, or to a function
// promoted to the JIT) allocate nothing. (Comparing with Background's
// comparable type cannot panic, whatever the type of m.ctx.)
func (m *Machine) nestContext() context.Context {
	if m.ctx != context.Background() {
		return engine.WithNest(m.ctx, &m.nest)
	}
	if m.backgroundNest == nil {
		m.backgroundNest = engine.WithNest(m.ctx, &m.nest)
	}
	return m.backgroundNest
}

func (m *Machine) leaveNest() {
	m.nest.Depth.Store(0)
	m.nest.Bytes.Store(0)
	m.nest.Level.Store(0)
}

// callForeign runs a function compiled by another engine, whose
// parameters start at slot fp, through m.foreign: the slow path, like a
// host call, except that the callee spends this Run's fuel.
func (m *Machine) callForeign(f *store.Function, fp int) error {
	if m.foreign == nil {
		return m.wrapErr(&store.Trap{Code: store.TrapInternalError,
			Cause: fmt.Errorf("interp: function %d was compiled by another engine and no caller of other engines is configured", f.Index)})
	}
	n := max(SlotCount(f.Type.Params), SlotCount(f.Type.Results))
	if !m.hostSlots(fp + n) {
		return m.stackTrap(m.growWhy)
	}
	m.enterNest()
	defer m.leaveNest()
	err := m.foreign.CallForeign(m.hostCtx, f, m.stack[fp:fp+n:fp+n], m.refs[fp:fp+n:fp+n], &m.fuel)
	if err != nil {
		if t := trapOf(err); t != nil && t.Code != store.TrapUncaughtException && !t.Reentered {
			m.appendBacktrace(t)
		}
	}
	return err
}

// trapOf returns the *store.Trap err wraps, or nil. (errors.As's target
// escapes: declared in a caller, it would cost an allocation on every
// call, errors or not.)
func trapOf(err error) *store.Trap {
	var t *store.Trap
	if errors.As(err, &t) {
		return t
	}
	return nil
}

// appendBacktrace adds the current frame and its callers to the
// backtrace of a trap raised in a callee of another engine.
func (m *Machine) appendBacktrace(t *store.Trap) {
	outer := m.trapHere(t.Code)
	t.AppendFrames(outer.Frames, outer.OmittedFrames)
}

// appendCallers adds the current frame's callers, but not the frame
// itself, to the backtrace of a trap raised in the code that continued
// the frame (enterLoop), whose frames stand for it.
func (m *Machine) appendCallers(t *store.Trap) {
	n := min(len(m.frames), store.MaxTrapFrames)
	omitted := len(m.frames) - n
	frames := make([]store.Frame, 0, n)
	for i := len(m.frames) - 1; i >= omitted; i-- {
		fr := m.frameAt(i)
		frames = append(frames, frameInfo(fr.fn, fr.code, fr.pc-1))
	}
	t.AppendFrames(frames, omitted)
}

// trapHere builds a trap with the backtrace of the current frame (at
// m.cur.pc-1, the instruction being executed) and its suspended callers.
func (m *Machine) trapHere(tc store.TrapCode) *store.Trap {
	t := &store.Trap{Code: tc}
	n := min(len(m.frames)+1, store.MaxTrapFrames)
	t.OmittedFrames = len(m.frames) + 1 - n
	t.Frames = make([]store.Frame, 0, n)
	t.Frames = append(t.Frames, frameInfo(m.cur.fn, m.cur.code, m.cur.pc-1))
	for i := len(m.frames) - 1; i >= t.OmittedFrames; i-- {
		fr := m.frameAt(i)
		t.Frames = append(t.Frames, frameInfo(fr.fn, fr.code, fr.pc-1))
	}
	if m.elem >= 0 {
		t.Detail = strconv.Itoa(m.elem)
		m.elem = -1
	}
	if m.detail != "" {
		t.Detail, m.detail = m.detail, ""
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
		fr.Source = fn.Module.Locate(fr.Offset)
	}
	return fr
}

// wrapErr attaches the current backtrace (frames and the count of
// those beyond MaxTrapFrames) to a trap raised by a host function; other
// errors are returned unchanged.
func (m *Machine) wrapErr(err error) error {
	if t := trapOf(err); t != nil && len(t.Frames) == 0 {
		here := m.trapHere(t.Code)
		t.Frames, t.OmittedFrames = here.Frames, here.OmittedFrames
	} else if t != nil {
		t.Reentered = true
	}
	return err
}

// call enters callee from the current frame, whose next instruction is
// pc, with the arguments at slot argSlot of the frame. For a wasm callee
// the current frame is suspended and m.cur becomes the callee's frame (at
// pc 0); a host callee runs to completion and m.cur resumes at pc.
func (m *Machine) call(callee *store.Function, pc int, argSlot int) error {
	nfp := m.cur.fp + argSlot
	m.cur.pc = pc
	if callee.Host != nil {
		m.capFP = nfp
		err := m.callHost(callee, m.inst, nfp)
		m.capFP = -1
		if err != nil {
			return m.wrapErr(err)
		}
		m.setRW()
		return nil
	}
	cc, ok := callee.Code.(*Code)
	if !ok || cc.heatNow() != 0 && m.tierUp(callee, cc) {
		// Another engine's code, or code promoted to another engine's.
		if err := m.callForeign(callee, nfp); err != nil {
			return err
		}
		m.setRW()
		return nil
	}
	if len(m.frames) >= m.frameCap {
		if t := m.growFrames(); t != nil {
			return t
		}
	}
	if end := nfp + int(cc.frameSize); end > len(m.stack) && !m.grow(end) || !m.ensureRefs(cc, end) {
		return m.stackTrap(m.growWhy)
	}
	id := m.funcID(callee, cc)
	m.frames = append(m.frames, m.cur.record())
	m.cur = frame{fn: callee, code: cc, pc: 0, fp: nfp, id: id}
	m.inst = callee.Module
	clear(m.stack[nfp+int(cc.numParams) : nfp+int(cc.numLocals)])
	if cc.refSlots {
		m.rw = m.refs[nfp:]
		if cc.refLocals {
			clear(m.rw[cc.numParams:cc.numLocals])
		}
	}
	if m.checks {
		return m.check()
	}
	return nil
}

// callee resolves the function a return_call, return_call_indirect or
// return_call_ref instruction calls.
func (m *Machine) callee(in *instr) (*store.Function, store.TrapCode) {
	regs := m.stack[m.cur.fp:]
	switch in.op {
	case opReturnCall:
		return m.inst.Funcs[in.a], store.TrapNone
	case opReturnCallRef:
		r := m.rw[in.c]
		if r == nil {
			return nil, store.TrapNullFunctionReference
		}
		return r.(*store.Function), store.TrapNone
	}
	tbl := m.inst.Tables[uint32(in.imm)]
	i := regs[in.c]
	if in.imm>>32 == 0 {
		i = uint64(uint32(i))
	}
	if i >= uint64(len(tbl.Elems)) {
		m.elem = int(i)
		return nil, store.TrapUndefinedElement
	}
	r := tbl.Elems[i]
	if r == nil {
		m.elem = int(i)
		return nil, store.TrapUninitializedElement
	}
	f := r.(*store.Function)
	if f.TypeID != m.inst.TypeIDs[in.a] && !typeMatches(f, m.inst.Types[in.a]) {
		return nil, store.TrapIndirectCallTypeMismatch
	}
	return f, store.TrapNone
}

// tailCall replaces the current frame (whose next instruction is
// m.cur.pc) by a call of callee with the arguments at slot argSlot of the
// frame: they move to the bottom of the frame, which becomes the callee's.
// A host callee runs at once and its results are moved to the bottom of
// the frame; tailCall then reports that the frame must return.
func (m *Machine) tailCall(callee *store.Function, argSlot int) (returned bool, err error) {
	fp := m.cur.fp
	src := fp + argSlot
	cc, ok := callee.Code.(*Code)
	if callee.Host != nil || !ok {
		if callee.Host != nil {
			err = m.wrapErr(m.callHost(callee, m.inst, src))
		} else {
			err = m.callForeign(callee, src)
		}
		if err != nil {
			return false, err
		}
		n := SlotCount(callee.Type.Results)
		copy(m.stack[fp:fp+n], m.stack[src:src+n])
		copy(m.refs[fp:fp+n], m.refs[src:src+n]) // hostSlots made them reach src+n
		return true, nil
	}
	if end := fp + int(cc.frameSize); end > len(m.stack) && !m.grow(end) || !m.ensureRefs(cc, end) {
		return false, m.stackTrap(m.growWhy)
	}
	np := int(cc.numParams)
	copy(m.stack[fp:fp+np], m.stack[src:src+np])
	if cc.refSlots {
		// Reference arguments come from a caller with reference slots;
		// without, the slots copied are only the callee's to overwrite.
		copy(m.refs[fp:fp+np], m.refs[min(src, len(m.refs)):min(src+np, len(m.refs))])
	}
	m.cur = frame{fn: callee, code: cc, fp: fp, id: m.funcID(callee, cc)}
	m.inst = callee.Module
	clear(m.stack[fp+np : fp+int(cc.numLocals)])
	if cc.refSlots {
		m.rw = m.refs[fp:]
		if cc.refLocals {
			clear(m.rw[np:cc.numLocals])
		}
	}
	if m.checks {
		return false, m.check()
	}
	return false, nil
}

// typeMatches reports whether f's type is a declared subtype of t (the
// slow path of the call_indirect signature check).
func typeMatches(f *store.Function, t *store.Type) bool {
	return f.Canon != nil && t != nil && !t.Final && f.Canon.SubOf(t)
}
