package kiln

import (
	"context"
	"errors"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/interp"
	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// shadowEngine is a second engine for tests, standing where a JIT will: it
// compiles the functions pick selects with the interpreter's translator
// but owns them as its own code (*shadowCode), which its executor runs on
// a private interpreter machine through a copy of the store.Function. To
// the runtime's interpreter such a function is foreign, and to the
// shadow's machine every interpreter function is foreign too, so every
// call between the two crosses the engine boundary (engine.Caller) in
// one direction or the other. It returns the interpreter's code for the
// other functions, which the runtime's second engine runs, as a JIT
// leaves its fallbacks.
type shadowEngine struct {
	pick func(funcIndex uint32) bool
}

type shadowCode struct{ inner any }

func (shadowEngine) Name() string { return "shadow" }

func (e shadowEngine) NewCompiler(m *wasm.Module) engine.Compiler {
	return &shadowCompiler{inner: interp.NewEngine().NewCompiler(m), pick: e.pick, imports: m.NumImportedFuncs}
}

func (shadowEngine) Owns(code any) bool {
	_, ok := code.(*shadowCode)
	return ok
}

func (shadowEngine) CodeFormat() uint32 { return 0x5ad0 }

// AppendCodes serializes the interpreter code inside.
func (shadowEngine) AppendCodes(b []byte, codes []any) ([]byte, error) {
	inner := make([]any, len(codes))
	for i, c := range codes {
		sc, ok := c.(*shadowCode)
		if !ok {
			return nil, fmt.Errorf("shadow: code of type %T", c)
		}
		inner[i] = sc.inner
	}
	return interp.NewEngine().AppendCodes(b, inner)
}

func (shadowEngine) DecodeCodes(m *wasm.Module, b []byte, alias bool) ([]any, error) {
	codes, err := interp.NewEngine().DecodeCodes(m, b, alias)
	for i, c := range codes {
		codes[i] = &shadowCode{c}
	}
	return codes, err
}

func (shadowEngine) NewExecutor(cfg engine.ExecConfig) engine.Executor {
	return shadowExec{interp.NewEngine().NewExecutor(cfg)}
}

type shadowCompiler struct {
	inner   engine.Compiler
	pick    func(uint32) bool
	imports uint32
}

func (c *shadowCompiler) Visitor(funcIndex uint32) validator.FuncVisitor {
	return c.inner.Visitor(funcIndex)
}

func (c *shadowCompiler) Codes() []any {
	codes := c.inner.Codes()
	for i, code := range codes {
		if c.pick(uint32(i) + c.imports) {
			codes[i] = &shadowCode{code}
		}
	}
	return codes
}

type shadowExec struct{ inner engine.Executor }

func (x shadowExec) Slots(n int) ([]uint64, []any) { return x.inner.Slots(n) }

func (x shadowExec) Run(ctx context.Context, f *store.Function, fuel *engine.Fuel) error {
	if f.Host == nil {
		sc, ok := f.Code.(*shadowCode)
		if !ok {
			return fmt.Errorf("shadow: asked to run code of type %T", f.Code)
		}
		g := *f
		g.Code = sc.inner
		f = &g
	}
	return x.inner.Run(ctx, f, fuel)
}

// mixedRuntime returns a runtime whose first engine (reported as
// EngineJIT) is a shadowEngine taking the functions pick selects, with
// the interpreter running the others.
func mixedRuntime(cfg RuntimeConfig, pick func(uint32) bool) *Runtime {
	rt := NewRuntime(cfg)
	rt.cfg.Engine = EngineJIT
	rt.engineErr = nil
	rt.initEngines([]engine.Engine{shadowEngine{pick}, interp.NewEngine()}, nil)
	return rt
}

func oddIndex(i uint32) bool { return i%2 == 1 }

// crossWAT's functions alternate between the engines in a mixed runtime
// (odd indices in the shadow engine): each call below crosses the
// boundary.
const crossWAT = `(module
  (type $i2i (func (param i32) (result i32)))
  (tag $e (param i32))
  (table funcref (elem $even $odd))
  ;; 0: even(n) = n is even, by mutual recursion with odd (direct calls)
  (func $even (export "even") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (call $odd (i32.sub (local.get 0) (i32.const 1))))))
  ;; 1
  (func $odd (export "odd") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (call $even (i32.sub (local.get 0) (i32.const 1))))))
  ;; 2: the same through tail calls
  (func $even_tail (export "even_tail") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 1))
      (else (return_call $odd_tail (i32.sub (local.get 0) (i32.const 1))))))
  ;; 3
  (func $odd_tail (export "odd_tail") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))
      (else (return_call $even_tail (i32.sub (local.get 0) (i32.const 1))))))
  ;; 4: through the table: parity(n) = odd(n) via call_indirect
  (func $parity (export "parity") (param i32) (result i32)
    (call_indirect (type $i2i) (local.get 0) (i32.const 1)))
  ;; 5: down(n) recurses to 0 across the boundary, then traps in 6
  (func $down (export "down") (param i32) (result i32)
    (if (result i32) (i32.eqz (local.get 0)) (then (call $boom (i32.const 0)))
      (else (call $down_odd (i32.sub (local.get 0) (i32.const 1))))))
  ;; 6
  (func $boom (param i32) (result i32) unreachable)
  ;; 7
  (func $down_odd (param i32) (result i32) (call $down (local.get 0)))
  ;; 8: catch(n) catches what throw (9, the other engine) throws
  (func (export "catch") (param i32) (result i32)
    (block $h (result i32)
      (try_table (catch $e $h) (call $throw (local.get 0)))
      (i32.const -1)))
  ;; 9
  (func $throw (param i32) (throw $e (i32.add (local.get 0) (i32.const 1))))
)`

// TestCrossEngineCalls: in a runtime with two engines, functions of one
// call functions of the other in both directions (direct, tail and
// indirect calls), with the results of the interpreter alone, and
// traps, exceptions, fuel and the call depth limit cross the boundary.
func TestCrossEngineCalls(t *testing.T) {
	ctx := context.Background()
	plain := instantiate(t, NewRuntime(RuntimeConfig{}), crossWAT)
	mixedRT := mixedRuntime(RuntimeConfig{}, oddIndex)
	mixed := instantiate(t, mixedRT, crossWAT)
	stats := mixed.Module().EngineStats()
	if stats[EngineJIT] != 5 || stats[EngineInterpreter] != 5 || mixed.Module().FuncEngine(1) != EngineJIT || mixed.Module().FuncEngine(0) != EngineInterpreter {
		t.Fatalf("engine stats %v, want 5 functions in each engine, odd ones in the JIT's place", stats)
	}
	if s := plain.Module().EngineStats(); s[EngineInterpreter] != 10 || len(s) != 1 {
		t.Fatalf("interpreter runtime's engine stats %v, want 10 interpreter functions", s)
	}
	for _, name := range []string{"even", "odd", "even_tail", "odd_tail", "parity", "catch"} {
		for _, n := range []uint64{0, 1, 6, 7, 100} {
			want, werr := plain.Func(name).Call(ctx, n)
			got, err := mixed.Func(name).Call(ctx, n)
			if werr != nil || err != nil || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Errorf("%s(%d): mixed %v, %v; interpreter %v, %v", name, n, got, err, want, werr)
			}
		}
	}
	if got, err := mixed.Func("catch").Call(ctx, 41); err != nil || got[0] != 42 {
		t.Errorf("catch(41) = %v, %v; want the exception's payload 42", got, err)
	}

	// A trap three crossings deep has the interpreter's code and the
	// backtrace of every frame on both sides, innermost first.
	_, err := mixed.Func("down").Call(ctx, 2)
	var trap *Trap
	if !errors.As(err, &trap) || trap.Code != TrapUnreachable {
		t.Fatalf("down(2): %v, want unreachable", err)
	}
	var idx []uint32
	for _, fr := range trap.Frames {
		idx = append(idx, fr.FuncIndex)
	}
	if fmt.Sprint(idx) != "[6 5 7 5 7 5]" {
		t.Errorf("down(2) backtrace %v (%v), want functions [6 5 7 5 7 5]", idx, trap)
	}
	_, perr := plain.Func("down").Call(ctx, 2)
	if perr == nil || perr.Error() != err.Error() {
		t.Errorf("down(2): mixed %q, interpreter %q", err, perr)
	}
}

// TestCrossEngineFuel: calls across the boundary spend one budget in the
// same units, so the same call consumes the same fuel and runs out at
// the same budget in either runtime.
func TestCrossEngineFuel(t *testing.T) {
	ctx := context.Background()
	consumed := func(rt *Runtime, name string, n uint64) uint64 {
		t.Helper()
		tank := NewFuelTank(1 << 40)
		inst, err := rt.Instantiate(ctx, compile(t, rt, crossWAT), ModuleConfig{FuelSource: tank})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := inst.Func(name).Call(ctx, n); err != nil {
			t.Fatalf("%s(%d): %v", name, n, err)
		}
		return tank.Consumed()
	}
	for _, name := range []string{"even", "even_tail", "catch"} {
		want := consumed(NewRuntime(RuntimeConfig{}), name, 50)
		if got := consumed(mixedRuntime(RuntimeConfig{}, oddIndex), name, 50); got != want || want == 0 {
			t.Errorf("%s(50) consumed %d fuel across engines, %d in the interpreter", name, got, want)
		}
		// A per-call budget of exactly that is enough, one less is not.
		for _, fuel := range []uint64{want, want - 1} {
			rt := mixedRuntime(RuntimeConfig{Fuel: fuel}, oddIndex)
			_, err := instantiate(t, rt, crossWAT).Func(name).Call(ctx, 50)
			if (fuel == want) != (err == nil) || (err != nil && !errors.Is(err, ErrFuelExhausted)) {
				t.Errorf("%s(50) with fuel %d (it needs %d): %v", name, fuel, want, err)
			}
		}
	}
}

// TestCrossEngineDepth: the call depth limit counts the frames of both
// engines: the deepest recursion that fits is the same as in the
// interpreter alone, and the next one traps with call stack exhausted.
func TestCrossEngineDepth(t *testing.T) {
	ctx := context.Background()
	deepest := func(rt *Runtime) (uint64, error) {
		inst := instantiate(t, rt, crossWAT)
		for n := uint64(0); n < 1000; n++ {
			if _, err := inst.Func("even").Call(ctx, n); err != nil {
				return n - 1, err
			}
		}
		return 1000, nil
	}
	want, werr := deepest(NewRuntime(RuntimeConfig{MaxCallDepth: 100}))
	got, err := deepest(mixedRuntime(RuntimeConfig{MaxCallDepth: 100}, oddIndex))
	var trap *Trap
	if got != want || !errors.As(err, &trap) || trap.Code != TrapCallStackExhausted {
		t.Errorf("deepest even(n): %d (%v) across engines, %d (%v) in the interpreter", got, err, want, werr)
	}
	t.Logf("deepest even(n) with MaxCallDepth 100: %d across engines, %d in the interpreter", got, want)
}

// TestCrossEngineCache: a module compiled by two engines goes through the
// compilation cache and an artifact with each function's engine kept.
func TestCrossEngineCache(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	cache, err := OpenCompilationCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	cfg := RuntimeConfig{CompilationCache: cache}
	first := compile(t, mixedRuntime(cfg, oddIndex), crossWAT)
	if s := cache.Stats(); s.Misses != 1 || s.WriteErrors != 0 {
		t.Fatalf("first compile: %+v", s)
	}
	rt := mixedRuntime(cfg, oddIndex)
	cm := compile(t, rt, crossWAT)
	art, err := rt.SaveCompiled(cm)
	if err != nil {
		t.Fatal(err)
	}
	fromArt, err := mixedRuntime(cfg, oddIndex).LoadCompiled(art)
	if err != nil {
		t.Fatal(err)
	}
	if s := cache.Stats(); s.Hits != 2 || s.Rejected != 0 {
		t.Fatalf("cache stats %+v, want 2 hits (entry, artifact)", s)
	}
	for _, loaded := range []*CompiledModule{cm, fromArt} {
		for i := range first.codes {
			if loaded.FuncEngine(i) != first.FuncEngine(i) {
				t.Errorf("function %d: engine %v after loading, %v compiled", i, loaded.FuncEngine(i), first.FuncEngine(i))
			}
		}
		inst, err := rt.Instantiate(ctx, loaded, ModuleConfig{})
		if err != nil {
			t.Fatal(err)
		}
		if got, err := inst.Func("even").Call(ctx, 9); err != nil || got[0] != 0 {
			t.Errorf("even(9) after loading: %v, %v", got, err)
		}
	}
	// An interpreter-only runtime with the same cache does not take the
	// two-engine entry (another engine key): it compiles.
	before := cache.Stats().Misses
	compile(t, NewRuntime(cfg), crossWAT)
	if cache.Stats().Misses != before+1 {
		t.Errorf("an interpreter runtime reused the two-engine entry: %+v", cache.Stats())
	}
}
