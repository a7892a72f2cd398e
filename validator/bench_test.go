package validator

import (
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/raceflag"
	"github.com/kilnrt/kiln/wasm"
)

// benchBody is a function body of about n instructions mixing locals,
// arithmetic, memory, blocks, branches and calls: (param i32 i64) (result i32).
func benchBody(n int) ([]byte, int) {
	chunk := code(
		op(wasm.OpLocalGet, 0), i32c(3), op(wasm.OpI32Add), op(wasm.OpLocalSet, 0),
		blk(wasm.OpBlock, btI32),
		op(wasm.OpLocalGet, 0), mem(wasm.OpI32Load, 2, 16),
		op(wasm.OpLocalGet, 0), op(wasm.OpBrIf, 0),
		op(wasm.OpCall, 0),
		op(wasm.OpEnd),
		op(wasm.OpDrop),
		blk(wasm.OpLoop, btEmpty),
		op(wasm.OpLocalGet, 1), i64c(1), op(wasm.OpI64Sub), op(wasm.OpLocalTee, 1),
		op(wasm.OpI64Eqz), op(wasm.OpBrIf, 0),
		op(wasm.OpEnd),
		op(wasm.OpLocalGet, 0), op(wasm.OpF64ConvertI32S), op(wasm.OpDrop),
	)
	chunk = chunk[:len(chunk)-1] // drop the end code() appended
	const perChunk = 23
	var body []byte
	count := 0
	for count+perChunk <= n {
		body = append(body, chunk...)
		count += perChunk
	}
	body = append(body, op(wasm.OpLocalGet, 0)...)
	return append(body, byte(wasm.OpEnd)), count + 2
}

// benchFuncs returns a module of funcs copies of the benchBody(10000)
// function, with that body and its instruction count.
func benchFuncs(funcs int) (m *wasm.Module, body []byte, instrs int) {
	body, instrs = benchBody(10000)
	m = baseModule(vt(i32, i64), vt(i32), nil, body)
	for i := 1; i < funcs; i++ {
		m.Funcs = append(m.Funcs, 0)
		m.Codes = append(m.Codes, m.Codes[0])
	}
	return m, body, instrs
}

func BenchmarkValidate(b *testing.B) {
	const funcs = 20
	m, body, instrs := benchFuncs(funcs)
	if err := ValidateModule(m, wasm.Features2, nil); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(body) * funcs))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ValidateModule(m, wasm.Features2, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(instrs*funcs), "ns/instr")
}

// nopVisitor is the cheapest visitor: it measures the cost of driving one.
type nopVisitor struct{ n int }

func (v *nopVisitor) Begin(*Func) error                    { return nil }
func (v *nopVisitor) Instr(in *wasm.Instr, s *State) error { v.n += s.Height; return nil }
func (v *nopVisitor) End(*Func) error                      { return nil }

func BenchmarkValidateWithVisitor(b *testing.B) {
	body, instrs := benchBody(10000)
	m := baseModule(vt(i32, i64), vt(i32), nil, body)
	v := &nopVisitor{}
	newV := func(uint32) FuncVisitor { return v }
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := ValidateModule(m, wasm.Features2, newV); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(instrs), "ns/instr")
}

// TestNoAllocationPerInstruction checks that the cost in allocations of
// validating a body does not grow with its length.
func TestNoAllocationPerInstruction(t *testing.T) {
	if raceflag.Enabled {
		t.Skip("allocation counts are not meaningful under the race detector (sync.Pool drops items)")
	}
	allocs := func(n int) float64 {
		body, _ := benchBody(n)
		m := baseModule(vt(i32, i64), vt(i32), nil, body)
		v := &nopVisitor{}
		newV := func(uint32) FuncVisitor { return v }
		if err := ValidateModule(m, wasm.Features2, newV); err != nil {
			t.Fatal(err)
		}
		return testing.AllocsPerRun(20, func() {
			if err := ValidateModule(m, wasm.Features2, newV); err != nil {
				t.Fatal(err)
			}
		})
	}
	small, large := allocs(100), allocs(20000)
	if large > small {
		t.Errorf("validating 20000 instructions allocates %v times, 100 instructions %v times", large, small)
	}
}

// BenchmarkTypeCheck measures the type checker alone, on instructions
// decoded beforehand.
func BenchmarkTypeCheck(b *testing.B) {
	body, _ := benchBody(10000)
	m := baseModule(vt(i32, i64), vt(i32), nil, body)
	if err := ValidateModule(m, wasm.Features2, nil); err != nil {
		b.Fatal(err)
	}
	mc := newModuleChecker(m, wasm.Features2)
	for _, step := range []func() error{mc.checkTypes, mc.checkImports, mc.checkIndexSpaces, mc.checkGlobals} {
		if err := step(); err != nil {
			b.Fatal(err)
		}
	}
	r := decoder.NewInstrReader(body, 0, wasm.Features2)
	var instrs []wasm.Instr
	for {
		var in wasm.Instr
		if err := r.Next(&in); err != nil {
			break
		}
		in.Labels = append([]uint32(nil), in.Labels...)
		instrs = append(instrs, in)
	}
	fc := newFuncChecker(mc)
	code := &m.Codes[0]
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := fc.begin(1, mc.funcType(1), code, nil); err != nil {
			b.Fatal(err)
		}
		for j := range instrs {
			if err := fc.step(&instrs[j]); err != nil {
				b.Fatal(err)
			}
		}
		if err := fc.finish(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(instrs)), "ns/instr")
}

// BenchmarkValidateConcurrent is BenchmarkValidate with two workers.
func BenchmarkValidateConcurrent(b *testing.B) {
	const funcs = 20
	m, body, instrs := benchFuncs(funcs)
	cfg := Config{Features: wasm.Features2, Concurrency: 2}
	b.SetBytes(int64(len(body) * funcs))
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if err := Validate(m, cfg, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(instrs*funcs), "ns/instr")
}
