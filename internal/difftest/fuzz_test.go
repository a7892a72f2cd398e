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
// with arguments from the input under a call-depth limit, and requires
// that kiln never panics, accepts and instantiates the (valid) module, and
// ends every call with results of the right types, a trap or fuel
// exhaustion. It runs the module three times on fresh instances: without
// fuel through Func.CallValues, then on a second instance of the same
// compiled module through Func.Call (raw slots, for functions without
// references), which must agree exactly, and with
// a small fuel budget, which must agree up to the first call that runs out
// of fuel.
func FuzzEngine(f *testing.F) {
	for seed := int64(0); seed < 12; seed++ {
		f.Add(seedBytes(seed, 2048), seedBytes(seed+100, 64))
	}
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, gen, argBytes []byte) {
		cfg := wasmgen.Config{}
		if len(gen) > 0 {
			cfg.CanonicalNaNs = gen[0]&1 == 1
			cfg.HostImports = gen[0]&2 == 2
		}
		bin := wasmgen.Generate(gen, cfg)
		ctx := context.Background()
		run := func(rt *kiln.Runtime, h *Host, cm *kiln.CompiledModule, raw bool) []Outcome {
			a := &argSource{b: argBytes}
			out, err := RunCompiled(ctx, rt, cm, RunOptions{Args: a.args, Raw: raw, BeforeCall: h.Reset})
			if err != nil {
				t.Fatalf("fuel %d, raw %v: %v\noutcomes so far:\n%s", rt.Config().Fuel, raw, err, outcomesString(out))
			}
			return out
		}
		compile := func(fuel uint64) (*kiln.Runtime, *Host, *kiln.CompiledModule) {
			rt := kiln.NewRuntime(kiln.RuntimeConfig{Fuel: fuel, MaxCallDepth: 300, MaxMemoryPages: 8})
			h, err := RegisterHost(ctx, rt)
			if err != nil {
				t.Fatal(err)
			}
			cm, err := rt.CompileModule(ctx, bin)
			if err != nil {
				t.Fatalf("valid module rejected: %v", err)
			}
			return rt, h, cm
		}
		// Two instances of one compiled module, one after the other.
		rt, h, cm := compile(0)
		values, raw := run(rt, h, cm, false), run(rt, h, cm, true)
		frt, fh, fcm := compile(20_000)
		fueled := run(frt, fh, fcm, false)
		if a, b := outcomesString(values), outcomesString(raw); a != b {
			t.Fatalf("CallValues and Call disagree:\n%s\nvs\n%s", a, b)
		}
		for i := range fueled {
			if fueled[i].Inconclusive != "" {
				break
			}
			if a, b := values[i].String(), fueled[i].String(); a != b {
				t.Fatalf("with and without fuel disagree at call %d:\n%s\nvs\n%s", i, a, b)
			}
		}
	})
}
