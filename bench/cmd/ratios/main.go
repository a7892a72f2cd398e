// Command ratios runs kiln's comparison benchmarks in-process (with
// testing.Benchmark) and prints a markdown report: one table per group of
// cases with the time per operation on every engine, the ratio kiln time /
// wazero time for every pair of a kiln engine and a wazero engine (kiln's
// JIT only against wazero's compiler), and the geometric mean of each ratio
// column.
//
// Usage:
//
//	go run [-tags kilnjit] ./cmd/ratios [-benchtime 200ms] [-count 1] [-run regexp] [-engines regexp]
//
// kiln's JIT (kiln-jit) is measured only when the command is built with
// -tags kilnjit; without it the report notes that it was left out.
// -run selects cases by "group/name" (e.g. -run 'run/' or -run 'fib');
// -engines selects engines by name (e.g. -engines 'kiln-jit|wazero-compiler').
// -count N measures every case N times, round-robin over the engines, and
// keeps the fastest time of each: on a shared machine, load only ever adds
// time, so the minimum is the least disturbed measurement.
// -cputime times each operation by the CPU time of the thread running it
// (the benchmark goroutine is locked to its thread), which waiting for a
// CPU on an overloaded machine does not inflate; work on other threads
// (garbage collection workers, an engine's own goroutines) is not
// counted. The compile group is timed by the process's CPU time instead,
// which counts a compiler's worker threads and garbage collection: the
// work a compile costs, not how long it takes on an idle machine with
// several cores.
// Every case is checked against its Go reference before it is timed; a case
// that fails its check or cannot run on an engine is reported, not timed.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"regexp"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/bench"
)

func main() {
	testing.Init()
	benchtime := flag.Duration("benchtime", 200*time.Millisecond, "minimum time to run each benchmark")
	run := flag.String("run", ".", "regexp selecting cases by group/name")
	count := flag.Int("count", 1, "measure each case this many times and keep the fastest")
	engineSel := flag.String("engines", ".", "regexp selecting engines by name (e.g. 'kiln-jit|wazero-compiler')")
	cputime := flag.Bool("cputime", false, "time operations by the CPU time of the thread running them, not wall time (Linux)")
	flag.Parse()
	if *count < 1 {
		fail(fmt.Errorf("-count %d: want at least 1", *count))
	}
	if err := flag.Set("test.benchtime", benchtime.String()); err != nil {
		fail(err)
	}
	sel, err := regexp.Compile(*run)
	if err != nil {
		fail(fmt.Errorf("-run: %w", err))
	}
	esel, err := regexp.Compile(*engineSel)
	if err != nil {
		fail(fmt.Errorf("-engines: %w", err))
	}
	ctx := context.Background()
	all, note, err := bench.Engines(ctx)
	if err != nil {
		fail(err)
	}
	defer bench.CloseAll(ctx, all)
	var engines []bench.Engine
	for _, e := range all {
		if esel.MatchString(e.Name()) {
			engines = append(engines, e)
		}
	}

	var cases []bench.Case
	for _, c := range bench.Cases() {
		if sel.MatchString(c.Key()) {
			cases = append(cases, c)
		}
	}
	timer := wallTime
	if *cputime {
		timer = func(ctx context.Context, c bench.Case, e bench.Engine) (float64, error) {
			return cpuTime(ctx, c, e, *benchtime)
		}
		note = strings.TrimPrefix(note+"; times are CPU time (-cputime): of the benchmark thread, and for compile of the whole process", "; ")
	}
	results := measure(ctx, cases, engines, *count, timer, os.Stderr)
	header(os.Stdout, *benchtime, *count, note)
	report(os.Stdout, cases, engines, results)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "ratios:", err)
	os.Exit(1)
}

// cell is the outcome of one case on one engine.
type cell struct {
	nsPerOp float64 // > 0 when measured: the fastest of the rounds
	skipped string
	err     error
}

// measure verifies every case on every engine once, then times the ones
// that passed count times (round-robin over engines), keeping the fastest.
func measure(ctx context.Context, cases []bench.Case, engines []bench.Engine, count int, timer timer, progress io.Writer) map[string]map[string]cell {
	out := map[string]map[string]cell{}
	for _, c := range cases {
		out[c.Key()] = map[string]cell{}
		for _, e := range engines {
			var cl cell
			cl.skipped, cl.err = c.Verify(ctx, e)
			switch {
			case cl.err != nil:
				fmt.Fprintf(progress, "%s/%s: error: %v\n", c.Key(), e.Name(), cl.err)
			case cl.skipped != "":
				fmt.Fprintf(progress, "%s/%s: skipped: %s\n", c.Key(), e.Name(), cl.skipped)
			}
			out[c.Key()][e.Name()] = cl
		}
		for round := 1; round <= count; round++ {
			for _, e := range engines {
				cl := out[c.Key()][e.Name()]
				if cl.err != nil || cl.skipped != "" {
					continue
				}
				fmt.Fprintf(progress, "%s/%s (%d/%d) ... ", c.Key(), e.Name(), round, count)
				if ns, err := timer(ctx, c, e); err != nil {
					cl.err = err
					fmt.Fprintln(progress, cl.err)
				} else {
					fmt.Fprintf(progress, "%s/op\n", duration(ns))
					if cl.nsPerOp == 0 || ns < cl.nsPerOp {
						cl.nsPerOp = ns
					}
				}
				out[c.Key()][e.Name()] = cl
			}
		}
	}
	return out
}

// timer measures one case on one engine: nanoseconds per operation.
type timer func(ctx context.Context, c bench.Case, e bench.Engine) (float64, error)

// wallTime is testing.Benchmark's wall-clock time per operation.
func wallTime(ctx context.Context, c bench.Case, e bench.Engine) (float64, error) {
	r := testing.Benchmark(c.Benchmark(e))
	if r.N == 0 {
		return 0, fmt.Errorf("benchmark failed after a successful check")
	}
	return float64(r.T.Nanoseconds()) / float64(r.N), nil
}

func header(w io.Writer, benchtime time.Duration, count int, note string) {
	fmt.Fprintf(w, "Go %s %s/%s, GOMAXPROCS=%d, benchtime %s, best of %d, %s\n\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), benchtime, count,
		time.Now().UTC().Format("2006-01-02 15:04 MST"))
	if note != "" {
		fmt.Fprintf(w, "Note: %s.\n\n", note)
	}
}

// pair is one ratio column: kiln engine time / wazero engine time.
type pair struct{ num, den bench.Engine }

// pairs lists the ratio columns: a kiln interpreter against every wazero
// engine (its peer and the compiler it is measured against), a kiln
// compiler against wazero's compiler only (comparing it with an
// interpreter says nothing).
func pairs(engines []bench.Engine) []pair {
	var ps []pair
	for _, k := range engines {
		if k.Runtime() != "kiln" {
			continue
		}
		for _, w := range engines {
			if w.Runtime() == "wazero" && (k.Kind() == bench.Interpreter || w.Kind() == k.Kind()) {
				ps = append(ps, pair{k, w})
			}
		}
	}
	return ps
}

func report(w io.Writer, cases []bench.Case, engines []bench.Engine, results map[string]map[string]cell) {
	ps := pairs(engines)
	var problems []string
	for gi, group := range groups(cases) {
		if gi > 0 {
			fmt.Fprintln(w)
		}
		fmt.Fprintf(w, "### %s (time per operation)\n\n", group)
		cols := []string{"case"}
		for _, e := range engines {
			cols = append(cols, e.Name())
		}
		for _, p := range ps {
			cols = append(cols, p.num.Name()+" / "+p.den.Name())
		}
		fmt.Fprintf(w, "| %s |\n|---|%s\n", strings.Join(cols, " | "), strings.Repeat("---:|", len(cols)-1))
		logSums := make([]float64, len(ps))
		counts := make([]int, len(ps))
		for _, c := range cases {
			if c.Group != group {
				continue
			}
			row := []string{c.Name}
			for _, e := range engines {
				cl := results[c.Key()][e.Name()]
				row = append(row, format(c, cl))
				switch {
				case cl.err != nil:
					problems = append(problems, fmt.Sprintf("%s on %s: %v", c.Key(), e.Name(), cl.err))
				case cl.skipped != "":
					problems = append(problems, fmt.Sprintf("%s skipped on %s: %s", c.Key(), e.Name(), cl.skipped))
				}
			}
			for i, p := range ps {
				a, b := results[c.Key()][p.num.Name()], results[c.Key()][p.den.Name()]
				if a.nsPerOp > 0 && b.nsPerOp > 0 {
					r := a.nsPerOp / b.nsPerOp
					logSums[i] += math.Log(r)
					counts[i]++
					row = append(row, fmt.Sprintf("%.2fx", r))
				} else {
					row = append(row, "-")
				}
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
		if len(ps) > 0 {
			row := []string{"**geomean**"}
			for range engines {
				row = append(row, "")
			}
			for i := range ps {
				if counts[i] == 0 {
					row = append(row, "-")
					continue
				}
				row = append(row, fmt.Sprintf("**%.2fx**", math.Exp(logSums[i]/float64(counts[i]))))
			}
			fmt.Fprintf(w, "| %s |\n", strings.Join(row, " | "))
		}
	}
	if len(ps) == 0 {
		fmt.Fprintln(w, "\nNo kiln engine in this build, so no ratios.")
	}
	if len(problems) > 0 {
		fmt.Fprintln(w, "\nNot measured:")
		for _, p := range problems {
			fmt.Fprintf(w, "- %s\n", p)
		}
	}
}

// groups lists the case groups in first-seen order.
func groups(cases []bench.Case) []string {
	var gs []string
	seen := map[string]bool{}
	for _, c := range cases {
		if !seen[c.Group] {
			seen[c.Group] = true
			gs = append(gs, c.Group)
		}
	}
	return gs
}

func format(c bench.Case, cl cell) string {
	switch {
	case cl.err != nil:
		return "error"
	case cl.skipped != "":
		return "skipped"
	}
	s := duration(cl.nsPerOp)
	if c.Bytes > 0 {
		s += fmt.Sprintf(" (%.1f MB/s)", float64(c.Bytes)/cl.nsPerOp*1e3)
	}
	if c.Inner > 0 {
		s += fmt.Sprintf(" (%.1f ns/call)", cl.nsPerOp/float64(c.Inner))
	}
	return s
}

// duration formats nanoseconds with three significant digits.
func duration(ns float64) string {
	switch {
	case ns >= 1e9:
		return fmt.Sprintf("%.3g s", ns/1e9)
	case ns >= 1e6:
		return fmt.Sprintf("%.3g ms", ns/1e6)
	case ns >= 1e3:
		return fmt.Sprintf("%.3g µs", ns/1e3)
	default:
		return fmt.Sprintf("%.3g ns", ns)
	}
}
