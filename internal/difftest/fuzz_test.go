package difftest

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
	"github.com/kilnrt/kiln/wasm"
)

// argSource derives call arguments from fuzz input.
type argSource struct {
	b   []byte
	pos int
}

func (a *argSource) u64() uint64 {
	var buf [8]byte
	for i := range buf {
		if a.pos < len(a.b) {
			buf[i] = a.b[a.pos]
			a.pos++
		}
	}
	return binary.LittleEndian.Uint64(buf[:])
}

func (a *argSource) args(fn *kiln.Func) []kiln.Value {
	var out []kiln.Value
	for _, t := range fn.Type().Params {
		switch t {
		case wasm.V128:
			out = append(out, kiln.ValueV128(a.u64(), a.u64()))
		case wasm.FuncRef:
			out = append(out, kiln.ValueNullRef(t))
		case wasm.ExternRef:
			if a.u64()&1 == 0 {
				out = append(out, kiln.ValueNullRef(t))
			} else {
				out = append(out, kiln.ValueExtern(fmt.Sprint("host", a.pos)))
			}
		default:
			out = append(out, kiln.Value{Type: t, Lo: a.u64()})
		}
	}
	return out
}

func outcomesString(os []Outcome) string {
	var sb strings.Builder
	for _, o := range os {
		sb.WriteString(o.String())
		sb.WriteByte('\n')
	}
	return sb.String()
}

// FuzzEngine generates a module from the fuzz input, runs every export
// with arguments from the input under fuel and a call-depth limit, and
// requires that kiln never panics, accepts and instantiates the (valid)
// module, and ends every call with results of the right types, a trap or
// fuel exhaustion. It runs the module twice on fresh instances and
// requires the same outcomes (kiln is deterministic).
func FuzzEngine(f *testing.F) {
	for seed := int64(0); seed < 8; seed++ {
		f.Add(seedBytes(seed, 2048), seedBytes(seed+100, 64))
	}
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, gen, argBytes []byte) {
		cfg := wasmgen.Config{}
		if len(gen) > 0 && gen[0]&1 == 1 {
			cfg.CanonicalNaNs = true
		}
		bin := wasmgen.Generate(gen, cfg)
		ctx := context.Background()
		var runs [2]string
		for i := range runs {
			rt := kiln.NewRuntime(kiln.RuntimeConfig{Fuel: 200_000, MaxCallDepth: 300, MaxMemoryPages: 8})
			a := &argSource{b: argBytes}
			out, err := RunKiln(ctx, rt, bin, a.args)
			if err != nil {
				t.Fatalf("%v\noutcomes so far:\n%s", err, outcomesString(out))
			}
			runs[i] = outcomesString(out)
		}
		if runs[0] != runs[1] {
			t.Fatalf("two instances of the same module disagree:\n%s\nvs\n%s", runs[0], runs[1])
		}
	})
}
