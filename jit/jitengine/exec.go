//go:build (amd64 || arm64) && unix

package jitengine

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"strconv"
	"unsafe"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// StackSize is the least size of each machine stack (mapped, committed
// as used): the depth of wasm recursion before "call stack exhausted".
// An executor's stacks are as large as its limits' MaxBytes (the
// interpreter's bound on its frame stack), within maxStackSize, so that
// recursion the interpreter runs runs natively too.
const StackSize = 8 << 20

const maxStackSize = 1 << 30

// maxNest bounds the nesting of compiled code called back through
// exits (each level has its own machine stack).
const maxNest = 64

type executor struct {
	e         *Engine
	stackSize int
	fb        engine.Executor
	slots     []uint64
	refs      []any
	*mappings
	level        int
	maxDepth     int               // the call depth limit (engine.StackLimits.MaxDepth), 0: none
	maxReentry   int               // the host re-entry nesting limit (engine.StackLimits.MaxReentry)
	depths       []*depthLevel     // by nesting level (depth.go)
	charges      []*stackCharge    // by nesting level (stackcharge.go)
	sampling     *engine.Sampling  // the profiler's, or nil (sample.go)
	tierer       engine.Tierer     // told of hot baseline functions (tierup.go), or nil
	tierLeft     uint64            // budget units the last tiering Run left before its next sample
	tierJitter   uint64            // the last tiering Run's budget.jitter
	tierInterval uint64            // and its budget.interval
	sampleBuf    []*store.Function // a sample's stack, reused
	// handles are the references machine code holds (refs.go), for the
	// whole of the outermost Run.
	handles refTable
}

// mappings are an executor's host mappings, apart from it so that
// the cleanup unmapping them does not keep it alive (an executor
// reaches itself through its fallback's).
type mappings struct {
	stacks []*rt.Stack // by nesting level
	words  []*rt.Words // by nesting level: the globals machine code sees
}

// release unmaps the stacks and global words.
func (m *mappings) release() {
	for _, s := range m.stacks {
		_ = s.Close()
	}
	for _, w := range m.words {
		if w != nil {
			_ = w.Close()
		}
	}
	m.stacks, m.words = nil, nil
}

func (x *executor) Slots(n int) ([]uint64, []any) {
	if n > len(x.slots) {
		x.slots = make([]uint64, n)
		x.refs = make([]any, n)
	}
	return x.slots[:n], x.refs[:n]
}

var trapCodes = map[rt.TrapCode]store.TrapCode{
	rt.TrapUnreachable:        store.TrapUnreachable,
	rt.TrapDivideByZero:       store.TrapIntegerDivideByZero,
	rt.TrapIntegerOverflow:    store.TrapIntegerOverflow,
	rt.TrapInvalidConversion:  store.TrapInvalidConversionToInteger,
	rt.TrapOutOfBounds:        store.TrapOutOfBoundsMemoryAccess,
	rt.TrapCallStackExhausted: store.TrapCallStackExhausted,
}

func (x *executor) Run(ctx context.Context, f *store.Function, fuel *engine.Fuel) error {
	return x.RunCode(ctx, f, f.Code, fuel)
}

// RunCode runs f with code, f's own or the compiled code that replaced
// it (engine.CodeRunner, for tiering).
func (x *executor) RunCode(ctx context.Context, f *store.Function, code0 any, fuel *engine.Fuel) error {
	code, ok := code0.(*Code)
	if !ok || f.Host != nil {
		return x.fallback(ctx, f, x.slots, x.refs, fuel)
	}
	// Sampled while the module tiers (its code calls through a link
	// table), even when this code is promoted: its callees may not be.
	// Under EngineAuto the interpreter hands over optimised code itself,
	// and the baseline code it calls must be sampled there too.
	tiering := x.tierer != nil && (code.tier != nil || code.mod.links != nil)
	code = code.current()
	return x.run(ctx, f, code, code.entry, 0, fuel, tiering)
}

// run runs f's code from entry: its own entry, with the arguments in
// x.slots (locals 0), or a loop entry (RunLoop), with the first locals
// slots of x.slots its locals; the results are left in x.slots. tiering
// samples the run for the tierer.
func (x *executor) run(ctx context.Context, f *store.Function, code *Code, entry uintptr, locals int, fuel *engine.Fuel, tiering bool) error {
	if x.level >= maxNest {
		return &store.Trap{Code: store.TrapCallStackExhausted}
	}
	if x.level == len(x.stacks) {
		s, err := rt.NewStack(x.stackSize)
		if err != nil {
			return &store.Trap{Code: store.TrapCallStackExhausted, Cause: err}
		}
		x.stacks = append(x.stacks, s)
		x.words = append(x.words, nil)
		x.depths = append(x.depths, new(depthLevel))
		x.charges = append(x.charges, new(stackCharge))
	}
	st := x.stacks[x.level]
	sc := x.charges[x.level]
	sc.start(st, f.Module.Limiter)
	defer sc.end(st)
	globals, err := x.globals(x.level, f.Module)
	if err != nil {
		return err
	}
	depth, err := x.enterDepth(ctx, f, st.Ctx(), x.depths[x.level])
	if err != nil {
		return err
	}
	x.level++
	defer func() {
		if x.level--; x.level == 0 {
			x.handles.reset()
		}
	}()
	n := max(code.nslots, locals)
	in := st.Slots(n)
	if locals > 0 {
		copy(in, x.slots[:locals]) // numbers only (rt.LoopEntry)
	} else {
		copy(in, x.slots[:engine.SlotCount(f.Type.Params)])
		i := 0
		for _, t := range f.Type.Params {
			if t.IsRef() {
				// The handle table holds it now, where the GC sees it.
				in[i] = x.handles.handle(x.refs[i])
				x.refs[i] = nil
			}
			i += engine.SlotCount([]wasm.ValType{t})
		}
	}
	c := st.Ctx()
	c.Interrupt = 0
	if x.sampling != nil {
		x.sampling.Enter(interruptWord(c))
		defer x.sampling.Leave(interruptWord(c))
	}
	var b budget
	if tiering {
		// Samples keep their pace across calls, short ones included.
		b.toSample, b.jitter, b.interval = max(x.tierLeft, 1), x.tierJitter|1, max(x.tierInterval, tierQuantum)
		defer func() {
			b.spent(c)
			x.tierLeft, x.tierJitter, x.tierInterval = b.toSample, b.jitter, b.interval
		}()
	}
	b.give(c, fuel)
	// Cancellation is polled where machine code spends its budget (at
	// most yieldQuantum units, about a millisecond at most): no
	// context.AfterFunc per Run, which cost an allocation and the
	// context's lock on every call between engines under tiering.
	done := ctx.Done()
	if done != nil {
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	setMemory(c, f.Module)
	index := setCallIndex(c, f.Module)
	c.Links = 0
	if l := code.mod.links; l != nil {
		c.Links = l.addr()
		if index != nil && code.mod.ctxLinks {
			index.ShareEntries(l.w.Addr())
		}
	}
	c.Globals = globals.Addr()
	x.globalsIn(globals, f.Module)
	exit := st.Call(entry, n)
	for {
		switch exit {
		case rt.ExitReturn:
			x.globalsOut(globals, f.Module)
			b.take(c, fuel)
			res := st.Slots(n)
			i := 0
			for _, t := range f.Type.Results {
				x.slots[i] = res[i]
				switch {
				case t == wasm.I32 || t == wasm.F32:
					x.slots[i] = uint64(uint32(res[i]))
				case t.IsRef():
					x.slots[i], x.refs[i] = 0, x.handles.ref(res[i])
				case t == wasm.V128:
					i++
					x.slots[i] = res[i]
				}
				i++
			}
			return nil
		case rt.ExitTrap:
			x.globalsOut(globals, f.Module)
			b.take(c, fuel)
			tc, ok := trapCodes[rt.TrapCode(uint32(c.Payload))]
			if !ok {
				tc = store.TrapInternalError
			}
			return withBacktrace(sc.explain(&store.Trap{Code: tc}), st, f.Module, false)
		case rt.ExitStack:
			sc.grow(st, c.Payload)
		case rt.ExitBudget:
			if b.spent(c) {
				b.sampled(x.tierSample(st, f.Module))
			}
			if !b.refill(c, fuel) {
				x.globalsOut(globals, f.Module)
				return engine.ErrFuelExhausted
			}
			if done != nil {
				if err := ctx.Err(); err != nil {
					x.globalsOut(globals, f.Module)
					b.take(c, fuel)
					return err
				}
			}
		case rt.ExitInterrupt:
			x.serveInterrupt(c, st, f.Module)
			if err := ctx.Err(); err != nil {
				x.globalsOut(globals, f.Module)
				b.take(c, fuel)
				return err
			}
		case rt.ExitCall, rt.ExitCallIndirect:
			x.globalsOut(globals, f.Module)
			var callee *store.Function
			if exit == rt.ExitCallIndirect {
				indirectExits.Add(1)
			}
			if exit == rt.ExitCall {
				callee = f.Module.Funcs[c.Payload]
			} else if callee = element(f.Module, uint32(c.Aux), uint32(c.Payload>>32), uint32(c.Payload)); callee == nil {
				b.take(c, fuel)
				return withBacktrace(elementTrap(f.Module, uint32(c.Aux), uint32(c.Payload)), st, f.Module, false)
			}
			if cc := compiled(callee); cc != nil && callee.Module == f.Module && (!cc.mod.ctxLinks || cc.mod.links == code.mod.links) {
				// Machine code calls it with the arguments in place: no
				// nesting for recursion through tables, or between
				// functions compiled apart (tiering), when it reads the
				// link table at Ctx.Links (if it reads one at all).
				c.Payload = uint64(cc.entry)
				if exit == rt.ExitCallIndirect && index != nil {
					// Machine code calls it without exiting next time.
					index.SetEntry(callee.Index, cc.entry)
				}
			} else {
				c.Payload = 0
				if err := x.callOut(depth.callCtx(ctx, c), &depth.nest, f.Module, callee, st, fuel, &b); err != nil {
					return withBacktrace(err, st, f.Module, callee.Host != nil)
				}
			}
			x.globalsIn(globals, f.Module)
			setMemory(c, f.Module)
		case rt.ExitGrow:
			old, ok := f.Module.Mems[0].Grow(c.Payload)
			c.Payload = uint64(uint32(old))
			if !ok {
				c.Payload = math.MaxUint32
			}
			setMemory(c, f.Module)
		default:
			if exit < rt.ExitMemoryFill || exit > rt.ExitRefFunc {
				return &store.Trap{Code: store.TrapInternalError, Cause: fmt.Errorf("jit: unknown exit %v", exit)}
			}
			b.take(c, fuel)
			err := x.runtimeOp(exit, f.Module, st, fuel)
			b.give(c, fuel)
			if err != nil {
				x.globalsOut(globals, f.Module)
				return withBacktrace(err, st, f.Module, false)
			}
		}
		exit = st.Resume(code.mod.resume)
	}
}

// compiled returns the compiled code f runs: its own, or the code that
// replaced its interpreter code (tiering); nil for a host function or
// code not compiled.
func compiled(f *store.Function) *Code {
	if f.Host != nil {
		return nil
	}
	switch c := f.Code.(type) {
	case *Code:
		return c.current()
	case engine.Tiered:
		if cc, ok := c.Promoted().(*Code); ok {
			return cc.current()
		}
	}
	return nil
}

// element resolves call_indirect's callee: element elem of inst's table,
// of type index typ; nil when it traps (elementTrap says how).
func element(inst *store.Instance, table, typ, elem uint32) *store.Function {
	t := inst.Tables[table]
	if uint64(elem) >= uint64(len(t.Elems)) || t.Elems[elem] == nil {
		return nil
	}
	f, ok := t.Elems[elem].(*store.Function)
	if !ok {
		return nil
	}
	want := inst.Types[typ]
	if f.TypeID != inst.TypeIDs[typ] && !(f.Canon != nil && want != nil && !want.Final && f.Canon.SubOf(want)) {
		return nil
	}
	return f
}

// elementTrap is the trap of a call_indirect element resolves to nil.
// Like the interpreter's, a missing or null element's trap names its index.
func elementTrap(inst *store.Instance, table, elem uint32) *store.Trap {
	t := inst.Tables[table]
	switch {
	case uint64(elem) >= uint64(len(t.Elems)):
		return &store.Trap{Code: store.TrapUndefinedElement, Detail: strconv.FormatUint(uint64(elem), 10)}
	case t.Elems[elem] == nil:
		return &store.Trap{Code: store.TrapUninitializedElement, Detail: strconv.FormatUint(uint64(elem), 10)}
	}
	return &store.Trap{Code: store.TrapIndirectCallTypeMismatch}
}

// callOut serves an ExitCall or ExitCallIndirect: callee, for inst's
// code, with its arguments in the exit's slots, where its results go;
// b is the caller's budget, handed over in fuel and back.
func (x *executor) callOut(ctx context.Context, nest *store.Nest, inst *store.Instance, callee *store.Function, st *rt.Stack, fuel *engine.Fuel, b *budget) error {
	c := st.Ctx()
	b.take(c, fuel)
	np, nr := engine.SlotCount(callee.Type.Params), engine.SlotCount(callee.Type.Results)
	args := st.CallArgs(max(np, nr))
	s, r := x.Slots(max(np, nr))
	x.fromMachine(s, r, args, callee.Type.Params)
	var err error
	if callee.Host != nil {
		// Calls the host function makes into inst with a context of
		// its own continue this run's accounting (as the interpreter's).
		prev := inst.MarkInHost(nest)
		err = callHost(ctx, callee, inst, s[:max(np, nr)], r[:max(np, nr)], fuel)
		inst.UnmarkInHost(nest, prev)
	} else if cc := compiled(callee); cc != nil {
		// Another module's compiled code: one stack deeper.
		err = x.RunCode(ctx, callee, cc, fuel)
		s, r = x.Slots(max(np, nr))
	} else {
		err = x.fallback(ctx, callee, s, r, fuel)
	}
	if err == nil {
		x.toMachine(args, s, r, callee.Type.Results)
	}
	clear(r)
	b.give(c, fuel)
	return err
}

// fallback runs f on the fallback engine's executor with the arguments
// in slots, leaving its results there.
func (x *executor) fallback(ctx context.Context, f *store.Function, slots []uint64, refs []any, fuel *engine.Fuel) error {
	n := max(engine.SlotCount(f.Type.Params), engine.SlotCount(f.Type.Results))
	if len(slots) < n {
		slots, refs = x.Slots(n)
	}
	s, r := x.fb.Slots(n)
	copy(s, slots[:n])
	copy(r, refs[:n])
	err := x.fb.Run(ctx, f, fuel)
	if err == nil {
		s, r = x.fb.Slots(n)
		copy(slots, s)
		copy(refs, r)
	}
	clear(r)
	return err
}

// setMemory points c at inst's memory 0 (none: length 0).
func setMemory(c *rt.Ctx, inst *store.Instance) {
	c.MemBase, c.MemLen = 0, 0
	if inst == nil || len(inst.Mems) == 0 {
		return
	}
	b := inst.Mems[0].Bytes()
	if len(b) > 0 {
		c.MemBase, c.MemLen = uintptr(unsafe.Pointer(&b[0])), uint64(len(b))
	}
}

// callHost calls host function f for inst's code, as the interpreter
// does: the unspent fuel chunk goes back to its source first, and a
// panic becomes a trap (panic(err) with a non-runtime error is how a
// host function aborts with err).
func callHost(ctx context.Context, f *store.Function, inst *store.Instance, slots []uint64, refs []any, fuel *engine.Fuel) (err error) {
	defer func() {
		if r := recover(); r != nil {
			if e, ok := r.(error); ok {
				if _, isRuntime := e.(runtime.Error); !isRuntime {
					err = e
					return
				}
			}
			err = &store.Trap{Code: store.TrapHostPanic, Cause: fmt.Errorf("host function panicked: %v", r)}
		}
	}()
	fuel.Release()
	return f.Host(ctx, inst, slots, refs)
}

// globals returns level's global words, at least as many as inst has.
func (x *executor) globals(level int, inst *store.Instance) (*rt.Words, error) {
	n := 0
	if inst != nil {
		n = len(inst.Globals)
	}
	if w := x.words[level]; w != nil && len(w.W) >= rt.GlobalWords*n {
		return w, nil
	}
	if w := x.words[level]; w != nil {
		_ = w.Close()
	}
	w, err := rt.NewWords(rt.GlobalWords * max(n, 16))
	if err != nil {
		return nil, &store.Trap{Code: store.TrapInternalError, Cause: err}
	}
	x.words[level] = w
	return w, nil
}

// globalsIn copies the numeric globals of inst where machine code reads
// them; globalsOut copies them back before anything else can look (a
// return, a trap, a call out). Machine code never reaches a store.Global
// itself.
// Reference globals are copied as handles.
func (x *executor) globalsIn(w *rt.Words, inst *store.Instance) {
	if inst == nil {
		return
	}
	for i, g := range inst.Globals {
		w.W[rt.GlobalWords*i], w.W[rt.GlobalWords*i+1] = g.Lo, g.Hi
		if g.Type.Type.IsRef() {
			w.W[rt.GlobalWords*i] = x.handles.handle(g.Ref)
		}
	}
}

func (x *executor) globalsOut(w *rt.Words, inst *store.Instance) {
	if inst == nil {
		return
	}
	for i, g := range inst.Globals {
		switch {
		case !g.Type.Mutable:
		case numeric(g.Type.Type):
			g.Lo = w.W[rt.GlobalWords*i]
			if g.Type.Type == wasm.V128 {
				g.Hi = w.W[rt.GlobalWords*i+1]
			}
		case g.Type.Type.IsRef():
			g.Ref = x.handles.ref(w.W[rt.GlobalWords*i])
		}
	}
}

// fromMachine copies values of types ts from machine slots to slots
// and refs (handles become references); toMachine is the way back.
func (x *executor) fromMachine(slots []uint64, refs []any, machine []uint64, ts []wasm.ValType) {
	i := 0
	for _, t := range ts {
		slots[i] = machine[i]
		switch {
		case t.IsRef():
			slots[i], refs[i] = 0, x.handles.ref(machine[i])
		case t == wasm.V128:
			i++
			slots[i] = machine[i]
		}
		i++
	}
}

func (x *executor) toMachine(machine, slots []uint64, refs []any, ts []wasm.ValType) {
	i := 0
	for _, t := range ts {
		machine[i] = slots[i]
		switch {
		case t.IsRef():
			machine[i] = x.handles.handle(refs[i])
		case t == wasm.V128:
			i++
			machine[i] = slots[i]
		}
		i++
	}
}

func numeric(t wasm.ValType) bool {
	return t == wasm.I32 || t == wasm.I64 || t == wasm.F32 || t == wasm.F64 || t == wasm.V128
}

// frame describes function idx of inst in a trap's backtrace.
func frame(inst *store.Instance, idx uint32) store.Frame {
	fr := store.Frame{FuncIndex: idx}
	if inst != nil {
		fr.Module = inst.Name
		if int(idx) < len(inst.Funcs) {
			fr.Name = inst.Funcs[idx].Name
		}
	}
	return fr
}
