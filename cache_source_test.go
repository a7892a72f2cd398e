package kiln_test

import (
	"context"
	"errors"
	"os"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/wasi"
)

// A module loaded from the compilation cache, or from an artifact, keeps
// its traps' source positions (its DWARF sections come with it).
func TestCachedModuleSourcePositions(t *testing.T) {
	bin, err := os.ReadFile("testdata/dwarf/divide.wasm")
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	dir := t.TempDir()
	first, err := kiln.OpenCompilationCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := kiln.NewRuntime(kiln.RuntimeConfig{CompilationCache: first}).CompileModule(ctx, bin); err != nil {
		t.Fatal(err)
	}
	cache, err := kiln.OpenCompilationCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	rt := kiln.NewRuntime(kiln.RuntimeConfig{CompilationCache: cache})
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	art, err := rt.SaveCompiled(cm)
	if err != nil {
		t.Fatal(err)
	}
	fromArtifact, err := rt.LoadCompiled(art)
	if err != nil {
		t.Fatal(err)
	}
	if s := cache.Stats(); s.Hits != 2 {
		t.Fatalf("stats %+v: want the cache entry and the artifact loaded", s)
	}
	for name, m := range map[string]*kiln.CompiledModule{"cache": cm, "artifact": fromArtifact} {
		_, err = wasi.Run(ctx, rt, m, wasi.Config{Args: []string{"divide"}})
		var trap *kiln.Trap
		if !errors.As(err, &trap) || len(trap.Frames) == 0 {
			t.Fatalf("%s: want a trap with frames, got %v", name, err)
		}
		want := kiln.SourcePos{Function: "divide", File: "divide.c", Line: 7, Column: 11}
		if got := trap.Frames[0].Source; got == nil || *got != want {
			t.Errorf("%s: frame 0 source %+v, want %+v", name, got, want)
		}
	}
}
