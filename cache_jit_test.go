//go:build kilnjit && linux && (amd64 || arm64)

package kiln

import (
	"context"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln/wast"
)

// trapDeepWAT traps three calls deep, so that a backtrace needs the
// sites of the code it runs.
const trapDeepWAT = `(module
  (func $c (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0)))
  (func $b (param i32) (result i32) (i32.add (call $c (local.get 0)) (i32.const 1)))
  (func (export "a") (param i32) (result i32) (call $b (local.get 0))))`

// runCompiled compiles bin in a new runtime of cfg, checks that every
// function was compiled by want, and calls export with args: its
// result, or the trap with its backtrace.
func runCompiled(t *testing.T, cfg RuntimeConfig, bin []byte, want Engine, export string, args ...uint64) (uint64, string) {
	t.Helper()
	ctx := context.Background()
	rt := NewRuntime(cfg)
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	if s := cm.EngineStats(); s[want] != len(cm.Module().Funcs) {
		t.Errorf("functions by engine %v, want all %v", s, want)
	}
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := inst.Func(export).Call(ctx, args...)
	if err != nil {
		return 0, fmt.Sprintf("%+v", err)
	}
	return res[0], ""
}

// TestCompilationCacheJIT: JIT code is cached and loaded (mapped again,
// elsewhere), runs as compiled (results and a trap's backtrace alike),
// is keyed by the JIT's options (an engine counting call depth does not
// take code that does not count), and artifacts carry it too.
func TestCompilationCacheJIT(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	fib := fibBinary(t)
	deep, err := wast.ParseModule("deep.wat", []byte(trapDeepWAT))
	if err != nil {
		t.Fatal(err)
	}
	run := func(c *CompilationCache, cfg RuntimeConfig, bin []byte, export string, args ...uint64) (uint64, string) {
		t.Helper()
		cfg.Engine, cfg.CompilationCache = EngineJIT, c
		return runCompiled(t, cfg, bin, EngineJIT, export, args...)
	}
	first := openCache(t, dir)
	wantFib, _ := run(first, RuntimeConfig{}, fib, "fib", 25)
	_, wantTrap := run(first, RuntimeConfig{}, deep, "a", 0)
	t.Logf("compiled: fib(25) = %d; %s", wantFib, wantTrap)
	if s := first.Stats(); s.Misses != 2 || s.WriteErrors != 0 {
		t.Fatalf("first compiles: %+v, want two misses stored", s)
	}
	second := openCache(t, dir)
	if got, _ := run(second, RuntimeConfig{}, fib, "fib", 25); got != wantFib || wantFib != 75025 {
		t.Errorf("fib(25) from the cache = %d, compiled %d, want 75025", got, wantFib)
	}
	if _, got := run(second, RuntimeConfig{}, deep, "a", 0); got != wantTrap {
		t.Errorf("trap from the cache:\n%s\ncompiled:\n%s", got, wantTrap)
	}
	if s := second.Stats(); s.Hits != 2 || s.Misses != 0 || s.Rejected != 0 {
		t.Errorf("loads: %+v, want two hits", s)
	}
	// A call depth limit makes the JIT count depth: other code, another key.
	third := openCache(t, dir)
	if got, _ := run(third, RuntimeConfig{MaxCallDepth: 1000}, fib, "fib", 25); got != wantFib {
		t.Errorf("fib(25) with a depth limit = %d", got)
	}
	if s := third.Stats(); s.Hits != 0 || s.Misses != 1 {
		t.Errorf("with a depth limit: %+v, want a miss", s)
	}
	// An artifact of JIT code loads as JIT code.
	rt := NewRuntime(RuntimeConfig{Engine: EngineJIT, CompilationCache: openCache(t, dir)})
	cm, err := rt.CompileModule(ctx, deep)
	if err != nil {
		t.Fatal(err)
	}
	art, err := rt.SaveCompiled(cm)
	if err != nil {
		t.Fatal(err)
	}
	if _, got := run(openCache(t, dir), RuntimeConfig{}, art, "a", 0); got != wantTrap {
		t.Errorf("trap from an artifact:\n%s\ncompiled:\n%s", got, wantTrap)
	}
}

// TestCompilationCacheAuto: under EngineAuto with CacheMachineCode, a
// module compiled with the interpreter's code (and stored) is also
// compiled whole by the JIT in the background, which replaces its
// entry (also when a runtime loads an entry of the interpreter's code);
// a later runtime loads JIT code from the start, and computes and traps
// as the first did.
func TestCompilationCacheAuto(t *testing.T) {
	dir := t.TempDir()
	deep, err := wast.ParseModule("deep.wat", []byte(trapDeepWAT))
	if err != nil {
		t.Fatal(err)
	}
	run := func(c *CompilationCache, bin []byte, want Engine, export string, args ...uint64) (uint64, string) {
		t.Helper()
		return runCompiled(t, RuntimeConfig{Engine: EngineAuto, CompilationCache: c, CacheMachineCode: true}, bin, want, export, args...)
	}
	first := openCache(t, dir)
	fib, _ := run(first, fibBinary(t), EngineInterpreter, "fib", 25)
	_, trap := run(first, deep, EngineInterpreter, "a", 0)
	first.Wait()
	if s := first.Stats(); s.Upgraded != 2 || s.WriteErrors != 0 {
		t.Fatalf("first runtime: %+v, want two entries upgraded", s)
	}
	second := openCache(t, dir)
	if got, _ := run(second, fibBinary(t), EngineJIT, "fib", 25); got != fib || fib != 75025 {
		t.Errorf("fib(25) = %d from the upgraded entry, %d first", got, fib)
	}
	if _, got := run(second, deep, EngineJIT, "a", 0); got != trap {
		t.Errorf("trap from the upgraded entry:\n%s\nfirst:\n%s", got, trap)
	}
	second.Wait()
	if s := second.Stats(); s.Hits != 2 || s.Upgraded != 0 {
		t.Errorf("second runtime: %+v, want two hits and no background compile", s)
	}
	// A module the JIT compiles in part (i31 references are left to the
	// interpreter): machine code calls the interpreter's, both loaded.
	mixed, err := wast.ParseModule("mixed.wat", []byte(`(module
  (func $g (param i32) (result i32) (i31.get_s (ref.i31 (local.get 0))))
  (func (export "f") (param i32) (result i32) (i32.add (call $g (local.get 0)) (i32.const 1))))`))
	if err != nil {
		t.Fatal(err)
	}
	run(first, mixed, EngineInterpreter, "f", 5)
	first.Wait()
	rt := NewRuntime(RuntimeConfig{Engine: EngineAuto, CompilationCache: openCache(t, dir)})
	cm, err := rt.CompileModule(context.Background(), mixed)
	if err != nil {
		t.Fatal(err)
	}
	if e0, e1 := cm.FuncEngine(0), cm.FuncEngine(1); e0 != EngineInterpreter || e1 != EngineJIT {
		t.Fatalf("loaded: $g by %v, f by %v; want the interpreter and the JIT", e0, e1)
	}
	inst, err := rt.Instantiate(context.Background(), cm, ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if res, err := inst.Func("f").Call(context.Background(), 5); err != nil || res[0] != 6 {
		t.Errorf("f(5) = %v, %v; want 6", res, err)
	}
	// An entry of the interpreter's code, made without CacheMachineCode
	// (or by a run that ended before its compile), is upgraded when a
	// runtime with it loads the entry.
	dir = t.TempDir()
	plain := openCache(t, dir)
	runCompiled(t, RuntimeConfig{Engine: EngineAuto, CompilationCache: plain}, fibBinary(t), EngineInterpreter, "fib", 10)
	plain.Wait()
	loader := openCache(t, dir)
	run(loader, fibBinary(t), EngineInterpreter, "fib", 10)
	loader.Wait()
	if s := loader.Stats(); s.Hits != 1 || s.Upgraded != 1 {
		t.Errorf("loading the interpreter's entry: %+v, want a hit and the entry upgraded", s)
	}
	if got, _ := run(openCache(t, dir), fibBinary(t), EngineJIT, "fib", 25); got != 75025 {
		t.Errorf("fib(25) = %d from the entry upgraded on a hit", got)
	}
}
