// Command pairs counts the interpreter instructions, and the pairs of
// consecutive instructions, that kiln executes on the run workloads: the
// measurement superinstructions are chosen from. It needs kiln built with
// the kilnpairs tag (the counting is compiled out otherwise):
//
//	go run -tags kilnpairs ./cmd/pairs [-run regexp] [-top 40] [-v]
//
// For each workload it times nothing: it sets the case up on kiln (which
// checks the result against the Go reference), zeroes the counters, runs
// the timed operation once and reads the counters. The summary weighs the
// workloads equally: a pair's share is the mean, over the workloads, of
// its count divided by the workload's executed instructions. A pair counts
// only when the second instruction directly followed the first in code
// order (the first fell through), so the two could be fused.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"regexp"
	"sort"

	"github.com/kilnrt/kiln/bench"
	"github.com/kilnrt/kiln/interp"
)

func main() {
	run := flag.String("run", ".", "regexp selecting run workloads by name")
	top := flag.Int("top", 40, "how many instructions and pairs to print")
	verbose := flag.Bool("v", false, "also print each workload's top pairs")
	flag.Parse()
	if !interp.PairCountingEnabled() {
		fail(fmt.Errorf("kiln was built without counting: use go run -tags kilnpairs ./cmd/pairs"))
	}
	sel, err := regexp.Compile(*run)
	if err != nil {
		fail(fmt.Errorf("-run: %w", err))
	}
	ctx := context.Background()
	engines, _, err := bench.Engines(ctx)
	if err != nil {
		fail(err)
	}
	defer bench.CloseAll(ctx, engines)
	var kiln bench.Engine
	for _, e := range engines {
		if e.Name() == "kiln-interp" {
			kiln = e
		}
	}
	if kiln == nil {
		fail(fmt.Errorf("no kiln-interp engine"))
	}

	type share struct {
		key   string
		sum   float64 // sum over workloads of count/total
		where string  // the workload where the share is largest
		max   float64
	}
	opShare, pairShare := map[string]*share{}, map[string]*share{}
	add := func(m map[string]*share, key, workload string, f float64) {
		s := m[key]
		if s == nil {
			s = &share{key: key}
			m[key] = s
		}
		s.sum += f
		if f > s.max {
			s.max, s.where = f, workload
		}
	}
	n := 0
	for _, c := range bench.Cases() {
		if c.Group != "run" || !sel.MatchString(c.Name) {
			continue
		}
		op, cleanup, err := c.Setup(ctx, kiln)
		if err != nil {
			fail(fmt.Errorf("%s: %w", c.Key(), err))
		}
		interp.ResetOpCounts()
		err = op(ctx)
		cleanup()
		if err != nil {
			fail(fmt.Errorf("%s: %w", c.Key(), err))
		}
		ops, pairs := interp.OpCounts()
		total := uint64(0)
		for _, o := range ops {
			total += o.N
		}
		n++
		fmt.Fprintf(os.Stderr, "%s: %d instructions\n", c.Name, total)
		for _, o := range ops {
			add(opShare, o.Op, c.Name, float64(o.N)/float64(total))
		}
		for i, p := range pairs {
			add(pairShare, p.Op+" > "+p.Next, c.Name, float64(p.N)/float64(total))
			if *verbose && i < 10 {
				fmt.Printf("  %-12s %5.1f%%  %s > %s\n", c.Name, 100*float64(p.N)/float64(total), p.Op, p.Next)
			}
		}
	}
	if n == 0 {
		fail(fmt.Errorf("no run workload matches %q", *run))
	}
	print := func(title string, m map[string]*share) {
		var s []*share
		for _, v := range m {
			s = append(s, v)
		}
		sort.Slice(s, func(i, j int) bool { return s[i].sum > s[j].sum })
		fmt.Printf("\n%s (mean share over %d workloads; largest share and where)\n\n", title, n)
		for i, v := range s {
			if i == *top {
				break
			}
			fmt.Printf("%6.2f%%  %6.2f%% %-12s  %s\n", 100*v.sum/float64(n), 100*v.max, v.where, v.key)
		}
	}
	print("instructions", opShare)
	print("pairs", pairShare)
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "pairs:", err)
	os.Exit(1)
}
