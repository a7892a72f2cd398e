//go:build kilnjit

package kiln_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"testing"
	"time"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wast"
)

// TestProfilerJIT: the profiler samples machine code (a walk of the
// machine stack at the interruption check): calls compiled by the JIT
// give samples naming hot and main, as interpreted ones do.
func TestProfilerJIT(t *testing.T) {
	bin, err := wast.ParseModule("hotcold.wat", []byte(hotColdWAT))
	if err != nil {
		t.Fatal(err)
	}
	bin = withNames(bin, "hot", "cold", "main")
	p := kiln.NewProfiler(1000)
	rt := kiln.NewRuntime(kiln.RuntimeConfig{Engine: kiln.EngineJIT, Profiler: p})
	ctx := context.Background()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	if n := cm.EngineStats()[kiln.EngineJIT]; n != 3 {
		t.Fatalf("the JIT compiled %d functions of 3: %v", n, cm.EngineStats())
	}
	inst, err := rt.Instantiate(ctx, cm, kiln.ModuleConfig{})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(20 * time.Second)
	for p.Samples() < 20 && time.Now().Before(deadline) {
		if _, err := inst.Func("main").Call(ctx, 20_000_000); err != nil {
			t.Fatal(err)
		}
	}
	p.Stop()
	if p.Samples() < 20 {
		t.Fatalf("%d samples of machine code in 20 s", p.Samples())
	}
	var buf bytes.Buffer
	if err := p.WriteProfile(&buf, "hotcold.wasm"); err != nil {
		t.Fatal(err)
	}
	zr, err := gzip.NewReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"hot", "main"} {
		if !bytes.Contains(raw, []byte(name)) {
			t.Errorf("the profile names no %q", name)
		}
	}
}
