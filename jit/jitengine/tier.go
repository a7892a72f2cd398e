//go:build (amd64 || arm64) && unix

package jitengine

import (
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/opt"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// HotCalls is how many calls make a function hot under tiering without
// a baseline compiler: the interpreter runs it that many times before
// the optimising pipeline compiles it.
const HotCalls = 1000

// WarmCalls is how many calls (and loop back-edges) make a function
// worth the baseline compiler under tiering on a back end with one: the
// interpreter runs it that many times, the baseline compiles it, and
// its code tiers up from there as EngineJIT's does (tierup.go). A
// module whose functions the baseline does not take (baselineFits)
// tiers with HotCalls.
const WarmCalls = 100

// NewTiering returns the JIT engine over fallback and a Tierer that
// compiles hot functions of the fallback's code with it, on a
// goroutine of its own (EngineAuto): see engine.Tiered. On a back end
// with a baseline compiler there are three tiers: the interpreter, the
// baseline (for functions called WarmCalls times) and the optimising
// pipeline (for the baseline's hot functions, found by sampling).
func NewTiering(fallback engine.Engine) (engine.Engine, engine.Tierer, error) {
	e, err := New(fallback)
	if err != nil {
		return nil, nil, err
	}
	return e, &tierer{e: e.(*Engine), calls: HotCalls, warm: hasBaseline}, nil
}

// tierer is the JIT's engine.Tierer: hot functions queue up, and one
// goroutine (started when a queue fills, gone when both are empty)
// compiles what is queued, module by module, and promotes the codes:
// the warm queue's with the baseline compiler first, then the hot
// queue's with the optimising pipeline. Whole modules (CompileWhole)
// queue up apart, for a goroutine of their own, so that a long compile
// never holds up the hot functions.
type tierer struct {
	e     *Engine
	calls int32 // interpreter calls that make a function hot
	// warm: the interpreter's code goes to the baseline compiler after
	// WarmCalls calls, where the module fits it (baselineFits).
	warm bool
	// eager: functions tier up after eagerCalls, compiled by Hot itself
	// (Eagerly).
	eager   bool
	eagerMu sync.Mutex

	mu      sync.Mutex
	warmQ   []hot // interpreter code, for the baseline compiler
	queue   []hot // for the optimising pipeline
	working bool

	wholes       []func() // CompileWhole's compiles, in order
	wholeWorking bool
}

// eagerCalls is how many calls and back-edges make a function warm, or
// hot, under Eagerly.
const eagerCalls = 2

// Eagerly makes functions tier up after eagerCalls calls or loop
// back-edges, compiled on the goroutine that calls Hot before it
// returns, each compile followed by a garbage collection
// (RuntimeConfig.TierEagerly, for tests). Call it before Track.
func (t *tierer) Eagerly() { t.eager = true }

// tierModule is what a tracked module's codes share (their Tag's).
type tierModule struct {
	m        *wasm.Module
	features wasm.Features
	codes    []any
	warm     bool       // its interpreter code tiers up through the baseline (tierer.warm)
	outSlots int        // maxTypeSlots, for the baseline
	links    *linkTable // entries of the functions compiled so far
	// bodies checks the bodies of each batch; the module's sections
	// are checked once, by the first (a large module's data and element
	// segments took milliseconds per batch).
	bodies *validator.Funcs
}

// linkTable is the table of entries through which the parts of a
// module compiled apart call each other (codegen.CompileLinked), and
// through which the baseline's code calls under tiering
// (codegen.Options.CtxLinks): at addr, word i is function i's entry, 0
// until it is compiled. A zero word comes first, so that the table is
// also a call index's entry words (store.CallIndex.ShareEntries: entry
// word k+1 is function k). It is unmapped when no code refers to it any
// more.
type linkTable struct {
	w *rt.Words
	// held are the mappings of every code whose entry went into the
	// table (enter): a code replaced by a later tier may still have
	// frames on a machine stack, reached by a call through the table
	// before the replacement, which return into it; nothing else
	// refers to it then (the interpreter's code refers to the latest
	// tier's), so the table keeps it mapped as long as the module's
	// code may run.
	mu   sync.Mutex
	held map[*module]bool
}

func newLinkTable(n int) *linkTable {
	w, err := rt.NewWords(n + 1)
	if err != nil {
		return nil // calls between parts exit to Go instead
	}
	l := &linkTable{w: w}
	runtime.AddCleanup(l, func(w *rt.Words) { _ = w.Close() }, w)
	return l
}

// addr is the address of function 0's word.
func (l *linkTable) addr() uintptr { return l.w.Addr() + 8 }

// set makes fn's entry entry; machine code reads it, no Go code does.
func (l *linkTable) set(fn int, entry uintptr) { atomic.StoreUint64(&l.w.W[fn+1], uint64(entry)) }

// enter makes c fn's entry and keeps c's mapping (held).
func (l *linkTable) enter(fn int, c *Code) {
	l.mu.Lock()
	if l.held == nil {
		l.held = map[*module]bool{}
	}
	l.held[c.mod] = true
	l.mu.Unlock()
	l.set(fn, c.entry)
}

// tierTag is a tracked code's Tag: its module and definition index.
type tierTag struct {
	mod *tierModule
	def int
}

type hot struct {
	code engine.Tiered
	tag  *tierTag
}

func (t *tierer) Track(m *wasm.Module, features wasm.Features, codes []any) {
	if capturing(m) {
		return // its frames must stay the interpreter's (capture.go)
	}
	tm := &tierModule{m: m, features: features, codes: codes}
	calls := t.calls
	if t.warm && baselineFits(m) {
		tm.warm, tm.outSlots, calls = true, maxTypeSlots(m), WarmCalls
	}
	if t.eager {
		calls = eagerCalls
	}
	for _, c := range codes {
		if cc, ok := c.(*Code); ok && cc.mod.ctxLinks {
			// Baseline code (NewTieredBaseline): promoted code goes into
			// the table it calls through.
			tm.links = cc.mod.links
			break
		}
	}
	if tm.warm && tm.links == nil {
		tm.links = newLinkTable(int(m.NumImportedFuncs) + len(m.Funcs)) // nil: no baseline (baselineCodes)
	}
	if tm.links != nil {
		// Code loaded from a cache (CacheMachineCode), compiled whole,
		// has no table of its own, but the baseline's code it may call
		// reads Ctx.Links, which runs of it set from its module's.
		for _, c := range codes {
			if cc, ok := c.(*Code); ok && cc.mod.links == nil {
				cc.mod.links = tm.links
			}
		}
	}
	for i, c := range codes {
		if tc, ok := c.(engine.Tiered); ok && tc.Promoted() == nil {
			tc.Count(calls, &tierTag{mod: tm, def: i})
		}
	}
}

// CompileWhole compiles m as EngineJIT does, but on a thread of its own
// at background priority, one function at a time and one module after
// the other (engine.WholeCompiler).
func (t *tierer) CompileWhole(m *wasm.Module, features wasm.Features, done func([]any)) {
	if capturing(m) {
		done(nil) // its frames must stay the interpreter's (capture.go)
		return
	}
	whole := func() {
		codes := func() (codes []any) {
			defer func() {
				if recover() != nil {
					codes = nil // a bug in the JIT must not take the process down
				}
			}()
			c := t.e.NewCompiler(m).(*compiler)
			c.serial = true
			if c.Validate(features) != nil {
				return nil
			}
			return c.Codes()
		}()
		done(codes)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.wholes = append(t.wholes, whole)
	if !t.wholeWorking {
		t.wholeWorking = true
		nice, ok := backgroundPriority()
		go inBackground(nice, ok, t.workWholes)
	}
}

// workWholes runs CompileWhole's compiles until none is left.
func (t *tierer) workWholes() {
	for {
		t.mu.Lock()
		if len(t.wholes) == 0 {
			t.wholeWorking = false
			t.mu.Unlock()
			return
		}
		whole := t.wholes[0]
		t.wholes = t.wholes[1:]
		t.mu.Unlock()
		whole()
	}
}

func (t *tierer) Hot(f *store.Function) {
	tc, ok := f.Code.(engine.Tiered)
	if !ok {
		return
	}
	tag, ok := tc.Tag().(*tierTag)
	if !ok {
		return
	}
	_, native := f.Code.(*Code)
	warm := !native && tag.mod.warm && tc.Promoted() == nil // still interpreted
	if t.eager {
		t.eagerMu.Lock()
		defer t.eagerMu.Unlock()
		if warm {
			t.compileBaseline(tag.mod, []hot{{tc, tag}})
		} else {
			t.compile(tag.mod, []hot{{tc, tag}})
		}
		// Collected now, code unmapped while it may still run (a
		// replaced tier's, linkTable.held) faults at once, not by chance.
		runtime.GC()
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if warm {
		t.warmQ = append(t.warmQ, hot{tc, tag})
	} else {
		t.queue = append(t.queue, hot{tc, tag})
	}
	if !t.working {
		t.working = true
		nice, ok := backgroundPriority() // nicer than this, the program's thread
		go inBackground(nice, ok, t.work)
	}
}

// batchBytes bounds the code (function bodies' bytes) of one batch: the
// functions of a batch are promoted together when it is compiled, and a
// function queued first (hot first) waits less for its code when the
// queue is compiled a few at a time. (A batch costs little more than its
// functions: the module's sections are checked once, tierModule.bodies.)
const batchBytes = 16 << 10

// batchLen is how many functions at the front of q the next batch
// compiles: those whose bodies fit in batchBytes together, at least one.
func batchLen(q []hot) int {
	size := 0
	for i, h := range q {
		size += len(h.tag.mod.m.Codes[h.tag.def].Body)
		if size > batchBytes && i > 0 {
			return i
		}
	}
	return len(q)
}

// work compiles the queues until they are empty, the warm one first
// (the baseline compiles a function in a fraction of the optimising
// pipeline's time, and interpreted code is the slowest).
func (t *tierer) work() {
	for {
		t.mu.Lock()
		from, warm := &t.queue, false
		if len(t.warmQ) > 0 {
			from, warm = &t.warmQ, true
		}
		q := (*from)[:batchLen(*from)]
		*from = (*from)[len(q):]
		if len(q) == 0 {
			t.working = false
			t.mu.Unlock()
			return
		}
		t.mu.Unlock()
		byMod := map[*tierModule][]hot{}
		var order []*tierModule
		for _, h := range q {
			if byMod[h.tag.mod] == nil {
				order = append(order, h.tag.mod)
			}
			byMod[h.tag.mod] = append(byMod[h.tag.mod], h)
		}
		for _, tm := range order {
			if warm {
				t.compileBaseline(tm, byMod[tm])
			} else {
				t.compile(tm, byMod[tm])
			}
		}
	}
}

// leave stops tiering code where it is: a function that could not be
// compiled keeps running the code it runs now (the interpreter's, or
// the baseline's its interpreter code was promoted to).
func leave(code engine.Tiered) {
	if b, ok := code.Promoted().(*Code); ok {
		b.Promote(nil)
		return
	}
	code.Promote(nil)
}

// compile compiles the hot functions hs of tm together and promotes the
// codes of those the back end takes; the others stay interpreted
// (Promote(nil) stops their counting).
func (t *tierer) compile(tm *tierModule, hs []hot) {
	defer func() {
		if r := recover(); r != nil {
			// A bug in the JIT must not take the process down: the
			// functions stay interpreted.
			for _, h := range hs {
				if p, ok := h.code.Promoted().(*Code); !ok || p.tier != nil {
					leave(h.code)
				}
			}
		}
	}()
	m := tm.m
	nimp := int(m.NumImportedFuncs)
	defs := make([]int, len(hs))
	fronts := make(map[uint32]*tee, len(hs))
	for i, h := range hs {
		defs[i] = h.tag.def
		fronts[uint32(nimp+h.tag.def)] = &tee{front: front.New()}
	}
	var native []*Code
	var err error
	if tm.bodies == nil {
		tm.bodies, err = validator.NewFuncs(m, tm.features)
	}
	if err == nil {
		err = tm.bodies.Validate(defs, func(idx uint32) validator.FuncVisitor { return fronts[idx] })
	}
	if err == nil {
		funcs := make([]*ir.Func, nimp+len(m.Funcs))
		memOK, shared, oc := memoryOK(m), importedMutableGlobals(m), opt.ConfigFor(m)
		some := false
		for idx, v := range fronts {
			f := v.front.Func()
			if v.failed || f == nil {
				continue
			}
			opt.RunWith(f, oc)
			if checkFunc(f) == nil && supported(f, memOK, shared) {
				funcs[idx] = f
				some = true
			}
		}
		if some {
			if tm.links == nil {
				tm.links = newLinkTable(len(funcs))
			}
			native = t.e.compile(m, funcs, tm.links, true)
		}
	}
	for _, h := range hs {
		var cc *Code
		if native != nil {
			cc = native[nimp+h.tag.def]
		}
		if cc != nil {
			if prev, ok := h.code.Promoted().(*Code); ok {
				// Interpreted frames still enter the baseline's loops.
				cc.loops = prev.loops
			}
			h.code.Promote(cc)
			if tm.links != nil {
				tm.links.enter(nimp+h.tag.def, cc)
			}
		} else {
			leave(h.code)
		}
	}
}

// compileBaseline compiles the warm functions hs of tm (interpreter
// code) together with the baseline compiler and promotes their codes,
// which call through tm's link table and tier up from there (tierup.go);
// those the baseline does not take go to the optimising pipeline at
// once.
func (t *tierer) compileBaseline(tm *tierModule, hs []hot) {
	nimp := int(tm.m.NumImportedFuncs)
	defs := make([]int, len(hs))
	for i, h := range hs {
		defs[i] = h.tag.def
	}
	codes := func() (codes []*Code) {
		defer func() {
			if recover() != nil {
				codes = nil // a bug in the baseline: the optimising pipeline tries
			}
		}()
		return t.baselineCodes(tm, defs)
	}()
	var left []hot
	for _, h := range hs {
		var cc *Code
		if codes != nil {
			cc = codes[nimp+h.tag.def]
		}
		if cc == nil {
			left = append(left, h)
			continue
		}
		cc.Count(0, h.tag)
		tm.links.enter(nimp+h.tag.def, cc)
		h.code.Promote(cc)
	}
	if len(left) > 0 {
		t.compile(tm, left)
	}
}

// baselineCodes compiles defs of tm with the baseline compiler into one
// mapping, calling through tm's link table (made now if need be), and
// returns the Code of each function compiled, by function index (nil
// when none was).
func (t *tierer) baselineCodes(tm *tierModule, defs []int) []*Code {
	m := tm.m
	nimp := int(m.NumImportedFuncs)
	n := nimp + len(m.Funcs)
	if tm.links == nil {
		return nil // Track could not map one
	}
	var err error
	if tm.bodies == nil {
		if tm.bodies, err = validator.NewFuncs(m, tm.features); err != nil {
			return nil
		}
	}
	compiled := make([]bool, n)
	for _, d := range defs {
		compiled[nimp+d] = true
	}
	mem := new(codeMem)
	s, err := newStream(compiled, t.e.target, t.e.countDepth, true, mem)
	if err != nil {
		return nil
	}
	enableBaseline(s, tm.outSlots)
	ok := make([]bool, n)
	var bug panicOnce
	err = tm.bodies.Validate(defs, func(idx uint32) validator.FuncVisitor {
		return &baselineBuilding{b: baselineVisitor(s, int(idx)), idx: int(idx), done: func(idx int, done bool) { ok[idx] = done }, bug: &bug}
	})
	bug.raise()
	if err != nil || !slices.Contains(ok, true) {
		return nil
	}
	cm, err := s.Link()
	if err != nil {
		mem.discard()
		return nil
	}
	nslots := make([]int, n)
	for i, done := range ok {
		if done {
			nslots[i] = funcSlots(m, i)
		}
	}
	codes := t.e.load(m, cm, mem, tm.links, nslots, ok)
	for _, c := range codes {
		if c != nil {
			c.mod.ctxLinks = true
			c.tier = new(codeTier)
		}
	}
	return codes
}
