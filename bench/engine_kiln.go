package bench

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// kilnEngine runs modules on kiln's default engine (its register
// interpreter). It implements WASIEngine through package wasi.
type kilnEngine struct {
	rt *kiln.Runtime
}

// kilnEngines returns kiln's interpreter with the env host module
// instantiated. host_inc uses RawFunc, kiln's stack-slice calling
// convention, the counterpart of wazero's api.GoFunc used on the wazero
// side, so that the wasm->host benchmark compares the fast paths.
func kilnEngines(ctx context.Context) ([]Engine, string, error) {
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	i32ToI32 := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
	_, err := rt.NewHostModule("env").
		RawFunc("host_inc", i32ToI32, func(_ context.Context, _ *kiln.Caller, stack []uint64) {
			stack[0] = uint64(uint32(stack[0]) + 1)
		}).
		Instantiate(ctx)
	if err != nil {
		return nil, "", fmt.Errorf("kiln: host module env: %w", err)
	}
	return []Engine{&kilnEngine{rt: rt}}, "", nil
}

func (e *kilnEngine) Name() string    { return "kiln" }
func (e *kilnEngine) Runtime() string { return "kiln" }
func (e *kilnEngine) Kind() Kind      { return Interpreter }

// Close does nothing: a kiln.Runtime holds no resources of its own (the
// instances made in it are closed by the suite).
func (e *kilnEngine) Close(ctx context.Context) error { return nil }

func (e *kilnEngine) Compile(ctx context.Context, bin []byte) (Compiled, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("kiln: compile: %w", err)
	}
	return &kilnCompiled{rt: e.rt, cm: cm}, nil
}

type kilnCompiled struct {
	rt *kiln.Runtime
	cm *kiln.CompiledModule
}

// Close does nothing: a kiln.CompiledModule is plain memory, released by
// the garbage collector.
func (c *kilnCompiled) Close(ctx context.Context) error { return nil }

func (c *kilnCompiled) Instantiate(ctx context.Context) (Instance, error) {
	inst, err := c.rt.Instantiate(ctx, c.cm, kiln.ModuleConfig{})
	if err != nil {
		return nil, fmt.Errorf("kiln: instantiate: %w", err)
	}
	return &kilnInstance{inst: inst}, nil
}

type kilnInstance struct {
	inst *kiln.Instance
}

func (i *kilnInstance) Close(ctx context.Context) error { return i.inst.Close(ctx) }

func (i *kilnInstance) Func(name string) (Caller, error) {
	f := i.inst.Func(name)
	if f == nil {
		return nil, fmt.Errorf("kiln: no exported function %q", name)
	}
	return f.Call, nil
}

func (e *kilnEngine) CompileWASI(ctx context.Context, bin []byte) (WASIProgram, error) {
	cm, err := e.rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("kiln: compile: %w", err)
	}
	return &kilnProgram{rt: e.rt, cm: cm}, nil
}

// kilnProgram runs a WASI command with wasi.Run: every Run creates a
// fresh guest process (its own wasi.System, registered in the engine's
// runtime in place of the previous one), instantiates the module and
// calls _start, like wazero's InstantiateModule of a command does.
type kilnProgram struct {
	rt *kiln.Runtime
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
	code, err := wasi.Run(ctx, p.rt, p.cm, cfg)
	if err != nil {
		return fmt.Errorf("kiln: run %v: %w (stderr: %s)", args, err, stderr.Bytes())
	}
	if code != 0 {
		return fmt.Errorf("kiln: %v exited with code %d: %s", args, code, stderr.Bytes())
	}
	return nil
}
