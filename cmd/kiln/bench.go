package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"sort"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

func init() {
	register(command{
		name:    "bench",
		summary: "time compiling, instantiating and running modules on each engine",
		run:     runBench,
	})
}

const benchUsage = `usage: kiln bench [FLAGS] MODULE... [-- ARGS...]

Runs each MODULE -n times on each --engine and reports, per module and
engine, the compile, instantiate and run times (min, median, max), the
fuel the run consumes and the peak size of the guest's linear memories.

A MODULE is a WASI command (its _start runs with ARGS as arguments) or,
with --invoke, a module whose export NAME is called with ARGS as its
parameters (after _initialize, when exported). Each iteration compiles
the module from its bytes, instantiates it and runs it; one untimed
warm-up run first checks that it succeeds and meters its fuel (the timed
runs are not metered).

A module importing "bench" "start" and "bench" "end" (no parameters, no
results: what the sightglass benchmark programs call) is timed only
between the two calls; several start/end pairs add up. The guest's
standard output and error are discarded, and shown when it fails.

With --cache DIR the module is compiled through that compilation cache,
so the compile phase times loading it (kiln compile, kiln run --cache or
the warm-up run store it).

Output is a table, or with --json one object per module and engine
(times in nanoseconds).

flags:`

// benchOptions are the parsed command line of kiln bench.
type benchOptions struct {
	n       uint64
	engines []engine
	invoke  string
	json    bool
	enable  string
	cache   string
	dirs    []sandbox.Mount
	env     []string
	modules []string
	args    []string
}

func runBench(args []string, stdout, stderr io.Writer) int {
	o := &benchOptions{n: 10}
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Var(uintFlag{&o.n}, "n", "timed iterations `N` per module and engine")
	fs.Var(engineList{&o.engines}, "engine", "engine `NAMES`, comma-separated or repeated ("+engineNames()+"; default "+engines[0].name+")")
	fs.StringVar(&o.invoke, "invoke", "", "call export `NAME` with ARGS as parameters instead of running _start")
	fs.BoolVar(&o.json, "json", false, "print JSON instead of a table")
	fs.StringVar(&o.cache, "cache", "", "compile through the compilation cache `DIR`: the compile phase then times loading from it (after the warm-up run or another process stored the module)")
	fs.StringVar(&o.enable, "enable", "", featuresHelp+"; like kiln run, starts from 3.0 plus threads")
	fs.Var(dirFlag{&o.dirs}, "dir", "preopen host directory `HOST[::GUEST][:ro|:rw]` for the guest; repeatable")
	fs.Var(envFlag{&o.env}, "env", "set guest environment variable `KEY=VALUE`; repeatable")
	if code, ok := parseFlags(fs, args, benchUsage, stderr); !ok {
		return code
	}
	rest := fs.Args()
	for i, a := range rest {
		if a == "--" {
			o.modules, o.args = rest[:i], rest[i+1:]
			break
		}
		o.modules = append(o.modules, a)
	}
	if len(o.modules) == 0 {
		fmt.Fprintln(stderr, "kiln bench: missing MODULE\nrun 'kiln bench -h' for usage")
		return exitUsage
	}
	if o.n == 0 || o.n > 1<<20 {
		fmt.Fprintf(stderr, "kiln bench: -n %d: want 1 to %d iterations\n", o.n, 1<<20)
		return exitUsage
	}
	if len(o.engines) == 0 {
		o.engines = engines[:1]
	}
	features, err := parseFeaturesFrom(runFeatures, o.enable)
	if err != nil {
		fmt.Fprintf(stderr, "kiln bench: --enable: %v\n", err)
		return exitUsage
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	var results []benchResult
	for _, path := range o.modules {
		bin, err := readModule(path, 0)
		if err != nil {
			fmt.Fprintf(stderr, "kiln bench: %v\n", err)
			return exitError
		}
		for _, e := range o.engines {
			r, err := benchModule(ctx, o, features, e, bin)
			if err != nil {
				fmt.Fprintf(stderr, "kiln bench: %s on %s: %v\n", path, e.name, err)
				return exitError
			}
			r.Module = path
			results = append(results, r)
		}
	}
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(results); err != nil {
			fmt.Fprintf(stderr, "kiln bench: %v\n", err)
			return exitError
		}
		return 0
	}
	printBenchTable(stdout, results)
	return 0
}

// benchResult is the outcome of one module on one engine.
type benchResult struct {
	Module      string     `json:"module"`
	Engine      string     `json:"engine"`
	Runs        int        `json:"runs"`
	Compile     benchStats `json:"compile"`
	Instantiate benchStats `json:"instantiate"`
	Run         benchStats `json:"run"`
	// Markers is true when run times are bench.start..bench.end.
	Markers bool `json:"bench_markers"`
	// Cached is true when compiling went through a compilation cache.
	Cached bool `json:"cached,omitempty"`
	// Fuel is what the warm-up run consumed (function entries and loop
	// iterations); PeakMemory the largest total size of the guest's
	// memories in bytes.
	Fuel       uint64 `json:"fuel"`
	PeakMemory uint64 `json:"peak_memory_bytes"`
	// Results are the values --invoke returned (as text), or the exit
	// code of a WASI command.
	Results  []string `json:"results,omitempty"`
	ExitCode *uint32  `json:"exit_code,omitempty"`
}

// benchStats summarises durations in nanoseconds.
type benchStats struct {
	Min    int64 `json:"min_ns"`
	Median int64 `json:"median_ns"`
	Max    int64 `json:"max_ns"`
}

func summarize(ds []time.Duration) benchStats {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	n := len(s)
	med := s[n/2]
	if n%2 == 0 {
		med = (s[n/2-1] + s[n/2]) / 2
	}
	return benchStats{Min: int64(s[0]), Median: int64(med), Max: int64(s[n-1])}
}

// benchMarkers records the bench.start/bench.end calls of one run.
type benchMarkers struct {
	used    bool
	started time.Time
	open    bool
	total   time.Duration
}

func (m *benchMarkers) reset() { *m = benchMarkers{} }

func (m *benchMarkers) start() {
	m.used, m.open, m.started = true, true, time.Now()
}

func (m *benchMarkers) end() {
	if m.open {
		m.total += time.Since(m.started)
		m.open = false
	}
}

// peakMemory is a Limiter that approves everything and remembers the
// largest total size of the memories it saw.
type peakMemory struct {
	mu          sync.Mutex
	total, peak uint64
}

func (p *peakMemory) GrowMemory(current, wanted uint64) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.total = p.total + wanted - current
	p.peak = max(p.peak, p.total)
	return true
}

func (p *peakMemory) GrowTable(current, wanted uint64) bool { return true }

// benchRun is one iteration's measurements.
type benchRun struct {
	compile, instantiate, run time.Duration
	markers                   bool
	results                   []string
	exitCode                  *uint32
}

// benchModule measures one module on one engine: a metered warm-up run,
// then o.n timed runs.
func benchModule(ctx context.Context, o *benchOptions, features wasm.Features, e engine, bin []byte) (benchResult, error) {
	peak := &peakMemory{}
	cfg := kiln.RuntimeConfig{Features: features, Limiter: peak}
	if o.cache != "" {
		c, err := kiln.OpenCompilationCache(o.cache)
		if err != nil {
			return benchResult{}, err
		}
		cfg.CompilationCache = c
	}
	e.configure(&cfg)
	rt := kiln.NewRuntime(cfg)
	markers := &benchMarkers{}
	_, err := rt.NewHostModule("bench").
		Func("start", func() { markers.start() }).
		Func("end", func() { markers.end() }).
		Instantiate(ctx)
	if err != nil {
		return benchResult{}, fmt.Errorf("host module bench: %w", err)
	}
	fuel := kiln.NewFuelTank(math.MaxUint64 / 2)
	warm, err := benchOnce(ctx, o, rt, bin, markers, fuel)
	if err != nil {
		return benchResult{}, err
	}
	res := benchResult{Engine: e.name, Runs: int(o.n), Markers: warm.markers, Cached: o.cache != "",
		Fuel: fuel.Consumed(), PeakMemory: peak.peak, Results: warm.results, ExitCode: warm.exitCode}
	var compile, instantiate, run []time.Duration
	for i := uint64(0); i < o.n; i++ {
		r, err := benchOnce(ctx, o, rt, bin, markers, nil)
		if err != nil {
			return benchResult{}, fmt.Errorf("run %d: %w", i+1, err)
		}
		compile = append(compile, r.compile)
		instantiate = append(instantiate, r.instantiate)
		run = append(run, r.run)
	}
	res.Compile, res.Instantiate, res.Run = summarize(compile), summarize(instantiate), summarize(run)
	return res, nil
}

// benchOnce compiles, instantiates and runs the module once, drawing fuel
// from fuel when it is not nil.
func benchOnce(ctx context.Context, o *benchOptions, rt *kiln.Runtime, bin []byte, markers *benchMarkers, fuel *kiln.FuelTank) (benchRun, error) {
	var r benchRun
	t0 := time.Now()
	cm, err := rt.CompileModule(ctx, bin)
	r.compile = time.Since(t0)
	if err != nil {
		return r, fmt.Errorf("%s", describeError(err))
	}
	var output limitedBuffer
	sys, err := wasi.Instantiate(ctx, rt, wasi.Config{
		Name: "bench", Args: append([]string{"bench"}, o.args...), Env: o.env,
		Stdout: &output, Stderr: &output,
		Policy: &sandbox.Policy{Mounts: o.dirs},
	})
	if err != nil {
		return r, err
	}
	defer sys.Close()
	mc := sys.ModuleConfig()
	if fuel != nil {
		mc.FuelSource = fuel
	}
	markers.reset()
	t0 = time.Now()
	inst, err := rt.Instantiate(ctx, cm, mc)
	r.instantiate = time.Since(t0)
	if err != nil {
		return r, fmt.Errorf("instantiate: %w%s", sys.Outcome(ctx, err), output.tail())
	}
	defer inst.Close(ctx)
	call, typ, args, err := benchEntry(ctx, o, inst)
	if err != nil {
		return r, err
	}
	t0 = time.Now()
	vals, err := call.Call(ctx, args...)
	r.run = time.Since(t0)
	if o.invoke == "" {
		code, exited := wasi.ExitCode(err)
		if exited {
			err = nil
		}
		if err == nil {
			r.exitCode = &code
		}
		if code != 0 {
			return r, fmt.Errorf("exited with code %d%s", code, output.tail())
		}
	}
	if err != nil {
		return r, fmt.Errorf("%s: %w%s", call.Name(), sys.Outcome(ctx, err), output.tail())
	}
	if markers.used {
		r.markers, r.run = true, markers.total
	}
	for i, t := range typ.Results {
		r.results = append(r.results, formatValue(vals[i], t))
	}
	return r, nil
}

// benchEntry returns the function a run calls (_start, or --invoke's
// export after _initialize) and its arguments.
func benchEntry(ctx context.Context, o *benchOptions, inst *kiln.Instance) (*kiln.Func, *wasm.FuncType, []uint64, error) {
	if o.invoke == "" {
		f := inst.Func(wasi.StartFunc)
		if f == nil {
			return nil, nil, nil, fmt.Errorf("no %s export (not a WASI command): use --invoke NAME", wasi.StartFunc)
		}
		return f, f.Type(), nil, nil
	}
	f := inst.Func(o.invoke)
	if f == nil {
		return nil, nil, nil, fmt.Errorf("no exported function %q", o.invoke)
	}
	typ := f.Type()
	if len(o.args) != len(typ.Params) {
		return nil, nil, nil, fmt.Errorf("%s takes %d arguments (%v), got %d", o.invoke, len(typ.Params), typ, len(o.args))
	}
	args := make([]uint64, len(o.args))
	for i, a := range o.args {
		v, err := parseValue(a, typ.Params[i])
		if err != nil {
			return nil, nil, nil, fmt.Errorf("%s argument %d: %w", o.invoke, i+1, err)
		}
		args[i] = v
	}
	for _, r := range typ.Results {
		if !r.IsNum() {
			return nil, nil, nil, fmt.Errorf("%s returns %v, which cannot be printed", o.invoke, r)
		}
	}
	if initf := inst.Func(wasi.InitializeFunc); initf != nil && o.invoke != wasi.InitializeFunc {
		if _, err := initf.Call(ctx); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", wasi.InitializeFunc, err)
		}
	}
	return f, typ, args, nil
}

// limitedBuffer keeps the last 4 KiB written to it: the guest's output,
// shown when a run fails.
type limitedBuffer struct{ b []byte }

const outputKept = 4 << 10

func (l *limitedBuffer) Write(p []byte) (int, error) {
	l.b = append(l.b, p...)
	if len(l.b) > outputKept {
		l.b = append(l.b[:0], l.b[len(l.b)-outputKept:]...)
	}
	return len(p), nil
}

func (l *limitedBuffer) tail() string {
	if len(l.b) == 0 {
		return ""
	}
	return "\nguest output (last bytes):\n" + string(l.b)
}

func printBenchTable(w io.Writer, results []benchResult) {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "module\tengine\tphase\tmin\tmedian\tmax\t")
	for _, r := range results {
		for _, p := range []struct {
			name string
			s    benchStats
		}{{"compile", r.Compile}, {"instantiate", r.Instantiate}, {"run", r.Run}} {
			name := p.name
			if name == "run" && r.Markers {
				name = "run (bench.start..end)"
			}
			if name == "compile" && r.Cached {
				name = "compile (cache)"
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%v\t%v\t%v\t\n", r.Module, r.Engine, name,
				roundDuration(p.s.Min), roundDuration(p.s.Median), roundDuration(p.s.Max))
		}
	}
	tw.Flush()
	fmt.Fprintln(w)
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "module\tengine\truns\tfuel\tpeak memory\tresult\t")
	for _, r := range results {
		result := strings.Join(r.Results, " ")
		if r.ExitCode != nil {
			result = fmt.Sprintf("exit %d", *r.ExitCode)
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%s\t%s\t\n", r.Module, r.Engine, r.Runs, r.Fuel, formatBytes(r.PeakMemory), result)
	}
	tw.Flush()
}

// formatBytes prints a byte count in KiB or MiB when it is a whole number of them.
func formatBytes(n uint64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}

// roundDuration keeps three significant digits of ns.
func roundDuration(ns int64) time.Duration {
	unit := int64(1)
	for ns/unit >= 1000 {
		unit *= 10
	}
	return time.Duration(ns).Round(time.Duration(unit))
}
