package bench

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

// closer is implemented by kiln objects that hold resources; the suite
// closes them when kiln provides Close and relies on the GC otherwise.
type closer interface{ Close(context.Context) error }

func closeIfCloser(ctx context.Context, v any) error {
	if c, ok := v.(closer); ok {
		return c.Close(ctx)
	}
	return nil
}

// kilnEngine runs modules on kiln's default engine (its interpreter).
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
		closeIfCloser(ctx, rt)
		return nil, "", fmt.Errorf("kiln: host module env: %w", err)
	}
	return []Engine{&kilnEngine{rt: rt}}, "", nil
}

func (e *kilnEngine) Name() string    { return "kiln" }
func (e *kilnEngine) Runtime() string { return "kiln" }
func (e *kilnEngine) Kind() Kind      { return Interpreter }

func (e *kilnEngine) Close(ctx context.Context) error { return closeIfCloser(ctx, e.rt) }

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

func (c *kilnCompiled) Close(ctx context.Context) error { return closeIfCloser(ctx, c.cm) }

func (c *kilnCompiled) Instantiate(ctx context.Context) (Instance, error) {
	inst, err := c.rt.Instantiate(ctx, c.cm, kiln.ModuleConfig{Name: ""})
	if err != nil {
		return nil, fmt.Errorf("kiln: instantiate: %w", err)
	}
	return &kilnInstance{inst: inst}, nil
}

type kilnInstance struct {
	inst *kiln.Instance
}

func (i *kilnInstance) Close(ctx context.Context) error { return closeIfCloser(ctx, i.inst) }

func (i *kilnInstance) Func(name string) (Caller, error) {
	f := i.inst.Func(name)
	if f == nil {
		return nil, fmt.Errorf("kiln: no exported function %q", name)
	}
	return f.Call, nil
}
