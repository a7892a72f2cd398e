package kiln

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/debuginfo"
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// RuntimeConfig configures a Runtime. The zero value is a valid
// configuration: WebAssembly 3.0 (DefaultFeatures), 4 GiB memories, a
// 256 MiB frame stack, a 256 MiB GC heap and unlimited fuel.
type RuntimeConfig struct {
	// Engine selects the execution engine (0 means EngineAuto, which is
	// the interpreter in this build). With an engine this build does not
	// have (EngineJIT), compiling fails with ErrEngineUnavailable.
	Engine Engine
	// Features selects the accepted proposals (0 means DefaultFeatures,
	// WebAssembly 3.0). wasm.Features2 selects WebAssembly 2.0; single
	// proposals are added or removed with | and &^ (for example
	// wasm.Features3 | wasm.FeatureThreads). A module that needs a
	// disabled proposal fails to compile with a *FeatureError naming it.
	Features wasm.Features
	// MaxMemoryPages caps every memory's size in 64 KiB pages (0 means
	// 65536, the 32-bit maximum).
	MaxMemoryPages uint32
	// MaxCallDepth is the wasm call depth at which a call traps with
	// "call stack exhausted" (0 means no limit but MaxStackBytes). Every
	// engine traps at the same call; the JIT compiles a depth count into
	// each function's prologue and return only when it is set.
	MaxCallDepth int
	// MaxStackBytes bounds the host memory of the frame stack of one
	// thread of execution (frame records and value slots, counted across
	// host function re-entry): growing past it traps with "call stack
	// exhausted" (0 means DefaultMaxStackBytes). Growth beyond a call's
	// initial stack is also charged to a HeapLimiter.
	MaxStackBytes int64
	// MaxHostReentry bounds how deeply calls into wasm made by host
	// functions (which run on the Go stack) may nest in one thread of
	// execution, whatever context they pass: one more traps with "call
	// stack exhausted" (0 means DefaultMaxHostReentry).
	MaxHostReentry int
	// MaxHeapBytes bounds the host memory of the live GC objects
	// (struct.new, array.new...) of all the runtime's instances, by an
	// estimate of each object's bytes: an allocation beyond it traps
	// with TrapHeapExhausted (0 means DefaultMaxHeapBytes). GC objects
	// are also charged to a HeapLimiter.
	MaxHeapBytes int64
	// Fuel is the budget of each call from the embedder, counted in
	// function entries and loop iterations (0 means unlimited). A call
	// that runs out returns ErrFuelExhausted.
	Fuel uint64
	// FuelSource, when not nil, is a budget shared by every call into
	// the runtime's instances (a FuelTank, for example): calls draw from
	// it, so a guest called many times cannot exceed it, and a call that
	// finds it empty returns ErrFuelExhausted. Fuel still bounds each
	// call. ModuleConfig.FuelSource overrides it for one instance.
	FuelSource FuelSource
	// Limiter, when not nil, approves the initial size and every growth
	// of the memories and tables the runtime creates (see Limiter);
	// ModuleConfig.Limiter overrides it for one instance. Without one,
	// sizes are bounded only by MaxMemoryPages and the types' maxima.
	Limiter Limiter
	// CloseOnContextDone closes an instance whose call was interrupted by
	// its context. Cancellation itself is always honoured: a running call
	// stops at the next function entry or loop back-edge.
	CloseOnContextDone bool
	// CompilationCache, when not nil, stores every module CompileModule
	// compiles and loads it from there the next time, in this process
	// or another (see CompilationCache for the trust model). Its key also
	// authenticates artifacts (SaveCompiled, LoadCompiled).
	CompilationCache *CompilationCache
	// CacheMachineCode, with EngineAuto (in builds with the JIT) and a
	// CompilationCache, has each module the cache did not hold also
	// compiled whole by the JIT, in the background (one low-priority
	// thread, one module at a time), and its entry replaced with that
	// machine code: later runtimes start with it instead of tiering up.
	// An entry loaded with no machine code (its run ended first) is
	// compiled so too. The module compiled now keeps tiering. The entry
	// is written after CompileModule returns, if the process lives long
	// enough (CompilationCache.Wait waits for it). It costs the CPU time
	// of a whole JIT compile, which on a machine with few cores the
	// program shares.
	CacheMachineCode bool
	// Profiler, when not nil, samples the wasm call stacks of every call
	// into the runtime's instances while it is started (see Profiler).
	Profiler *Profiler
	// PerfMap makes the JIT describe the machine code it compiles in
	// /tmp/perf-PID.map (a line "START SIZE wasm[MODULE]:func[INDEX]
	// NAME" per function), the file Linux perf reads to name code without
	// symbols, so that `perf report` shows JIT frames by wasm function.
	// The interpreter's code, and builds without the JIT, write nothing.
	PerfMap bool
	// TierEagerly is for testing the tiers of EngineAuto against each
	// other and against EngineInterpreter: a function goes to the next
	// tier after two calls or loop back-edges, compiled at once on the
	// goroutine that found it warm rather than in the background, so
	// that every function runs in every tier and frames move between
	// them at loop heads (TierStats), at points that do not depend on
	// timing. It makes programs slower. Other engines ignore it.
	TierEagerly bool
}

// Defaults of RuntimeConfig's stack limits.
const (
	// DefaultMaxStackBytes holds about two million frames of a small
	// recursive function (a frame costs 32 bytes plus 24 per value slot).
	DefaultMaxStackBytes = engine.DefaultMaxStackBytes
	// DefaultMaxHostReentry is the default nesting limit of host
	// functions calling back into wasm.
	DefaultMaxHostReentry = engine.DefaultMaxReentry
	// DefaultMaxHeapBytes is the default limit of live GC objects.
	DefaultMaxHeapBytes = 256 << 20
)

// Runtime compiles and instantiates modules and keeps the registry of
// named instances used to resolve imports. It is safe for concurrent use.
type Runtime struct {
	cfg   RuntimeConfig
	types store.Types
	// engines compile and run the code, the configured one first (see
	// newEngines); engineErr says why the configured one is unavailable.
	engines   []runtimeEngine
	engineErr error
	tierer    engine.Tierer // EngineAuto's tiering, or nil
	// loopEntries counts the frames continued in promoted code at a
	// loop head (TierStats).
	loopEntries atomic.Uint64
	heap        *store.GCHeap // charged every GC object of the instances

	mu      sync.Mutex
	modules map[string]*Instance
}

// NewRuntime returns a runtime with the given configuration.
func NewRuntime(cfg RuntimeConfig) *Runtime {
	if cfg.Features == 0 {
		cfg.Features = DefaultFeatures
	}
	if cfg.MaxStackBytes <= 0 {
		cfg.MaxStackBytes = DefaultMaxStackBytes
	}
	if cfg.MaxHostReentry <= 0 {
		cfg.MaxHostReentry = DefaultMaxHostReentry
	}
	if cfg.MaxHeapBytes <= 0 {
		cfg.MaxHeapBytes = DefaultMaxHeapBytes
	}
	rt := &Runtime{cfg: cfg, modules: map[string]*Instance{}, heap: store.NewGCHeap(cfg.MaxHeapBytes)}
	engs, tierer, err := newEngines(cfg.Engine)
	if err != nil {
		// Host functions still run (in the interpreter's executor);
		// compiling reports err.
		rt.engineErr = err
		engs, tierer, _ = newEngines(EngineInterpreter)
	}
	if cfg.MaxCallDepth > 0 {
		// Engines that count depth only when asked (the JIT) count it.
		for _, e := range engs {
			if d, ok := e.(interface{ CountDepth() }); ok {
				d.CountDepth()
			}
		}
	}
	if t, ok := tierer.(interface{ Eagerly() }); ok && cfg.TierEagerly {
		t.Eagerly()
	}
	if cfg.PerfMap {
		for _, e := range engs {
			if p, ok := e.(interface{ WritePerfMap() }); ok {
				p.WritePerfMap()
			}
		}
	}
	rt.initEngines(engs, tierer)
	return rt
}

// TierStats counts what EngineAuto's tiering did in a runtime.
type TierStats struct {
	// LoopEntries counts the calls that a function began in the
	// interpreter and finished in compiled code, entered at the head of
	// a loop (on-stack replacement) once the function was compiled.
	LoopEntries uint64
}

// TierStats returns the runtime's tiering counts so far.
func (r *Runtime) TierStats() TierStats { return TierStats{LoopEntries: r.loopEntries.Load()} }

// Config returns the runtime's configuration (with defaults filled in).
func (r *Runtime) Config() RuntimeConfig { return r.cfg }

// CompiledModule is a decoded, validated and translated module. It is
// immutable and may be instantiated any number of times, concurrently.
type CompiledModule struct {
	module *wasm.Module
	codes  []any    // per defined function, its engine's code
	kinds  []Engine // per defined function, the engine that compiled it
	// source maps code offsets to source positions when the module
	// carries DWARF line information, else nil.
	source store.SourceLocator
	bin    []byte // the module binary (module aliases it)
}

// Module returns the decoded module. It must not be modified.
func (cm *CompiledModule) Module() *wasm.Module { return cm.module }

// CompileModule decodes, validates and translates a module binary. Errors
// wrap wasm.ErrMalformed or wasm.ErrInvalid. With a CompilationCache, a
// module compiled before is loaded from it, and a newly compiled one is
// stored. An artifact of SaveCompiled is accepted too (see LoadCompiled).
func (r *Runtime) CompileModule(ctx context.Context, bin []byte) (*CompiledModule, error) {
	if r.engineErr != nil {
		return nil, r.engineErr
	}
	if IsCompiled(bin) {
		return r.LoadCompiled(bin)
	}
	c := r.cfg.CompilationCache
	if c == nil {
		return r.compile(bin)
	}
	h := r.header(bin)
	if cm := r.cacheLoad(c, h, bin); cm != nil {
		if cm.EngineStats()[EngineJIT] == 0 {
			// An entry of the interpreter's code (a run that ended before
			// its background compile did) is upgraded now.
			r.compileWhole(c, h, cm)
		}
		return cm, nil
	}
	cm, err := r.compile(bin)
	if err == nil {
		c.store(h, cm, r)
		r.compileWhole(c, h, cm)
	}
	return cm, err
}

// compileWhole has a tiering runtime (EngineAuto, CacheMachineCode) compile all of cm
// with its faster engine in the background and replace cm's cache entry
// with that code, so that later runs start with it; cm itself keeps
// tiering (engine.WholeCompiler).
func (r *Runtime) compileWhole(c *CompilationCache, h entryHeader, cm *CompiledModule) {
	wc, ok := r.tierer.(engine.WholeCompiler)
	if !ok || !r.cfg.CacheMachineCode {
		return
	}
	c.pending.Add(1)
	wc.CompileWhole(cm.module, r.cfg.Features, func(codes []any) {
		defer c.pending.Done()
		if codes != nil && c.store(h, &CompiledModule{module: cm.module, codes: codes, bin: cm.bin}, r) {
			c.upgraded.Add(1)
		}
	})
}

// compile decodes, validates and translates bin.
func (r *Runtime) compile(bin []byte) (cm *CompiledModule, err error) {
	defer func() {
		if p := recover(); p != nil {
			// A bug in the translator must not take the embedding process down.
			cm, err = nil, fmt.Errorf("compile: internal error: %v", p)
		}
	}()
	m, err := decoder.Decode(bin, r.cfg.Features)
	if err != nil {
		return nil, r.compileError(bin, err)
	}
	// The first engine compiles; one with fallbacks (the JIT) has their
	// compilers see every function in the same pass and returns their
	// code for the functions it leaves to them.
	comp := r.engines[0].eng.NewCompiler(m)
	if v, ok := comp.(engine.Validator); ok {
		err = v.Validate(r.cfg.Features)
	} else {
		err = validator.ValidateModule(m, r.cfg.Features, comp.Visitor)
	}
	if err != nil {
		return nil, r.compileError(bin, err)
	}
	return r.newCompiled(m, comp.Codes(), bin)
}

// sourceMap returns the module's DWARF source map for trap backtraces, or
// nil when it carries no line information.
func sourceMap(bin []byte, m *wasm.Module) store.SourceLocator {
	if !debuginfo.Has(m) {
		return nil
	}
	hs, err := decoder.Sections(bin)
	if err != nil {
		return nil
	}
	for _, h := range hs {
		if wasm.SectionID(h.ID) == wasm.SectionCode {
			if sm := debuginfo.New(m, h.PayloadOffset); sm != nil {
				return sm
			}
		}
	}
	return nil
}

// compileError wraps a decoding or validation error, as a *FeatureError
// when enabling more proposals would make the module compile.
func (r *Runtime) compileError(bin []byte, err error) error {
	if missing := validator.MissingFeatures(bin, r.cfg.Features); missing != 0 {
		err = &FeatureError{Missing: missing, Err: err}
	}
	return fmt.Errorf("compile: %w", err)
}

// Register makes inst importable under name (the WAST "register" command).
func (r *Runtime) Register(name string, inst *Instance) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.modules[name] = inst
}

// Lookup returns the instance registered under name, or nil.
func (r *Runtime) Lookup(name string) *Instance {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.modules[name]
}
