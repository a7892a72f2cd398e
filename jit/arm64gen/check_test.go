package arm64gen

import (
	"errors"
	"testing"

	"github.com/kilnrt/kiln/arm64"
	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/jit/internal/gentest"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// v128 values are lowered, in parameters, results and call signatures;
// a SIMD operation without a lowering (here a shuffle whose lane indices
// are not constant) sends its function to the interpreter.
func TestCheckV128(t *testing.T) {
	sig := ir.Signature{Params: []ir.Type{ir.V128}}
	withParam := ir.NewFunc("p", sig)
	withParam.Entry().Return()
	callsV128 := ir.NewFunc("c", ir.Signature{})
	b := callsV128.Entry()
	b.Call(0, &ir.Signature{Results: []ir.Type{ir.V128, ir.I32}})
	b.Return()
	shuffle := ir.NewFunc("s", ir.Signature{Params: []ir.Type{ir.V128, ir.V128}, Results: []ir.Type{ir.V128}})
	sb := shuffle.Entry()
	x, y := sb.Params[0], sb.Params[1]
	sb.Return(sb.Append(ir.OpSIMD, ir.V128, ir.SIMDAux(wasm.OpI8x16Shuffle, 0), x, y, y))
	for _, f := range []*ir.Func{withParam, callsV128} {
		if err := Check(f); err != nil {
			t.Errorf("%s: %v", f.Name, err)
		}
	}
	if err := Check(shuffle); !errors.Is(err, ErrUnsupported) {
		t.Errorf("%s: Check = %v, want ErrUnsupported", shuffle.Name, err)
	}
	if _, err := Compile([]*ir.Func{withParam, callsV128}, arm64.Baseline); err != nil {
		t.Fatal(err)
	}
}

// Every function of the 2.0 suite's modules that Check takes compiles
// (the encoder refuses no operand the lowering gives it); on any host,
// the code is only assembled.
func TestCompileSpecModules(t *testing.T) {
	funcs, taken := 0, 0
	left := map[string]int{} // why Check refused, by reason
	jittest.Scripts(t, func(file string, script *wast.Script) {
		for _, c := range script.Commands {
			mc, ok := c.(*wast.ModuleCommand)
			if !ok || mc.Module.Binary == nil || mc.Module.Definition {
				continue
			}
			m, err := decoder.Decode(mc.Module.Binary, wasm.Features2)
			if err != nil {
				continue
			}
			fs := gentest.BuildModule(t, m)
			for i, f := range fs {
				if f == nil {
					continue
				}
				funcs++
				if err := Check(f); err != nil {
					left[err.Error()]++
					fs[i] = nil
					continue
				}
				taken++
			}
			for _, opts := range []Options{{}, {CountDepth: true}} {
				if _, err := CompileWith(fs, arm64.Baseline, 0x10000, opts); err != nil {
					t.Fatalf("%s: %v", file, err)
				}
			}
		}
	})
	t.Logf("%d functions, %d compiled; left to the interpreter: %v", funcs, taken, left)
	if taken == 0 {
		t.Error("nothing compiled")
	}
}
