package bench

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/imports/wasi_snapshot_preview1"
	"github.com/tetratelabs/wazero/sys"
)

// wazeroEngine runs modules on wazero with one runtime configuration.
type wazeroEngine struct {
	name string
	kind Kind
	rt   wazero.Runtime
}

// NewWazero returns wazero's interpreter (kind Interpreter) or its
// optimising compiler (kind Compiler), with the env host module and WASI
// preview 1 instantiated.
func NewWazero(ctx context.Context, kind Kind) (Engine, error) {
	var cfg wazero.RuntimeConfig
	var name string
	switch kind {
	case Interpreter:
		cfg, name = wazero.NewRuntimeConfigInterpreter(), "wazero-interp"
	case Compiler:
		cfg, name = wazero.NewRuntimeConfigCompiler(), "wazero-compiler"
	default:
		return nil, fmt.Errorf("wazero: unknown engine kind %q", kind)
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	_, err := rt.NewHostModuleBuilder("env").
		NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(_ context.Context, stack []uint64) {
			stack[0] = uint64(uint32(stack[0]) + 1)
		}), []api.ValueType{api.ValueTypeI32}, []api.ValueType{api.ValueTypeI32}).
		Export("host_inc").
		Instantiate(ctx)
	if err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("%s: host module env: %w", name, err)
	}
	if _, err := wasi_snapshot_preview1.Instantiate(ctx, rt); err != nil {
		rt.Close(ctx)
		return nil, fmt.Errorf("%s: wasi: %w", name, err)
	}
	return &wazeroEngine{name: name, kind: kind, rt: rt}, nil
}

func (e *wazeroEngine) Name() string    { return e.name }
func (e *wazeroEngine) Runtime() string { return "wazero" }
func (e *wazeroEngine) Kind() Kind      { return e.kind }

func (e *wazeroEngine) Close(ctx context.Context) error { return e.rt.Close(ctx) }

func (e *wazeroEngine) Caches() bool { return e.kind == Compiler }

func (e *wazeroEngine) CachedCompiler(ctx context.Context, dir string) (func(context.Context, []byte) error, func(), error) {
	cache, err := wazero.NewCompilationCacheWithDir(dir)
	if err != nil {
		return nil, nil, err
	}
	cfg := wazero.NewRuntimeConfigInterpreter()
	if e.kind == Compiler {
		cfg = wazero.NewRuntimeConfigCompiler()
	}
	rt := wazero.NewRuntimeWithConfig(ctx, cfg.WithCompilationCache(cache))
	compile := func(ctx context.Context, bin []byte) error {
		cm, err := rt.CompileModule(ctx, bin)
		if err != nil {
			return fmt.Errorf("%s: compile: %w", e.name, err)
		}
		return cm.Close(ctx)
	}
	release := func() {
		rt.Close(ctx)
		cache.Close(ctx)
	}
	return compile, release, nil
}

func (e *wazeroEngine) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", e.name, err)
	}
	return &wazeroCompiled{e: e, cm: cm}, nil
}

type wazeroCompiled struct {
	e  *wazeroEngine
	cm wazero.CompiledModule
}

func (c *wazeroCompiled) Close(ctx context.Context) error { return c.cm.Close(ctx) }

func (c *wazeroCompiled) Instantiate(ctx context.Context) (Instance, error) {
	mod, err := c.e.rt.InstantiateModule(ctx, c.cm, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		return nil, fmt.Errorf("%s: instantiate: %w", c.e.name, err)
	}
	return &wazeroInstance{name: c.e.name, mod: mod}, nil
}

type wazeroInstance struct {
	name string
	mod  api.Module
}

func (i *wazeroInstance) Close(ctx context.Context) error { return i.mod.Close(ctx) }

func (i *wazeroInstance) Func(name string) (Caller, error) {
	f := i.mod.ExportedFunction(name)
	if f == nil {
		return nil, fmt.Errorf("%s: no exported function %q", i.name, name)
	}
	return f.Call, nil
}

func (e *wazeroEngine) CompileWASI(ctx context.Context, bin []byte) (WASIProgram, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("%s: compile: %w", e.name, err)
	}
	return &wazeroProgram{e: e, cm: cm}, nil
}

type wazeroProgram struct {
	e  *wazeroEngine
	cm wazero.CompiledModule
}

func (p *wazeroProgram) Close(ctx context.Context) error { return p.cm.Close(ctx) }

func (p *wazeroProgram) Run(ctx context.Context, args []string, stdout io.Writer) error {
	var stderr bytes.Buffer
	cfg := wazero.NewModuleConfig().
		WithName("").
		WithArgs(args...).
		WithStdout(stdout).
		WithStderr(&stderr).
		WithSysWalltime().
		WithSysNanotime().
		WithSysNanosleep()
	mod, err := p.e.rt.InstantiateModule(ctx, p.cm, cfg)
	var exit *sys.ExitError
	if errors.As(err, &exit) {
		if exit.ExitCode() != 0 {
			return fmt.Errorf("%s: %v exited with code %d: %s", p.e.name, args, exit.ExitCode(), stderr.Bytes())
		}
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: run %v: %w (stderr: %s)", p.e.name, args, err, stderr.Bytes())
	}
	return mod.Close(ctx)
}
