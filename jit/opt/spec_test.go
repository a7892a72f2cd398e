package opt

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/jit/front"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// errSkip marks an invocation that reaches outside what the IR alone can
// run (imported functions, functions not compiled, globals).
var errSkip = errors.New("needs more than the IR")

// irModule runs a module's functions from their IR.
type irModule struct {
	m     *wasm.Module
	funcs map[uint32]*ir.Func
	steps int
}

func (e *irModule) Call(fn uint32, args []uint64) ([]uint64, error) {
	f := e.funcs[fn]
	if f == nil {
		return nil, errSkip
	}
	return ir.Run(f, e, args, &e.steps)
}
func (e *irModule) GlobalGet(uint32) (uint64, error) { return 0, errSkip }
func (e *irModule) GlobalSet(uint32, uint64) error   { return errSkip }
func (e *irModule) GlobalGetV128(uint32) (numeric.V128, error) {
	return numeric.V128{}, errSkip
}
func (e *irModule) GlobalSetV128(uint32, numeric.V128) error { return errSkip }

func (e *irModule) export(name string) (uint32, bool) {
	for _, x := range e.m.Exports {
		if x.Name == name && x.Kind == wasm.ExternFunc {
			return x.Index, true
		}
	}
	return 0, false
}

func load(t *testing.T, bin []byte, optimise bool) *irModule {
	m, err := decoder.Decode(bin, wasm.Features2)
	if err != nil {
		return nil
	}
	res, err := front.Build(m, validator.Config{Features: wasm.Features2})
	if err != nil {
		t.Fatalf("module that the suite instantiates fails validation: %v", err)
	}
	e := &irModule{m: m, funcs: map[uint32]*ir.Func{}}
	for _, r := range res {
		if r.Func == nil {
			continue
		}
		if optimise {
			Run(r.Func)
			if err := ir.Verify(r.Func); err != nil {
				t.Fatalf("after opt.Run: %v\n%v", err, r.Func)
			}
		}
		e.funcs[r.Index] = r.Func
	}
	return e
}

// scalar reports whether t is a type whose values the IR carries as bits
// (a v128 as two slots, low half first).
func scalar(t wasm.ValType) bool {
	return t == wasm.I32 || t == wasm.I64 || t == wasm.F32 || t == wasm.F64 || t == wasm.V128
}

func scalarArgs(vals []wast.Value) ([]uint64, bool) {
	var out []uint64
	for _, v := range vals {
		if !scalar(v.Type) {
			return nil, false
		}
		out = append(out, v.Lo)
		if v.Type == wasm.V128 {
			out = append(out, v.Hi)
		}
	}
	return out, true
}

// TestSpecResults runs every assert_return and assert_trap of the 2.0
// suite whose function the IR can run alone (integer and float values
// compared bit for bit, NaN patterns left out; no imports, globals or
// memory reached), on the front end's IR as built and after
// the passes, and compares with the suite's expected results.
func TestSpecResults(t *testing.T) {
	checked, skipped := 0, 0
	jittest.Scripts(t, func(file string, script *wast.Script) {
		var cur [2]*irModule // as built, optimised
		named := map[string][2]*irModule{}
		for _, c := range script.Commands {
			var act *wast.Action
			var want []wast.Result
			trap := ""
			switch c := c.(type) {
			case *wast.ModuleCommand:
				cur = [2]*irModule{}
				if c.Module.Binary != nil && !c.Module.Definition {
					cur = [2]*irModule{load(t, c.Module.Binary, false), load(t, c.Module.Binary, true)}
				}
				if c.Module.ID != "" {
					named[c.Module.ID] = cur
				}
				continue
			case *wast.AssertReturn:
				act, want = c.Action, c.Expected
			case *wast.AssertTrap:
				act, trap = c.Action, c.Message
			default:
				continue
			}
			if act == nil || act.Kind != wast.ActionInvoke {
				continue
			}
			mods := cur
			if act.Module != "" {
				mods = named[act.Module]
			}
			args, ok := scalarArgs(act.Args)
			if !ok || mods[0] == nil {
				skipped++
				continue
			}
			var wantBits []uint64
			for _, r := range want {
				if r.Kind != wast.ResultValue || !scalar(r.Value.Type) {
					ok = false
					break
				}
				switch r.Value.Type {
				case wasm.I32, wasm.F32:
					wantBits = append(wantBits, uint64(uint32(r.Value.Lo)))
				case wasm.V128:
					wantBits = append(wantBits, r.Value.Lo, r.Value.Hi)
				default:
					wantBits = append(wantBits, r.Value.Lo)
				}
			}
			if !ok {
				skipped++
				continue
			}
			for stage, e := range mods {
				fn, found := e.export(act.Name)
				if !found || e.funcs[fn] == nil {
					skipped++
					break
				}
				e.steps = 10_000_000
				got, err := e.Call(fn, args)
				if errors.Is(err, errSkip) || errors.Is(err, ir.ErrNoMemory) || errors.Is(err, ir.ErrNoTable) {
					skipped++
					break
				}
				name := [2]string{"as built", "optimised"}[stage]
				var te *ir.TrapError
				switch {
				case trap != "":
					if !errors.As(err, &te) || !strings.HasPrefix(te.Message, trap) {
						t.Errorf("%s:%v: %s %s: got %v, %v; want trap %q", file, act.Pos, name, act.Name, got, err, trap)
					}
				case err != nil:
					t.Errorf("%s:%v: %s %s: %v", file, act.Pos, name, act.Name, err)
				default:
					i := 0
					for _, t := range e.funcs[fn].Sig.Results {
						if t == ir.I32 || t == ir.F32 {
							got[i] = uint64(uint32(got[i]))
						}
						i += ir.SlotCount([]ir.Type{t})
					}
					if !slices.Equal(got, wantBits) {
						t.Errorf("%s:%v: %s %s%v = %v, want %v\n%v", file, act.Pos, name, act.Name, args, got, wantBits, e.funcs[fn])
					}
				}
				checked++
			}
		}
	})
	t.Logf("%d results checked on the IR (as built and optimised), %d assertions out of its reach", checked, skipped)
	if checked < 1000 {
		t.Errorf("only %d results checked", checked)
	}
}
