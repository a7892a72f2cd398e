package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// kilnEngine runs modules on one of kiln's engines: its register
// interpreter (kiln-interp) or its JIT (kiln-jit, which runs what it does
// not compile in the interpreter). It implements WASIEngine through
// package wasi.
type kilnEngine struct {
	name string
	kind Kind
	rt   *kiln.Runtime
}

// kilnConfigs are kiln's engines under test, in report order.
var kilnConfigs = []struct {
	name   string
	kind   Kind
	engine kiln.Engine
}{
	{"kiln-interp", Interpreter, kiln.EngineInterpreter},
	{"kiln-jit", Compiler, kiln.EngineJIT},
	{"kiln-baseline", Compiler, kiln.EngineBaseline},
	{"kiln-optimizing", Compiler, kiln.EngineOptimizing},
}

// kilnEngines returns kiln's engines that this build has, each in its own
// runtime with the env host module instantiated; note says which were left
// out and why. The JIT exists only in builds with the kilnjit tag (go
// test -tags kilnjit, go run -tags kilnjit ./cmd/ratios). host_inc uses
// RawFunc, kiln's stack-slice calling convention, the counterpart of
// wazero's api.GoFunc used on the wazero side, so that the wasm->host
// benchmark compares the fast paths.
func kilnEngines(ctx context.Context) ([]Engine, string, error) {
	var out []Engine
	var notes []string
	for _, c := range kilnConfigs {
		if err := c.engine.Available(); err != nil {
			notes = append(notes, fmt.Sprintf("%s left out: %v (build with -tags kilnjit)", c.name, err))
			continue
		}
		rt := kiln.NewRuntime(kiln.RuntimeConfig{Engine: c.engine})
		i32ToI32 := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
		_, err := rt.NewHostModule("env").
			RawFunc("host_inc", i32ToI32, func(_ context.Context, _ *kiln.Caller, stack []uint64) {
				stack[0] = uint64(uint32(stack[0]) + 1)
			}).
			Instantiate(ctx)
		if err != nil {
			return nil, "", fmt.Errorf("%s: host module env: %w", c.name, err)
		}
		out = append(out, &kilnEngine{name: c.name, kind: c.kind, rt: rt})
	}
	return out, strings.Join(notes, "; "), nil
}

func (e *kilnEngine) Name() string    { return e.name }
func (e *kilnEngine) Runtime() string { return "kiln" }
func (e *kilnEngine) Kind() Kind      { return e.kind }

// Close does nothing: a kiln.Runtime holds no resources of its own (the
// instances made in it are closed by the suite).
func (e *kilnEngine) Close(ctx context.Context) error { return nil }

func (e *kilnEngine) Caches() bool { return true }

func (e *kilnEngine) CachedCompiler(ctx context.Context, dir string) (func(context.Context, []byte) error, func(), error) {
	cache, err := kiln.OpenCompilationCache(dir)
	if err != nil {
		return nil, nil, err
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Engine: e.rt.Config().Engine, CompilationCache: cache})
	compile := func(ctx context.Context, bin []byte) error {
		if _, err := rt.CompileModule(ctx, bin); err != nil {
			return fmt.Errorf("%s: compile: %w", e.name, err)
		}
		return nil
	}
	return compile, func() {}, nil
}

func (e *kilnEngine) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", e.name, err)
	}
	return &kilnCompiled{e: e, cm: cm}, nil
}

type kilnCompiled struct {
	e  *kilnEngine
	cm *kiln.CompiledModule
}

// Close does nothing: a kiln.CompiledModule is plain memory, released by
// the garbage collector.
func (c *kilnCompiled) Close(ctx context.Context) error { return nil }

func (c *kilnCompiled) Instantiate(ctx context.Context) (Instance, error) {
	inst, err := c.e.rt.Instantiate(ctx, c.cm, kiln.ModuleConfig{})
	if err != nil {
		return nil, fmt.Errorf("%s: instantiate: %w", c.e.name, err)
	}
	return &kilnInstance{name: c.e.name, inst: inst}, nil
}

type kilnInstance struct {
	name string
	inst *kiln.Instance
}

func (i *kilnInstance) Close(ctx context.Context) error { return i.inst.Close(ctx) }

func (i *kilnInstance) Func(name string) (Caller, error) {
	f := i.inst.Func(name)
	if f == nil {
		return nil, fmt.Errorf("%s: no exported function %q", i.name, name)
	}
	return f.Call, nil
}

func (e *kilnEngine) CompileWASI(ctx context.Context, bin []byte) (WASIProgram, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", e.name, err)
	}
	return &kilnProgram{e: e, cm: cm}, nil
}

// kilnProgram runs a WASI command with wasi.Run: every Run creates a
// fresh guest process (its own wasi.System, registered in the engine's
// runtime in place of the previous one), instantiates the module and
// calls _start, like wazero's InstantiateModule of a command does.
type kilnProgram struct {
	e  *kilnEngine
	cm *kiln.CompiledModule
}

func (p *kilnProgram) Close(ctx context.Context) error { return nil }

// Run is not safe for concurrent use on one engine: the runtime holds one
// registration of wasi_snapshot_preview1 at a time.
func (p *kilnProgram) Run(ctx context.Context, args []string, stdout io.Writer) error {
	var stderr bytes.Buffer
	cfg := wasi.Config{
		Args:   args,
		Stdin:  bytes.NewReader(nil),
		Stdout: stdout,
		Stderr: &stderr,
	}
	code, err := wasi.Run(ctx, p.e.rt, p.cm, cfg)
	if err != nil {
		return fmt.Errorf("%s: run %v: %w (stderr: %s)", p.e.name, args, err, stderr.Bytes())
	}
	if code != 0 {
		return fmt.Errorf("%s: %v exited with code %d: %s", p.e.name, args, code, stderr.Bytes())
	}
	return nil
}
