package kiln

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/wasm"
)

// Engine selects how a runtime executes wasm code (RuntimeConfig.Engine).
type Engine uint8

const (
	// EngineAuto picks the best engine of this build for the host. In
	// builds with the kilnjit tag on a CPU the JIT supports, that is
	// tiering: the interpreter runs every function at once and the JIT
	// compiles the hot ones in the background, later calls of which run
	// natively (with the same results, traps and fuel as interpreted,
	// only faster). Elsewhere it is the interpreter.
	EngineAuto Engine = iota
	// EngineInterpreter is kiln's portable interpreter (package interp).
	EngineInterpreter
	// EngineJIT compiles to native code, leaving what it cannot compile
	// to the interpreter. Where the JIT has a baseline compiler (amd64),
	// every function is compiled by it first, in about the time the
	// interpreter's translation takes, and the functions that turn out
	// hot are compiled again by the optimising compiler in the
	// background, their later calls running that code (the same
	// results, traps, fuel and backtraces, only faster); elsewhere
	// (arm64) it is EngineOptimizing. It exists only in builds with the
	// kilnjit tag on amd64 and arm64 (engine_jit.go); elsewhere runtimes
	// configured with it fail to compile modules with an error wrapping
	// ErrEngineUnavailable.
	EngineJIT
	// EngineBaseline is EngineJIT without tiering up: every function it
	// can is compiled by the baseline compiler only (faster to compile,
	// slower to run than optimised code, far faster than interpreted;
	// no background compiles). What the baseline does not take (SIMD,
	// the 3.0 proposals) goes through the optimising compiler, or to the
	// interpreter. Where the JIT has no baseline (arm64) it is
	// EngineOptimizing.
	EngineBaseline
	// EngineOptimizing is EngineJIT compiling every function with the
	// optimising compiler before the module runs: the fastest code from
	// the first call, for several times the compile time.
	EngineOptimizing
)

// engineNames are the Engine values' names (String).
var engineNames = [...]string{EngineAuto: "auto", EngineInterpreter: "interpreter", EngineJIT: "jit", EngineBaseline: "baseline",
	EngineOptimizing: "optimizing"}

func (e Engine) String() string {
	if int(e) < len(engineNames) {
		return engineNames[e]
	}
	return fmt.Sprintf("Engine(%d)", uint8(e))
}

// ParseEngine returns the engine a name selects: "auto", "interpreter"
// (or "interp"), "jit", "baseline" or "optimizing"; "" means EngineAuto. It does not say whether
// the engine is available (see Available).
func ParseEngine(name string) (Engine, error) {
	switch name {
	case "", "auto":
		return EngineAuto, nil
	case "interpreter", "interp":
		return EngineInterpreter, nil
	case "jit":
		return EngineJIT, nil
	case "baseline":
		return EngineBaseline, nil
	case "optimizing":
		return EngineOptimizing, nil
	}
	return 0, fmt.Errorf("kiln: unknown engine %q (auto, interpreter, jit, baseline, optimizing)", name)
}

// Engines returns the engines this build has, the default (EngineAuto)
// first.
func Engines() []Engine {
	var out []Engine
	for e := EngineAuto; int(e) < len(engineNames); e++ {
		if e.Available() == nil {
			out = append(out, e)
		}
	}
	return out
}

// Available reports whether this build has the engine (nil) or why not
// (an error wrapping ErrEngineUnavailable).
func (e Engine) Available() error {
	_, _, err := newEngines(e)
	return err
}

// ErrEngineUnavailable is wrapped by the errors of a runtime configured
// with an engine this build or host does not have.
var ErrEngineUnavailable = errors.New("not available")

// runtimeEngine is one engine of a runtime and its pool of executors.
type runtimeEngine struct {
	eng   engine.Engine
	kind  Engine
	execs sync.Pool // of *executor
}

// executor is a pooled execution context of one of a runtime's engines.
type executor struct {
	engine.Executor
	eng int // index in Runtime.engines
	// fuel is the fuel state of the call from the embedder it runs.
	fuel engine.Fuel
}

// newEngines returns the engines a runtime configured with e compiles
// and runs with: the one that compiles first, then those that run the
// functions it leaves to them (the interpreter, for the JIT), and the
// tierer that promotes hot code of the first to the others (tiering,
// see engine.Tiered), if any.
//
// This is the one place that names the engine implementations, with
// autoEngines and jitEngines (engine_jit.go in builds with the kilnjit
// tag, engine_nojit.go in others).
func newEngines(e Engine) ([]engine.Engine, engine.Tierer, error) {
	switch e {
	case EngineAuto:
		return autoEngines()
	case EngineInterpreter:
		return []engine.Engine{interp.NewEngine()}, nil, nil
	case EngineJIT, EngineBaseline, EngineOptimizing:
		return jitEngines(e)
	}
	return nil, nil, fmt.Errorf("kiln: engine %v: %w: unknown engine", e, ErrEngineUnavailable)
}

// kindOf names the engine that compiled engines[i] for statistics: the
// first engine is the one configured (EngineAuto's is the interpreter,
// which compiles every function: the JIT compiles later, only what
// turns out hot), the second the other one (EngineAuto's JIT, whose
// code a cache entry may hold: RuntimeConfig.CacheMachineCode).
func kindOf(e Engine, i int) Engine {
	switch {
	case e == EngineAuto && i > 0, e == EngineOptimizing && i == 0:
		return EngineJIT
	case e == EngineAuto || i > 0:
		return EngineInterpreter
	}
	return e
}

// initEngines sets up the runtime's engines, their executor pools and
// its tierer (nil: no tiering).
func (r *Runtime) initEngines(engs []engine.Engine, tierer engine.Tierer) {
	var sampling *engine.Sampling
	if r.cfg.Profiler != nil {
		sampling = r.cfg.Profiler.sampling
	}
	cfg := engine.ExecConfig{
		Limits:   engine.StackLimits{MaxDepth: r.cfg.MaxCallDepth, MaxBytes: r.cfg.MaxStackBytes, MaxReentry: r.cfg.MaxHostReentry},
		Sampling: sampling,
		Foreign:  foreignCaller{r},
		Tierer:   tierer,
	}
	r.tierer = tierer
	r.engines = make([]runtimeEngine, len(engs))
	for i, e := range engs {
		re := &r.engines[i]
		re.eng, re.kind = e, kindOf(r.cfg.Engine, i)
		re.execs.New = func() any { return &executor{Executor: e.NewExecutor(cfg), eng: i} }
	}
}

// engineOf returns the index of the engine that owns code (the first
// engine for host functions, whose code is nil), or -1.
func (r *Runtime) engineOf(code any) int {
	if code == nil {
		return 0
	}
	for i := range r.engines {
		if r.engines[i].eng.Owns(code) {
			return i
		}
	}
	return -1
}

func (r *Runtime) getExecutor(eng int) *executor {
	return r.engines[eng].execs.Get().(*executor)
}

func (r *Runtime) putExecutor(ex *executor) { r.engines[ex.eng].execs.Put(ex) }

// foreignCaller is the engine.Caller of a runtime's executors: it runs a
// function of another engine on an executor of that engine.
type foreignCaller struct{ r *Runtime }

func (c foreignCaller) CallForeign(ctx context.Context, f *store.Function, slots []uint64, refs []any, fuel *engine.Fuel) error {
	code := f.Code
	if t, ok := code.(engine.Tiered); ok {
		if p := t.Promoted(); p != nil {
			code = p // promoted: the caller's engine sends the call here
		}
	}
	i := c.r.engineOf(code)
	if i < 0 {
		return &store.Trap{Code: store.TrapInternalError, Cause: fmt.Errorf("kiln: function %d: no engine of the runtime runs code of type %T", f.Index, code)}
	}
	ex := c.r.getExecutor(i)
	defer c.r.putExecutor(ex)
	s, rs := ex.Slots(len(slots))
	copy(s, slots)
	copy(rs, refs)
	var err error
	if cr, ok := ex.Executor.(engine.CodeRunner); ok && code != f.Code {
		err = cr.RunCode(ctx, f, code, fuel)
	} else {
		err = ex.Run(ctx, f, fuel)
	}
	if err == nil {
		s, rs = ex.Slots(len(slots))
		copy(slots, s)
		copy(refs, rs)
	}
	clear(rs)
	return err
}

// CallForeignLoop continues f in its promoted code at a loop
// (engine.LoopCaller).
func (c foreignCaller) CallForeignLoop(ctx context.Context, f *store.Function, loop int, slots []uint64, locals int, fuel *engine.Fuel) (bool, error) {
	t, ok := f.Code.(engine.Tiered)
	if !ok {
		return false, nil
	}
	code := t.Promoted()
	i := c.r.engineOf(code)
	if code == nil || i < 0 {
		return false, nil
	}
	ex := c.r.getExecutor(i)
	defer c.r.putExecutor(ex)
	lr, ok := ex.Executor.(engine.LoopRunner)
	if !ok {
		return false, nil
	}
	s, rs := ex.Slots(len(slots))
	copy(s, slots)
	entered, err := lr.RunLoop(ctx, f, code, loop, locals, fuel)
	if entered {
		c.r.loopEntries.Add(1)
	}
	if entered && err == nil {
		s, rs = ex.Slots(len(slots))
		copy(slots, s)
	}
	clear(rs)
	return entered, err
}

// EngineStats counts a compiled module's functions by the engine that
// compiled them: with EngineJIT, the functions counted under
// EngineInterpreter are those the JIT left to the interpreter; with
// EngineBaseline, those counted under EngineJIT are those the baseline
// compiler left to the JIT's optimising pipeline.
func (cm *CompiledModule) EngineStats() map[Engine]int {
	s := map[Engine]int{}
	for _, k := range cm.kinds {
		s[k]++
	}
	return s
}

// FuncEngine returns the engine that compiled the module's defined
// function i (in definition order, imports excluded).
func (cm *CompiledModule) FuncEngine(i int) Engine { return cm.kinds[i] }

// newCompiled makes a compiled module of codes, recording which of the
// runtime's engines compiled each.
func (r *Runtime) newCompiled(m *wasm.Module, codes []any, bin []byte) (*CompiledModule, error) {
	kinds := make([]Engine, len(codes))
	for i, c := range codes {
		e := -1
		if c != nil {
			e = r.engineOf(c)
		}
		if e < 0 {
			return nil, fmt.Errorf("kiln: function %d: no engine of the runtime compiled it (code %T)", i, c)
		}
		kinds[i] = r.engines[e].kind
		if b, ok := c.(interface{ Baseline() bool }); ok && kinds[i] == EngineBaseline && !b.Baseline() {
			kinds[i] = EngineJIT // left by the baseline to the optimising pipeline
		}
	}
	if r.tierer != nil {
		r.tierer.Track(m, r.cfg.Features, codes)
	}
	return &CompiledModule{module: m, codes: codes, kinds: kinds, source: sourceMap(bin, m), bin: bin}, nil
}
