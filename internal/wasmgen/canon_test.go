package wasmgen

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasm"
)

// runCanonicalize builds a function that pushes bits (as type t, or a
// v128 of two copies) and applies canonicalize for op, and returns the
// result bits (the low 64 bits for v128).
func runCanonicalize(t *testing.T, op wasm.Opcode, vt wasm.ValType, bits uint64) uint64 {
	t.Helper()
	m := &modgen{cfg: Config{CanonicalNaNs: true}}
	f := &fgen{m: m, src: &source{}, temps: map[wasm.ValType]int{}, nanTemps: map[wasm.ValType]int{}}
	e := &f.e
	res := vt
	switch vt {
	case wasm.F32, wasm.F64:
		e.b = append(e.b, constExpr(vt, bits)...)
	case wasm.V128:
		e.op(wasm.OpV128Const)
		e.f64bits(bits)
		e.f64bits(bits)
	}
	f.canonicalize(op.Info())
	switch vt {
	case wasm.F32:
		e.op(wasm.OpI32ReinterpretF32)
		res = wasm.I32
	case wasm.F64:
		e.op(wasm.OpI64ReinterpretF64)
		res = wasm.I64
	case wasm.V128:
		e.op(wasm.OpI64x2ExtractLane)
		e.byte(0)
		res = wasm.I64
	}
	e.op(wasm.OpEnd)
	m.typeIdx = map[string]uint32{}
	m.src = &source{}
	m.start = -1
	m.nGen = 1
	m.memMin, m.memMax, m.tableSize, m.tableMax = 1, 1, 1, 1
	m.passDat = make([]byte, 8)
	m.addFunc(funcType{results: []wasm.ValType{res}}, f.locals, e.b)
	m.exports = []export{{name: "f", fn: 0}}
	bin := m.encode()
	rt := kiln.NewRuntime(kiln.RuntimeConfig{})
	ctx := context.Background()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := inst.Func("f").Call(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return out[0]
}

func TestCanonicalizeKeepsNonArithmeticNaNs(t *testing.T) {
	for _, c := range []struct {
		op       wasm.Opcode
		vt       wasm.ValType
		in, want uint64
	}{
		{wasm.OpF32Add, wasm.F32, 0x3F800000, 0x3F800000}, // number
		{wasm.OpF32Add, wasm.F32, 0xFFC00001, 0x7FC00000}, // arithmetic NaN
		{wasm.OpF32Add, wasm.F32, 0x7FA00000, 0x7FA00000}, // signalling: kept
		{wasm.OpF64Sqrt, wasm.F64, 0x7FFC000000000001, 0x7FF8000000000000},
		{wasm.OpF64Sqrt, wasm.F64, 0xFFF4000000000000, 0xFFF4000000000000},
		{wasm.OpF64Sqrt, wasm.F64, 0x8000000000000000, 0x8000000000000000},
		{wasm.OpF32x4Add, wasm.V128, 0x7FE000003F800000, 0x7FC000003F800000},
		{wasm.OpF32x4Add, wasm.V128, 0x7F80000100000000, 0x7F80000100000000},
		{wasm.OpF64x2Mul, wasm.V128, 0xFFFFFFFFFFFFFFFF, 0x7FF8000000000000},
		{wasm.OpF64x2Mul, wasm.V128, 0x7FF0000000000001, 0x7FF0000000000001},
	} {
		if got := runCanonicalize(t, c.op, c.vt, c.in); got != c.want {
			t.Errorf("%v on %#x: got %#x, want %#x", c.op, c.in, got, c.want)
		}
	}
}
