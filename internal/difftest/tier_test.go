//go:build kilnjit

package difftest

import (
	"context"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/internal/wasmgen"
)

// tierSeeds is the number of generated modules TestDifferentialTiers
// runs (KILN_DIFFTEST_SEEDS overrides it, KILN_DIFFTEST_FIRST sets the
// first seed).
const tierSeeds = 1000

// TestDifferentialTiers runs generated modules on EngineAuto with
// TierEagerly and on the interpreter, and requires that they observe the
// same, as TestDifferentialJIT does: every function goes to the next
// tier after two calls or loop back-edges, and a frame running when its
// function is compiled continues in the compiled code at its next
// back-edge, so that calls move between engines in the middle (their
// results, traps, fuel and the state they leave must not show it).
func TestDifferentialTiers(t *testing.T) {
	requireJIT(t)
	n := seedCount(t, tierSeeds, 200)
	first := envInt(t, "KILN_DIFFTEST_FIRST", 0)
	ctx := context.Background()
	under := kiln.RuntimeConfig{Engine: kiln.EngineAuto, TierEagerly: true}
	var modules, agree, calls, stackStops int
	var entries uint64
	failures := 0
	for seed := int64(first); seed < int64(first+n) && failures < 5; seed++ {
		input := seedBytes(seed, 16384)
		m := jitModeOf(input, seedBytes(seed+1<<32, 256))
		bin := wasmgen.Generate(input, m.cfg)
		diff, r, ok, stack, err := compareWith(ctx, under, bin, m)
		modules++
		if err != nil {
			failures++
			p := saveModule(t, fmt.Sprintf("kiln-tierdiff-seed%d.wasm", seed), bin)
			t.Errorf("seed %d (module saved to %s): %v", seed, p, err)
			continue
		}
		calls += ok
		entries += r.loopEntries
		if stack {
			stackStops++
		}
		if diff == "" {
			agree++
			continue
		}
		failures++
		p := saveModule(t, fmt.Sprintf("kiln-tierdiff-seed%d.wasm", seed), bin)
		small := Shrink(input, func(in []byte) bool {
			d, _, _, _, err := compareWith(ctx, under, wasmgen.Generate(in, m.cfg), m)
			return err == nil && d != ""
		}, 300)
		sbin := wasmgen.Generate(small, m.cfg)
		sp := saveModule(t, fmt.Sprintf("kiln-tierdiff-seed%d-small.wasm", seed), sbin)
		sdiff, _, _, _, _ := compareWith(ctx, under, sbin, m)
		t.Errorf("seed %d: eager tiering and the interpreter disagree (module saved to %s, mode %s):\n%s\nshrunk to %d bytes (%s):\n%s",
			seed, p, modeString(m), diff, len(sbin), sp, sdiff)
	}
	t.Logf("%d of %d modules agree (%d export calls agree; %d modules stopped at call-stack exhaustion); %d frames entered compiled code at a loop head",
		agree, modules, calls, stackStops, entries)
	if entries == 0 {
		t.Error("no frame entered compiled code at a loop head: the comparison of on-stack replacement is vacuous")
	}
}
