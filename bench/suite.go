package bench

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/bench/workloads"
)

// Op is the operation a benchmark times, once per iteration.
type Op func(ctx context.Context) error

// Case is one benchmark, runnable on every engine.
type Case struct {
	Group string // "run", "compile", "load", "instantiate" or "call"
	Name  string // e.g. "fib"; the benchmark is <Group>/<Name>/<engine>
	// Skip returns why e cannot run this case, or "" when it can.
	Skip func(e Engine) string
	// Setup prepares the case on e and checks that it computes the expected
	// result; it returns the operation to time and a cleanup to call after.
	Setup func(ctx context.Context, e Engine) (op Op, cleanup func(), err error)
	// Bytes, when positive, is processed per operation (reported as MB/s).
	Bytes int64
	// Inner, when positive, is how many round trips one operation makes
	// (reported as ns/roundtrip).
	Inner int
}

// Key names the case as "group/name".
func (c Case) Key() string { return c.Group + "/" + c.Name }

// Benchmark returns the benchmark function of c on e.
func (c Case) Benchmark(e Engine) func(b *testing.B) {
	return func(b *testing.B) {
		if reason := c.skip(e); reason != "" {
			b.Skip(reason)
		}
		ctx := context.Background()
		op, cleanup, err := c.Setup(ctx, e)
		if err != nil {
			b.Fatal(err)
		}
		defer cleanup()
		if c.Bytes > 0 {
			b.SetBytes(c.Bytes)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if err := op(ctx); err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		if c.Inner > 0 {
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*c.Inner), "ns/roundtrip")
		}
	}
}

func (c Case) skip(e Engine) string {
	if c.Skip == nil {
		return ""
	}
	return c.Skip(e)
}

// Verify runs c once on e outside any timing and reports whether it can
// run and computes the expected result: skipped is the reason it cannot
// run, err a failure.
func (c Case) Verify(ctx context.Context, e Engine) (skipped string, err error) {
	if reason := c.skip(e); reason != "" {
		return reason, nil
	}
	op, cleanup, err := c.Setup(ctx, e)
	if err != nil {
		return "", err
	}
	defer cleanup()
	return "", op(ctx)
}

// Cases lists every benchmark in report order.
func Cases() []Case {
	var cs []Case
	for _, w := range Workloads() {
		cs = append(cs, runCase(w))
	}
	cs = append(cs, jsonrtCase())
	for _, name := range compiledModules() {
		cs = append(cs, compileCase(name))
	}
	cs = append(cs, loadCase("jsonrt"))
	for _, name := range []string{"fib", "sha256", "sieve"} {
		cs = append(cs, instantiateCase(name))
	}
	return append(cs, callNoopCase(), callHostCase())
}

// compiledModules are the modules the compile group times: every run
// workload's, once each in workload order, then jsonrt (the largest).
func compiledModules() []string {
	var names []string
	seen := map[string]bool{}
	for _, w := range Workloads() {
		if !seen[w.Module] {
			seen[w.Module] = true
			names = append(names, w.Module)
		}
	}
	return append(names, "jsonrt")
}

// instantiated compiles and instantiates a workload binary on e.
func instantiated(ctx context.Context, e Engine, module string) (Instance, func(), error) {
	bin, err := workloads.Binary(module)
	if err != nil {
		return nil, nil, err
	}
	cm, err := e.Compile(ctx, bin)
	if err != nil {
		return nil, nil, err
	}
	inst, err := cm.Instantiate(ctx)
	if err != nil {
		cm.Close(ctx)
		return nil, nil, err
	}
	return inst, func() { inst.Close(ctx); cm.Close(ctx) }, nil
}

// CallChecked calls w's entry with arg on inst and checks the result
// against the Go reference.
func CallChecked(ctx context.Context, inst Instance, w Workload, arg uint64) error {
	call, err := inst.Func(w.Entry)
	if err != nil {
		return err
	}
	res, err := call(ctx, arg)
	if err != nil {
		return fmt.Errorf("%s(%d): %w", w.Name, arg, err)
	}
	if len(res) != 1 {
		return fmt.Errorf("%s(%d): %d results, want 1", w.Name, arg, len(res))
	}
	if want, ok := w.Check(arg, res[0]); !ok {
		return fmt.Errorf("%s(%d) = %#x, want %#x", w.Name, arg, res[0], want)
	}
	return nil
}

func runCase(w Workload) Case {
	return Case{Group: "run", Name: w.Name,
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			inst, cleanup, err := instantiated(ctx, e, w.Module)
			if err != nil {
				return nil, nil, err
			}
			if err := CallChecked(ctx, inst, w, w.Arg); err != nil {
				cleanup()
				return nil, nil, fmt.Errorf("%s: %w", e.Name(), err)
			}
			call, _ := inst.Func(w.Entry) // CallChecked found it
			op := func(ctx context.Context) error {
				_, err := call(ctx, w.Arg)
				return err
			}
			return op, cleanup, nil
		}}
}

// JSONRTArgs are jsonrt's arguments in the benchmark: one parse/serialise
// round over a document of 40 orders (16.7 KB), small enough for
// interpreters to finish in seconds.
var JSONRTArgs = []string{"jsonrt", "1", "40"}

// JSONRTWant is jsonrt's output for JSONRTArgs, as printed by the program
// compiled natively (go run ./workloads/go/jsonrt 1 40).
const JSONRTWant = "jsonrt rounds=1 orders=40 bytes=16718 checksum=c0d9a4bd8e2be4c5\n"

func jsonrtCase() Case {
	return Case{Group: "run", Name: "jsonrt",
		Skip: func(e Engine) string {
			if _, ok := e.(WASIEngine); !ok {
				return e.Name() + ": jsonrt needs WASI preview 1, which " + e.Runtime() + " does not provide yet"
			}
			return ""
		},
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			bin, err := workloads.Binary("jsonrt")
			if err != nil {
				return nil, nil, err
			}
			prog, err := e.(WASIEngine).CompileWASI(ctx, bin)
			if err != nil {
				return nil, nil, err
			}
			cleanup := func() { prog.Close(ctx) }
			args := JSONRTArgs
			var out strings.Builder
			if err := prog.Run(ctx, args, &out); err != nil {
				cleanup()
				return nil, nil, err
			}
			if out.String() != JSONRTWant {
				cleanup()
				return nil, nil, fmt.Errorf("%s: jsonrt printed %q, want %q", e.Name(), out.String(), JSONRTWant)
			}
			op := func(ctx context.Context) error { return prog.Run(ctx, args, io.Discard) }
			return op, cleanup, nil
		}}
}

func compileCase(module string) Case {
	bin, err := workloads.Binary(module)
	return Case{Group: "compile", Name: module, Bytes: int64(len(bin)),
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			if err != nil {
				return nil, nil, err
			}
			op := func(ctx context.Context) error {
				cm, err := e.Compile(ctx, bin)
				if err != nil {
					return err
				}
				return cm.Close(ctx)
			}
			return op, func() {}, nil
		}}
}

// loadCase times a compile of module that its engine's compilation
// cache in a directory answers: the module was compiled once before, by
// another runtime, and is loaded, not compiled again.
func loadCase(module string) Case {
	bin, err := workloads.Binary(module)
	return Case{Group: "load", Name: module, Bytes: int64(len(bin)),
		Skip: func(e Engine) string {
			if c, ok := e.(CacheLoader); !ok || !c.Caches() {
				return e.Name() + " has no compilation cache"
			}
			return ""
		},
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			if err != nil {
				return nil, nil, err
			}
			dir, err := os.MkdirTemp("", "kiln-bench-cache-")
			if err != nil {
				return nil, nil, err
			}
			cleanup := func() { os.RemoveAll(dir) }
			compile := func(ctx context.Context) error {
				// A runtime of its own each time: nothing is kept in memory.
				compile, release, err := e.(CacheLoader).CachedCompiler(ctx, dir)
				if err != nil {
					return err
				}
				defer release()
				return compile(ctx, bin)
			}
			if err := compile(ctx); err != nil { // fills the cache
				cleanup()
				return nil, nil, err
			}
			return compile, cleanup, nil
		}}
}

func instantiateCase(module string) Case {
	return Case{Group: "instantiate", Name: module,
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			bin, err := workloads.Binary(module)
			if err != nil {
				return nil, nil, err
			}
			cm, err := e.Compile(ctx, bin)
			if err != nil {
				return nil, nil, err
			}
			op := func(ctx context.Context) error {
				inst, err := cm.Instantiate(ctx)
				if err != nil {
					return err
				}
				return inst.Close(ctx)
			}
			return op, func() { cm.Close(ctx) }, nil
		}}
}

// callNoopCase times a host->wasm call of a function that does nothing.
func callNoopCase() Case {
	return Case{Group: "call", Name: "host-to-wasm",
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			inst, cleanup, err := instantiated(ctx, e, "calls")
			if err != nil {
				return nil, nil, err
			}
			call, err := inst.Func("noop")
			if err != nil {
				cleanup()
				return nil, nil, err
			}
			op := func(ctx context.Context) error {
				_, err := call(ctx)
				return err
			}
			return op, cleanup, nil
		}}
}

// hostRoundTrips is how many wasm->host calls one call_host operation makes.
const hostRoundTrips = 1000

// callHostCase times wasm->host->wasm round trips through env.host_inc.
func callHostCase() Case {
	return Case{Group: "call", Name: "wasm-to-host", Inner: hostRoundTrips,
		Setup: func(ctx context.Context, e Engine) (Op, func(), error) {
			inst, cleanup, err := instantiated(ctx, e, "calls")
			if err != nil {
				return nil, nil, err
			}
			call, err := inst.Func("call_host")
			if err == nil {
				var res []uint64
				res, err = call(ctx, hostRoundTrips)
				if err == nil && (len(res) != 1 || uint32(res[0]) != hostRoundTrips) {
					err = fmt.Errorf("%s: call_host(%d) = %v, want [%d]", e.Name(), hostRoundTrips, res, hostRoundTrips)
				}
			}
			if err != nil {
				cleanup()
				return nil, nil, err
			}
			op := func(ctx context.Context) error {
				_, err := call(ctx, hostRoundTrips)
				return err
			}
			return op, cleanup, nil
		}}
}

// Engines returns every engine this build can run: kiln's followed by
// wazero's interpreter and compiler. note says which engines were left out
// and why ("" when none).
func Engines(ctx context.Context) (engines []Engine, note string, err error) {
	engines, note, err = kilnEngines(ctx)
	if err != nil {
		return nil, "", err
	}
	for _, k := range []Kind{Interpreter, Compiler} {
		e, err := NewWazero(ctx, k)
		if err != nil {
			CloseAll(ctx, engines)
			return nil, "", err
		}
		engines = append(engines, e)
	}
	return engines, note, nil
}

// CloseAll closes every engine, returning the first error.
func CloseAll(ctx context.Context, engines []Engine) error {
	var first error
	for _, e := range engines {
		if err := e.Close(ctx); err != nil && first == nil {
			first = err
		}
	}
	return first
}
