//go:build linux && (amd64 || arm64)

package gentest

import (
	"errors"
	"math/rand"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/decoder"
	"github.com/kilnrt/kiln/internal/wasmgen"
	"github.com/kilnrt/kiln/jit/internal/jittest"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

type specModule struct {
	m     *wasm.Module
	e     *Native
	memOK bool // the harness made the module's memory (or it has none)
	// globalsOK: the harness initialised the module's globals.
	globalsOK bool
	// tainted: a call the harness could not run (no IR) may have changed
	// the module's state, so later results cannot be compared.
	tainted bool
}

// run calls fn for its effect (natively or on the IR), tainting the
// module when the harness cannot run it.
func (s *specModule) run(fn uint32, args []uint64) {
	if s.e.Funcs[fn] == nil {
		s.tainted = true
		return
	}
	Mask(s.e.Funcs[fn].Sig.Params, args)
	s.e.Budget = 10_000_000
	var err error
	if s.e.IsNative(fn) {
		_, err = s.e.Run(fn, args, 10_000_000)
	} else {
		_, err = s.e.Call(fn, args)
	}
	if errors.Is(err, ErrSkip) || errors.Is(err, ErrFuel) || errors.Is(err, ir.ErrNoMemory) {
		s.tainted = true
	}
}

// scalarArgs are the argument slots of vals (a v128 takes two).
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

func (s *specModule) export(name string) (uint32, bool) {
	for _, x := range s.m.Exports {
		if x.Name == name && x.Kind == wasm.ExternFunc {
			return x.Index, true
		}
	}
	return 0, false
}

// SpecNative compiles every module of the 2.0 suite (what the front
// end and Check accept) and runs each assert_return and assert_trap whose
// function was compiled natively, comparing with the suite's expected
// results; functions not compiled run on their IR when compiled code
// calls them. Modules with globals, memories or imports reached are
// left out (the harness gives them no instance).
func SpecNative(t *testing.T, b Backend) {
	var nativeFns, irOnly, noIR, checked, notNative int
	jittest.Scripts(t, func(file string, script *wast.Script) {
		var cur *specModule
		named := map[string]*specModule{}
		for _, c := range script.Commands {
			var act *wast.Action
			var want []wast.Result
			trap := ""
			switch c := c.(type) {
			case *wast.ModuleCommand:
				cur = nil
				if c.Module.Binary != nil && !c.Module.Definition {
					m, err := decoder.Decode(c.Module.Binary, wasm.Features2)
					if err == nil {
						funcs := BuildModule(t, m)
						mem, err := ModuleMemory(m)
						if err != nil {
							t.Fatal(err)
						}
						globals, globalsOK := ModuleGlobals(m)
						e, n := Compile(t, b, funcs, len(globals), mem)
						for i, g := range globals {
							e.Globals.W[rt.GlobalWords*i] = g
						}
						nativeFns += n
						for _, f := range funcs[m.NumImportedFuncs:] {
							switch {
							case f == nil:
								noIR++
							case b.Check(f) != nil:
								irOnly++
							}
						}
						cur = &specModule{m: m, e: e, memOK: mem != nil || len(m.Mems) == 0 && m.NumImportedMems == 0, globalsOK: globalsOK}
						if m.HasStart {
							cur.run(m.Start, nil)
						}
					}
				}
				if c.Module.ID != "" {
					named[c.Module.ID] = cur
				}
				continue
			case *wast.AssertReturn:
				act, want = c.Action, c.Expected
			case *wast.AssertTrap:
				act, trap = c.Action, c.Message
			case *wast.AssertExhaustion:
				act, trap = c.Action, c.Message
			case *wast.RegisterCommand:
				// Modules that import its memory or globals may write them.
				mod := cur
				if c.Module != "" {
					mod = named[c.Module]
				}
				if mod != nil {
					for _, x := range mod.m.Exports {
						if x.Kind == wasm.ExternMemory || x.Kind == wasm.ExternGlobal {
							mod.tainted = true
						}
					}
				}
				continue
			case *wast.ActionCommand:
				// run for its effect on the module's state
				mod := cur
				if a := c.Action; a != nil && a.Kind == wast.ActionInvoke {
					if a.Module != "" {
						mod = named[a.Module]
					}
					if mod != nil {
						fn, found := mod.export(a.Name)
						args, ok := scalarArgs(a.Args)
						if !found || !ok {
							mod.tainted = true
						} else {
							mod.run(fn, args)
						}
					}
				}
				continue
			default:
				continue
			}
			if act == nil || act.Kind != wast.ActionInvoke {
				continue
			}
			mod := cur
			if act.Module != "" {
				mod = named[act.Module]
			}
			if mod == nil {
				notNative++
				continue
			}
			fn, found := mod.export(act.Name)
			if found && !mod.e.IsNative(fn) {
				// keep the module's state: run it on its IR if there is one
				if args, ok := scalarArgs(act.Args); ok {
					mod.run(fn, args)
				} else {
					mod.tainted = true
				}
			}
			if !found || !mod.e.IsNative(fn) || !mod.globalsOK || !mod.memOK || mod.tainted {
				notNative++
				continue
			}
			args, ok := scalarArgs(act.Args)
			var wantBits []uint64
			for _, r := range want {
				if r.Kind != wast.ResultValue || !scalar(r.Value.Type) {
					ok = false
					break
				}
				wantBits = append(wantBits, r.Value.Lo)
				if r.Value.Type == wasm.V128 {
					wantBits = append(wantBits, r.Value.Hi)
				}
			}
			if !ok {
				notNative++
				continue
			}
			f := mod.e.Funcs[fn]
			Mask(f.Sig.Params, args)
			if len(wantBits) != ir.SlotCount(f.Sig.Results) && trap == "" {
				t.Fatalf("%v: %d result slots expected of a function with %d", act.Pos, len(wantBits), ir.SlotCount(f.Sig.Results))
			}
			if trap == "" {
				Mask(f.Sig.Results, wantBits)
			}
			mod.e.Budget = 10_000_000
			got, err := mod.e.Run(fn, args, 10_000_000)
			if errors.Is(err, ErrSkip) {
				mod.tainted = true
				notNative++
				continue
			}
			var te *ir.TrapError
			switch {
			case trap != "":
				if !errors.As(err, &te) || !strings.HasPrefix(te.Message, trap) {
					t.Errorf("%v: %s: got %v, %v; want trap %q", act.Pos, act.Name, got, err, trap)
				}
			case err != nil:
				t.Errorf("%v: %s: %v", act.Pos, act.Name, err)
			case !SameResult(f, got, wantBits):
				t.Errorf("%v: %s%v = %v, want %v\n%v", act.Pos, act.Name, args, got, wantBits, f)
			}
			checked++
		}
	})
	t.Logf("functions: %d native, %d with IR the back end does not take, %d without IR; assertions: %d run natively, %d not", nativeFns, irOnly, noIR, checked, notNative)
	if checked < 1000 {
		t.Errorf("only %d assertions ran natively", checked)
	}
}

func scalar(t wasm.ValType) bool {
	return t == wasm.I32 || t == wasm.I64 || t == wasm.F32 || t == wasm.F64 || t == wasm.V128
}

// RandomModules compiles random valid modules
// (internal/wasmgen) and compares every compiled function, run natively
// on random arguments, with the IR's reference run: results, traps and
// global values.
func RandomModules(t *testing.T, backends []Backend, n int) {
	fns, runs := 0, 0
	for _, target := range backends {
		for seed := int64(0); seed < int64(n); seed++ {
			rng := rand.New(rand.NewSource(seed))
			data := make([]byte, 64+rng.Intn(2048))
			rng.Read(data)
			bin := wasmgen.Generate(data, wasmgen.Config{NoSIMD: true, NoRefTypes: true})
			m, err := decoder.Decode(bin, wasm.Features2)
			if err != nil {
				t.Fatalf("seed %d: %v", seed, err)
			}
			funcs := BuildModule(t, m)
			nglobals := int(m.NumImportedGlobals) + len(m.Globals)
			mem, err := ModuleMemory(m)
			if err != nil {
				t.Fatal(err)
			}
			if mem == nil && (len(m.Mems) > 0 || m.NumImportedMems > 0) {
				continue // a memory the harness cannot make
			}
			e, k := Compile(t, target, funcs, nglobals, mem)
			fns += k
			for fn, f := range funcs {
				if !e.IsNative(uint32(fn)) {
					continue
				}
				for try := 0; try < 4; try++ {
					args := make([]uint64, len(f.Sig.Params))
					for i, p := range f.Sig.Params {
						args[i] = RandomBits(rng, p)
					}
					var outs [2]string
					var globals [2][]uint64
					var mems [2][]byte
					for side := range outs {
						for i := range e.Globals.W {
							e.Globals.W[i] = 40 + uint64(i)
						}
						if mem != nil {
							if err := mem.Init(); err != nil {
								t.Fatal(err)
							}
						}
						e.Budget = 100_000
						var res []uint64
						var err error
						if side == 0 {
							res, err = ir.Run(f, e, args, &e.Budget)
							if errors.Is(err, ir.ErrFuel) {
								err = ErrFuel
							}
							if errors.Is(err, ir.ErrNoTable) {
								err = ErrSkip
							}
						} else {
							res, err = e.Run(uint32(fn), args, 100_000)
						}
						if res != nil {
							Mask(f.Sig.Results, res)
						}
						outs[side] = Outcome(res, err)
						globals[side] = append([]uint64(nil), e.Globals.W...)
						if mem != nil {
							mems[side] = append([]byte(nil), mem.Cur...)
						}
					}
					if strings.Contains(outs[0], ErrSkip.Error()) || strings.Contains(outs[0], ErrFuel.Error()) || strings.Contains(outs[1], ErrFuel.Error()) {
						continue
					}
					if outs[0] != outs[1] || !equalBits(globals[0], globals[1]) || string(mems[0]) != string(mems[1]) {
						t.Errorf("%v seed %d f%d%#x: IR %s globals %v, native %s globals %v\n%v", target, seed, fn, args, outs[0], globals[0], outs[1], globals[1], f)
					}
					runs++
				}
			}
		}
	}
	t.Logf("%d random modules per target: %d functions native, %d runs compared", n, fns, runs)
	if runs == 0 {
		t.Error("nothing compared")
	}
}

func equalBits(a, b []uint64) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return len(a) == len(b)
}
