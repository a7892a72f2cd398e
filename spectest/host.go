package spectest

import (
	"context"
	"math"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

// instantiateSpectestModule defines the "spectest" host module that the
// suite's scripts import from: print functions that print nothing, four
// globals, a table and a memory, with the limits the suite expects.
func instantiateSpectestModule(ctx context.Context, rt *kiln.Runtime) (*kiln.Instance, error) {
	b := rt.NewHostModule("spectest")
	print := func(params ...wasm.ValType) func(context.Context, *kiln.Caller, []uint64) {
		return func(context.Context, *kiln.Caller, []uint64) {}
	}
	for _, f := range []struct {
		name   string
		params []wasm.ValType
	}{
		{"print", nil},
		{"print_i32", []wasm.ValType{wasm.I32}},
		{"print_i64", []wasm.ValType{wasm.I64}},
		{"print_f32", []wasm.ValType{wasm.F32}},
		{"print_f64", []wasm.ValType{wasm.F64}},
		{"print_i32_f32", []wasm.ValType{wasm.I32, wasm.F32}},
		{"print_f64_f64", []wasm.ValType{wasm.F64, wasm.F64}},
	} {
		b.RawFunc(f.name, wasm.FuncType{Params: f.params}, print(f.params...))
	}
	b.Global("global_i32", wasm.GlobalType{Type: wasm.I32}, kiln.ValueI32(666))
	b.Global("global_i64", wasm.GlobalType{Type: wasm.I64}, kiln.ValueI64(666))
	b.Global("global_f32", wasm.GlobalType{Type: wasm.F32}, kiln.Value{Type: wasm.F32, Lo: uint64(math.Float32bits(666.6))})
	b.Global("global_f64", wasm.GlobalType{Type: wasm.F64}, kiln.Value{Type: wasm.F64, Lo: math.Float64bits(666.6)})
	b.Table("table", wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 10, Max: 20, HasMax: true}})
	b.Table("table64", wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 10, Max: 20, HasMax: true}, Is64: true})
	b.Memory("memory", 1, 2)
	b.MemoryOfType("shared_memory", wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 2, HasMax: true}, Shared: true})
	return b.Instantiate(ctx)
}
