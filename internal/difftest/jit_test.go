//go:build kilnjit

package difftest

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// jitSeeds is the number of generated modules TestDifferentialJIT runs on
// the JIT and on the interpreter (KILN_DIFFTEST_SEEDS overrides it,
// KILN_DIFFTEST_FIRST sets the first seed).
const jitSeeds = 2000

// jitMode is how one comparison runs a module: its generator
// configuration, its fuel and its call arguments.
type jitMode struct {
	cfg wasmgen.Config
	// fuel: 0 runs without fuel; otherwise both instances draw from a
	// FuelTank (so each call's consumption is compared) and, when limit
	// is not 0, each call may spend at most limit (so calls run out of
	// fuel in the middle, and the state they leave is compared).
	fuel  bool
	limit uint64
	args  []byte
}

// jitModeOf derives a comparison from generator input: its first byte
// picks the instructions (most modules keep to what the JIT compiles
// today, so that the comparison is not vacuous; one in four uses all of
// WebAssembly 2.0; of the others, half have no multi-result
// functions), the shape and the fuel.
func jitModeOf(gen, args []byte) jitMode {
	var b0, b1 byte
	if len(gen) > 0 {
		b0 = gen[0]
	}
	if len(gen) > 1 {
		b1 = gen[1]
	}
	cfg := wasmgen.Config{CanonicalNaNs: true, ExportState: true, HostImports: b0&0x10 != 0}
	if b0&3 != 3 {
		cfg.NoSIMD, cfg.NoRefTypes, cfg.NoBulkMemory = true, true, true
		if b1&1 == 0 {
			cfg.MaxResults = 1
		}
	}
	if b0&4 != 0 {
		cfg.NoParamExports = true
	}
	if b0&8 != 0 {
		cfg.MaxFuncs, cfg.MaxInstrs, cfg.MaxDepth = 10, 400, 9
	}
	m := jitMode{cfg: cfg, args: args}
	switch (b0 >> 5) % 3 {
	case 1:
		m.fuel = true
	case 2:
		m.fuel, m.limit = true, 20+uint64(b1>>1)*16
	}
	return m
}

// jitRun is one engine's run of a module.
type jitRun struct {
	out   []Outcome
	stats map[kiln.Engine]int
	// gen counts the generated functions ("fN" exports' callees: the
	// module's first defined functions) by engine.
	gen map[kiln.Engine]int
	// loopEntries counts the frames EngineAuto moved from the
	// interpreter to compiled code at a loop head (kiln.TierStats).
	loopEntries uint64
}

// runEngine compiles and runs bin on engine e under mode m.
func runOnEngine(ctx context.Context, e kiln.Engine, bin []byte, m jitMode) (jitRun, error) {
	return runOn(ctx, kiln.RuntimeConfig{Engine: e}, bin, m)
}

// runOn runs a module on a runtime of cfg (to which m adds the fuel).
func runOn(ctx context.Context, cfg kiln.RuntimeConfig, bin []byte, m jitMode) (jitRun, error) {
	e := cfg.Engine
	if m.fuel {
		cfg.Fuel = m.limit
	}
	rt := kiln.NewRuntime(cfg)
	opts := RunOptions{Args: (&argSource{b: m.args}).args, Detail: true}
	if m.fuel {
		opts.Fuel = kiln.NewFuelTank(1 << 50)
	}
	if m.cfg.HostImports {
		h, err := RegisterHost(ctx, rt)
		if err != nil {
			return jitRun{}, err
		}
		opts.BeforeCall = h.Reset
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return jitRun{}, fmt.Errorf("%v: valid module rejected: %w", e, err)
	}
	r := jitRun{stats: cm.EngineStats(), gen: map[kiln.Engine]int{}}
	r.out, err = RunCompiled(ctx, rt, cm, opts)
	if err != nil {
		return r, fmt.Errorf("%v: %w", e, err)
	}
	nGen := 0
	for _, o := range r.out {
		if strings.HasPrefix(o.Export, "f") {
			nGen++
		}
	}
	for i := 0; i < nGen; i++ {
		r.gen[cm.FuncEngine(i)]++
	}
	r.loopEntries = rt.TierStats().LoopEntries
	return r, nil
}

// jitUnderTest is the native engine compared with the interpreter:
// EngineJIT, or EngineBaseline or EngineOptimizing when KILN_ENGINE
// names it.
func jitUnderTest() kiln.Engine {
	switch os.Getenv("KILN_ENGINE") {
	case "baseline":
		return kiln.EngineBaseline
	case "optimizing":
		return kiln.EngineOptimizing
	}
	return kiln.EngineJIT
}

// countedAs is the engine EngineStats counts jitUnderTest's code under.
func countedAs() kiln.Engine {
	if e := jitUnderTest(); e != kiln.EngineOptimizing {
		return e
	}
	return kiln.EngineJIT
}

// compareJIT runs bin on the JIT and on the interpreter and describes the
// first call whose outcome differs ("" when they agree): results, trap
// code and message, fuel consumed and the exported state (memory hash,
// tables, globals) after every call must be equal. Comparison stops at
// a call that exhausted the call stack on either side (where the stack
// ends is each engine's choice); stack counts such stops.
func compareJIT(ctx context.Context, bin []byte, m jitMode) (diff string, jit jitRun, agree int, stack bool, err error) {
	return compareWith(ctx, kiln.RuntimeConfig{Engine: jitUnderTest()}, bin, m)
}

// compareWith is compareJIT with the runtime configuration under test.
func compareWith(ctx context.Context, under kiln.RuntimeConfig, bin []byte, m jitMode) (diff string, jit jitRun, agree int, stack bool, err error) {
	jit, err = runOn(ctx, under, bin, m)
	if err != nil {
		return "", jit, 0, false, err
	}
	in, err := runOnEngine(ctx, kiln.EngineInterpreter, bin, m)
	if err != nil {
		return "", jit, 0, false, err
	}
	for i := 0; i < len(jit.out) || i < len(in.out); i++ {
		if i >= len(jit.out) || i >= len(in.out) {
			return fmt.Sprintf("the JIT ran %d exports, the interpreter %d", len(jit.out), len(in.out)), jit, agree, false, nil
		}
		g, w := jit.out[i], in.out[i]
		if g.Trap == trapStack || w.Trap == trapStack {
			return "", jit, agree, true, nil
		}
		if g.String() != w.String() {
			return fmt.Sprintf("call %d:\n  jit:         %v\n  interpreter: %v", i, g, w), jit, agree, false, nil
		}
		agree++
	}
	return "", jit, agree, false, nil
}

// requireJIT fails the test when the JIT should exist here and does not,
// and skips it (saying so) on hosts the JIT does not support.
func requireJIT(t testing.TB) {
	t.Helper()
	if err := jitUnderTest().Available(); err != nil {
		if runtime.GOARCH == "amd64" && runtime.GOOS == "linux" {
			t.Fatalf("the JIT is unavailable on linux/amd64: %v", err)
		}
		t.Skipf("the JIT does not run on %s/%s: %v", runtime.GOOS, runtime.GOARCH, err)
	}
}

// jitTally adds up what the comparisons covered.
type jitTally struct {
	modules, agreeModules, calls, stackStops int
	funcs, genFuncs                          map[kiln.Engine]int
	kinds                                    map[string]int
	fuel                                     uint64
}

func newJITTally() *jitTally {
	return &jitTally{funcs: map[kiln.Engine]int{}, genFuncs: map[kiln.Engine]int{}, kinds: map[string]int{}}
}

func (t *jitTally) add(r jitRun, agree int, stack bool) {
	t.modules++
	t.calls += agree
	if stack {
		t.stackStops++
	}
	for e, n := range r.stats {
		t.funcs[e] += n
	}
	for e, n := range r.gen {
		t.genFuncs[e] += n
	}
	for _, o := range r.out[:agree] {
		t.fuel += o.Fuel
		if !strings.HasPrefix(o.Export, "f") {
			continue
		}
		switch {
		case o.Inconclusive != "":
			t.kinds[o.Inconclusive]++
		case o.Trap != "":
			t.kinds[o.Trap]++
		default:
			t.kinds["value"]++
		}
	}
}

func (t *jitTally) String() string {
	var kinds []string
	for k, n := range t.kinds {
		kinds = append(kinds, fmt.Sprintf("%s %d", k, n))
	}
	sort.Strings(kinds)
	e := countedAs()
	also := ""
	if e != kiln.EngineJIT {
		also = fmt.Sprintf(", left to the optimising JIT %d (generated: %d)", t.funcs[kiln.EngineJIT], t.genFuncs[kiln.EngineJIT])
	}
	return fmt.Sprintf("%d of %d modules agree (%d export calls agree; %d modules stopped at call-stack exhaustion); "+
		"functions compiled by the %v engine %d, left to the interpreter %d (generated functions: %v %d, interpreter %d)%s; "+
		"fuel compared %d; outcomes of the fN exports: %s",
		t.agreeModules, t.modules, t.calls, t.stackStops,
		e, t.funcs[e], t.funcs[kiln.EngineInterpreter], e, t.genFuncs[e], t.genFuncs[kiln.EngineInterpreter], also,
		t.fuel, strings.Join(kinds, ", "))
}

// TestDifferentialJIT runs generated modules on the JIT and on the
// interpreter and requires that they observe the same: every export
// call's results or trap (code and message), the fuel it consumed and the
// instance's memory, tables and globals after it. A disagreement is
// shrunk and both modules are saved to the temporary directory.
func TestDifferentialJIT(t *testing.T) {
	requireJIT(t)
	n := seedCount(t, jitSeeds, 300)
	first := envInt(t, "KILN_DIFFTEST_FIRST", 0)
	ctx := context.Background()
	tally := newJITTally()
	failures := 0
	for seed := int64(first); seed < int64(first+n) && failures < 5; seed++ {
		input := seedBytes(seed, 16384)
		m := jitModeOf(input, seedBytes(seed+1<<32, 256))
		bin := wasmgen.Generate(input, m.cfg)
		diff, r, agree, stack, err := compareJIT(ctx, bin, m)
		if err != nil {
			failures++
			p := saveModule(t, fmt.Sprintf("kiln-jitdiff-seed%d.wasm", seed), bin)
			t.Errorf("seed %d (module saved to %s): %v", seed, p, err)
			continue
		}
		tally.add(r, agree, stack)
		if diff == "" {
			tally.agreeModules++
			continue
		}
		failures++
		p := saveModule(t, fmt.Sprintf("kiln-jitdiff-seed%d.wasm", seed), bin)
		small := Shrink(input, func(in []byte) bool {
			d, _, _, _, err := compareJIT(ctx, wasmgen.Generate(in, m.cfg), m)
			return err == nil && d != ""
		}, 300)
		sbin := wasmgen.Generate(small, m.cfg)
		sp := saveModule(t, fmt.Sprintf("kiln-jitdiff-seed%d-small.wasm", seed), sbin)
		sdiff, _, _, _, _ := compareJIT(ctx, sbin, m)
		t.Errorf("seed %d: the JIT and the interpreter disagree (module saved to %s, mode %+v):\n%s\nshrunk to %d bytes (%s):\n%s",
			seed, p, modeString(m), diff, len(sbin), sp, sdiff)
	}
	t.Log(tally)
	if tally.genFuncs[countedAs()] == 0 {
		t.Error("the JIT compiled none of the generated functions: the comparison is vacuous")
	}
}

// modeString describes a mode for a failure report.
func modeString(m jitMode) string {
	return fmt.Sprintf("config %+v fuel %v limit %d args %x", m.cfg, m.fuel, m.limit, m.args)
}

// saveModule writes bin to the temporary directory and returns its path.
func saveModule(t testing.TB, name string, bin []byte) string {
	p := filepath.Join(os.TempDir(), name)
	if err := os.WriteFile(p, bin, 0o644); err != nil {
		t.Logf("saving %s: %v", p, err)
	}
	return p
}

// FuzzJIT generates a module from the fuzz input and requires that the
// JIT and the interpreter observe the same (compareJIT's oracle), with
// call arguments from the second input.
func FuzzJIT(f *testing.F) {
	requireJIT(f)
	for seed := int64(0); seed < 16; seed++ {
		f.Add(seedBytes(seed, 4096), seedBytes(seed+1<<32, 64))
	}
	f.Add([]byte{}, []byte{})
	f.Fuzz(func(t *testing.T, gen, args []byte) {
		m := jitModeOf(gen, args)
		bin := wasmgen.Generate(gen, m.cfg)
		diff, _, _, _, err := compareJIT(context.Background(), bin, m)
		if err != nil {
			t.Fatalf("%s: %v", modeString(m), err)
		}
		if diff != "" {
			t.Fatalf("the JIT and the interpreter disagree (%s):\n%s", modeString(m), diff)
		}
	})
}
