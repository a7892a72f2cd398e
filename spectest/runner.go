package spectest

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// Options configure a run.
type Options struct {
	// Runtime configures the runtime each script gets; Features zero
	// means kiln.DefaultFeatures (WebAssembly 3.0), MaxStackBytes zero
	// ScriptStackBytes. Runtime.Fuel bounds each action and
	// instantiation, so an infinite loop fails its assertion instead of
	// hanging.
	Runtime kiln.RuntimeConfig
	// OnResult, when not nil, receives the outcome of every top-level
	// command as the script runs.
	OnResult func(Result)
}

// ScriptStackBytes is the frame stack budget of a script's runtime unless
// Options says otherwise: the official scripts recurse a few hundred
// frames deep at most, except to exhaust the stack (assert_exhaustion),
// which the default budget of millions of frames would make slow.
const ScriptStackBytes = 4 << 20

// Report is the outcome of running one or more scripts.
type Report struct {
	Passed, Failed, Skipped int
	// MessageChecked counts failure assertions that failed as expected and
	// carry an expected message; MessageMatched how many of those errors
	// contain the message text.
	MessageChecked, MessageMatched int
	Failures                       []Failure
	// Functions counts the defined functions of every module the scripts
	// compiled by the engine that compiled them: with kiln.EngineJIT, those
	// under kiln.EngineInterpreter are the JIT's fallbacks.
	Functions map[kiln.Engine]int
}

// Failure describes one failed assertion.
type Failure struct {
	Pos      wast.Pos
	Kind     string // the command: "assert_return", "module", ...
	Expected string
	Got      string
}

func (f Failure) String() string {
	return fmt.Sprintf("%s: %s: expected %s, got %s", f.Pos, f.Kind, f.Expected, f.Got)
}

// Add merges o into r.
func (r *Report) Add(o *Report) {
	r.Passed += o.Passed
	r.Failed += o.Failed
	r.Skipped += o.Skipped
	r.MessageChecked += o.MessageChecked
	r.MessageMatched += o.MessageMatched
	r.Failures = append(r.Failures, o.Failures...)
	r.countFunctions(o.Functions)
}

func (r *Report) countFunctions(by map[kiln.Engine]int) {
	for e, n := range by {
		if r.Functions == nil {
			r.Functions = map[kiln.Engine]int{}
		}
		r.Functions[e] += n
	}
}

// FunctionsSummary says how many functions each engine compiled, e.g.
// "functions compiled: jit 4585, interpreter 12", engines in their
// declaration order; "" when no module was compiled.
func (r *Report) FunctionsSummary() string {
	var parts []string
	for e := kiln.EngineAuto; e <= kiln.EngineJIT; e++ {
		if n, ok := r.Functions[e]; ok {
			parts = append(parts, fmt.Sprintf("%v %d", e, n))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "functions compiled: " + strings.Join(parts, ", ")
}

// Summary is the last line of `kiln wast`: "N passed, N failed, N skipped".
func (r *Report) Summary() string {
	return fmt.Sprintf("%d passed, %d failed, %d skipped", r.Passed, r.Failed, r.Skipped)
}

// RunFile parses and runs one .wast file.
func RunFile(ctx context.Context, path string, opts Options) (*Report, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	features := opts.Runtime.Features
	if features == 0 {
		features = kiln.DefaultFeatures
	}
	script, err := wast.Parser{Features: features}.ParseScript(path, src)
	if err != nil {
		return nil, err
	}
	return RunScript(ctx, script, opts)
}

// RunScript runs every command of script in a fresh runtime.
func RunScript(ctx context.Context, script *wast.Script, opts Options) (*Report, error) {
	cfg := opts.Runtime
	if cfg.MaxStackBytes == 0 {
		cfg.MaxStackBytes = ScriptStackBytes
	}
	rt := kiln.NewRuntime(cfg)
	if _, err := instantiateSpectestModule(ctx, rt); err != nil {
		return nil, fmt.Errorf("spectest host module: %w", err)
	}
	s := newScriptRun(ctx, rt, nil)
	for i, cmd := range script.Commands {
		if ctx.Err() != nil {
			s.stopped(script.Commands[i:], opts.OnResult)
			break
		}
		s.runReported(cmd, opts.OnResult)
	}
	s.waitAll()
	return s.report, nil
}

// stopped counts the commands the script did not get to run, once its
// context ended (a timeout), as failures: one Failure says why, and each
// is reported to onResult.
func (s *scriptRun) stopped(rest []wast.Command, onResult func(Result)) {
	why := fmt.Sprintf("stopped (%v)", context.Cause(s.ctx))
	s.report.Failed += len(rest)
	s.report.Failures = append(s.report.Failures, Failure{Pos: rest[0].Position(), Kind: "script",
		Expected: "every command to run", Got: fmt.Sprintf("%s: %d commands not run", why, len(rest))})
	if onResult == nil {
		return
	}
	for _, cmd := range rest {
		onResult(Result{Pos: cmd.Position(), Kind: CommandKind(cmd), Status: StatusFail, Message: "not run: " + why})
	}
}

// scriptRun is the state of one script: its instances by identifier and
// the most recent one.
type scriptRun struct {
	ctx   context.Context
	rt    *kiln.Runtime
	named map[string]*kiln.Instance
	last  *kiln.Instance
	// defs holds (module definition $M ...) compiled modules by identifier;
	// lastDef is the most recent definition.
	defs    map[string]*kiln.CompiledModule
	lastDef *kiln.CompiledModule
	report  *Report
	// linker holds the registrations of a thread (nil: the script's
	// top level, which registers in the runtime).
	linker *kiln.Linker
	// threads are the (thread $T ...) commands started and not yet
	// waited for.
	threads map[string]*scriptThread
}

func newScriptRun(ctx context.Context, rt *kiln.Runtime, l *kiln.Linker) *scriptRun {
	return &scriptRun{ctx: ctx, rt: rt, named: map[string]*kiln.Instance{},
		defs: map[string]*kiln.CompiledModule{}, report: &Report{}, linker: l,
		threads: map[string]*scriptThread{}}
}

func (s *scriptRun) moduleConfig() kiln.ModuleConfig { return kiln.ModuleConfig{Imports: s.linker} }

func (s *scriptRun) pass() { s.report.Passed++ }

func (s *scriptRun) fail(pos wast.Pos, kind, expected, got string) {
	s.report.Failed++
	s.report.Failures = append(s.report.Failures, Failure{Pos: pos, Kind: kind, Expected: expected, Got: got})
}

func (s *scriptRun) skip() { s.report.Skipped++ }

// checkMessage counts whether err's text contains the expected message.
func (s *scriptRun) checkMessage(err error, want string) {
	if want == "" || err == nil {
		return
	}
	s.report.MessageChecked++
	if strings.Contains(err.Error(), want) {
		s.report.MessageMatched++
	}
}

func (s *scriptRun) run(cmd wast.Command) {
	switch c := cmd.(type) {
	case *wast.ModuleCommand:
		s.module(c)
	case *wast.ModuleInstanceCommand:
		cm := s.lastDef
		if c.Module != "" {
			cm = s.defs[c.Module]
		}
		if cm == nil {
			s.fail(c.Pos, "module instance", "a module definition", "unknown module definition "+c.Module)
			return
		}
		inst, err := s.rt.Instantiate(s.ctx, cm, s.moduleConfig())
		if err != nil {
			s.fail(c.Pos, "module instance", "instantiation", err.Error())
			return
		}
		s.last = inst
		if c.Instance != "" {
			s.named[c.Instance] = inst
		}
		s.pass()
	case *wast.RegisterCommand:
		inst := s.instance(c.Module)
		if inst == nil {
			s.fail(c.Pos, "register", "a module instance", "unknown module "+c.Module)
			return
		}
		s.register(c.Name, inst)
		s.pass()
	case *wast.ActionCommand:
		if _, err := s.act(c.Action); err != nil {
			s.fail(c.Action.Pos, "action", "success", err.Error())
			return
		}
		s.pass()
	case *wast.AssertReturn:
		s.assertReturn(c)
	case *wast.AssertTrap:
		s.assertTrap(c)
	case *wast.AssertExhaustion:
		_, err := s.act(c.Action)
		var trap *kiln.Trap
		if errors.As(err, &trap) && trap.Code == kiln.TrapCallStackExhausted {
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_exhaustion", c.Message, describe(err))
	case *wast.AssertException:
		_, err := s.act(c.Action)
		var trap *kiln.Trap
		if errors.As(err, &trap) && trap.Code == kiln.TrapUncaughtException {
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_exception", "an uncaught exception", describe(err))
	case *wast.AssertInvalid:
		bin, err := c.Module.Encode()
		if err != nil {
			s.fail(c.Pos, "assert_invalid", c.Message+" (at validation)", "text did not encode: "+err.Error())
			return
		}
		_, err = s.rt.CompileModule(s.ctx, bin)
		if errors.Is(err, wasm.ErrInvalid) {
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_invalid", c.Message+" (at validation)", describe(err))
	case *wast.AssertMalformed:
		bin, err := c.Module.Encode()
		if err != nil {
			// The text parser rejected it: malformed at the text stage.
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		if c.Module.Kind == wast.ModuleText {
			// Malformed text that encoded is a parser bug.
			s.fail(c.Pos, "assert_malformed", c.Message, "text encoded")
			return
		}
		_, err = s.rt.CompileModule(s.ctx, bin)
		if errors.Is(err, wasm.ErrMalformed) {
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_malformed", c.Message+" (at decoding)", describe(err))
	case *wast.AssertUnlinkable:
		cm, err := s.compile(c.Module)
		if err != nil {
			s.fail(c.Pos, "assert_unlinkable", c.Message, "compile: "+err.Error())
			return
		}
		_, err = s.rt.Instantiate(s.ctx, cm, s.moduleConfig())
		if errors.Is(err, kiln.ErrLink) {
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_unlinkable", c.Message, describe(err))
	case *wast.AssertUninstantiable:
		cm, err := s.compile(c.Module)
		if err != nil {
			s.fail(c.Pos, "assert_uninstantiable", c.Message, "compile: "+err.Error())
			return
		}
		_, err = s.rt.Instantiate(s.ctx, cm, s.moduleConfig())
		var trap *kiln.Trap
		if errors.As(err, &trap) {
			s.checkMessage(err, c.Message)
			s.pass()
			return
		}
		s.fail(c.Pos, "assert_uninstantiable", c.Message, describe(err))
	case *wast.ThreadCommand:
		s.thread(c)
	case *wast.WaitCommand:
		s.wait(c)
	default:
		// Commands kiln does not know are counted as skipped.
		s.skip()
	}
}

func (s *scriptRun) compile(m *wast.Module) (*kiln.CompiledModule, error) {
	bin, err := m.Encode()
	if err != nil {
		return nil, err
	}
	cm, err := s.rt.CompileModule(s.ctx, bin)
	if err == nil {
		s.report.countFunctions(cm.EngineStats())
	}
	return cm, err
}

func (s *scriptRun) module(c *wast.ModuleCommand) {
	m := c.Module
	cm, err := s.compile(m)
	if err != nil {
		s.fail(m.Pos, "module", "a valid module", err.Error())
		s.last = nil
		return
	}
	if m.Definition {
		// (module definition $M ...) compiles only; instances come from
		// (module instance ...) commands.
		s.lastDef = cm
		if m.ID != "" {
			s.defs[m.ID] = cm
		}
		s.pass()
		return
	}
	inst, err := s.rt.Instantiate(s.ctx, cm, s.moduleConfig())
	if err != nil {
		s.fail(m.Pos, "module", "instantiation", s.explain(err).Error())
		s.last = nil
		return
	}
	s.last = inst
	if m.ID != "" {
		s.named[m.ID] = inst
	}
	s.pass()
}

func (s *scriptRun) instance(id string) *kiln.Instance {
	if id == "" {
		return s.last
	}
	return s.named[id]
}

// act performs an invoke or get and returns its results.
func (s *scriptRun) act(a *wast.Action) ([]kiln.Value, error) {
	inst := s.instance(a.Module)
	if inst == nil {
		return nil, fmt.Errorf("no module instance %q", a.Module)
	}
	switch a.Kind {
	case wast.ActionGet:
		g := inst.Global(a.Name)
		if g == nil {
			return nil, fmt.Errorf("no exported global %q", a.Name)
		}
		return []kiln.Value{g.Get()}, nil
	default:
		f := inst.Func(a.Name)
		if f == nil {
			return nil, fmt.Errorf("no exported function %q", a.Name)
		}
		args := make([]kiln.Value, len(a.Args))
		for i, v := range a.Args {
			args[i] = toKiln(v)
		}
		res, err := f.CallValues(s.ctx, args)
		return res, s.explain(err)
	}
}

// explain says why a call was cut short when it ran out of fuel or time,
// rather than a bare "fuel exhausted" or "context deadline exceeded".
func (s *scriptRun) explain(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, kiln.ErrFuelExhausted):
		return fmt.Errorf("%w: the call used all %d units of its fuel (a loop that does not end?)", err, s.rt.Config().Fuel)
	case s.ctx.Err() != nil:
		return fmt.Errorf("stopped: %w", context.Cause(s.ctx))
	}
	return err
}

func (s *scriptRun) assertReturn(c *wast.AssertReturn) {
	got, err := s.act(c.Action)
	if err != nil {
		s.fail(c.Pos, "assert_return", formatResults(c.Expected), describe(err))
		return
	}
	if len(got) != len(c.Expected) {
		s.fail(c.Pos, "assert_return", formatResults(c.Expected), formatValues(got))
		return
	}
	for i := range got {
		if !matches(c.Expected[i], got[i]) {
			s.fail(c.Pos, "assert_return", formatResults(c.Expected), formatValues(got))
			return
		}
	}
	s.pass()
}

func (s *scriptRun) assertTrap(c *wast.AssertTrap) {
	var err error
	if c.Module != nil {
		var cm *kiln.CompiledModule
		cm, err = s.compile(c.Module)
		if err != nil {
			s.fail(c.Pos, "assert_trap", c.Message, "compile: "+err.Error())
			return
		}
		_, err = s.rt.Instantiate(s.ctx, cm, s.moduleConfig())
	} else {
		_, err = s.act(c.Action)
	}
	var trap *kiln.Trap
	if errors.As(err, &trap) && trap.Code != kiln.TrapUncaughtException {
		s.checkMessage(err, c.Message)
		s.pass()
		return
	}
	s.fail(c.Pos, "assert_trap", c.Message, describe(err))
}

func describe(err error) string {
	if err == nil {
		return "success"
	}
	return err.Error()
}
