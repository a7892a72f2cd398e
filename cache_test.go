package kiln

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/wast"
)

func fibBinary(t testing.TB) []byte {
	t.Helper()
	bin, err := wast.ParseModule("fib.wat", []byte(fibWAT))
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func openCache(t testing.TB, dir string) *CompilationCache {
	t.Helper()
	c, err := OpenCompilationCache(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// callFib compiles bin in rt and checks fib(20).
func callFib(t testing.TB, rt *Runtime, bin []byte) error {
	t.Helper()
	ctx := context.Background()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return err
	}
	inst, err := rt.Instantiate(ctx, cm, ModuleConfig{})
	if err != nil {
		t.Fatalf("instantiate: %v", err)
	}
	defer inst.Close(ctx)
	res, err := inst.Func("fib").Call(ctx, 20)
	if err != nil || res[0] != 6765 {
		t.Fatalf("fib(20) = %v, %v; want 6765", res, err)
	}
	return nil
}

// entries lists the cache's entry files.
func entries(t testing.TB, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "*.kc"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestCompilationCacheHit(t *testing.T) {
	dir := t.TempDir()
	bin := fibBinary(t)
	first := openCache(t, dir)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: first}), bin); err != nil {
		t.Fatal(err)
	}
	if s := first.Stats(); s.Misses != 1 || s.Hits != 0 || s.WriteErrors != 0 {
		t.Fatalf("first compile: %+v, want one miss", s)
	}
	if n := len(entries(t, dir)); n != 1 {
		t.Fatalf("%d entries, want 1", n)
	}
	// A second cache on the same directory, as another process would open.
	second := openCache(t, dir)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: second}), bin); err != nil {
		t.Fatal(err)
	}
	if s := second.Stats(); s.Hits != 1 || s.Misses != 0 {
		t.Fatalf("second compile: %+v, want one hit", s)
	}
}

// TestCompilationCacheFeaturesKey: a module cached under one feature set
// is not used under another.
func TestCompilationCacheFeaturesKey(t *testing.T) {
	dir := t.TempDir()
	bin := fibBinary(t)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: openCache(t, dir)}), bin); err != nil {
		t.Fatal(err)
	}
	c := openCache(t, dir)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: c, Features: DefaultFeatures | (1 << 62)}), bin); err != nil {
		t.Fatal(err)
	}
	if s := c.Stats(); s.Hits != 0 || s.Misses != 1 {
		t.Errorf("other features: %+v, want a miss", s)
	}
}

// TestCompilationCacheCorruption flips every byte of an entry in turn:
// each time the entry is rejected and the module compiled again (and the
// entry rewritten), never loaded, never a crash.
func TestCompilationCacheCorruption(t *testing.T) {
	dir := t.TempDir()
	bin := fibBinary(t)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: openCache(t, dir)}), bin); err != nil {
		t.Fatal(err)
	}
	path := entries(t, dir)[0]
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := openCache(t, dir)
	rt := NewRuntime(RuntimeConfig{CompilationCache: c})
	for i := range good {
		bad := append([]byte(nil), good...)
		bad[i] ^= 0x01 << (i % 8)
		if err := os.WriteFile(path, bad, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := callFib(t, rt, bin); err != nil {
			t.Fatalf("byte %d flipped: %v", i, err)
		}
		if s := c.Stats(); s.Hits != 0 || s.Rejected != uint64(i+1) {
			t.Fatalf("byte %d flipped: %+v, want the entry rejected", i, s)
		}
		rewritten, err := os.ReadFile(path)
		// Rewritten: the same entry but for its nonce and tag.
		if err != nil || len(rewritten) != len(good) || string(rewritten[:len(good)-macSize]) != string(good[:len(good)-macSize]) {
			t.Fatalf("byte %d flipped: the recompiled module's entry was not rewritten (%v)", i, err)
		}
	}
	// Truncations too.
	for _, n := range []int{0, 1, 4, len(good) / 2, len(good) - 1} {
		if err := os.WriteFile(path, good[:n], 0o600); err != nil {
			t.Fatal(err)
		}
		before := c.Stats().Rejected
		if err := callFib(t, rt, bin); err != nil || c.Stats().Rejected != before+1 {
			t.Fatalf("truncated to %d: %v, %+v", n, err, c.Stats())
		}
	}
}

// TestCompilationCacheForeign: an entry under another cache's key, or
// from another kiln build, is rejected.
func TestCompilationCacheForeign(t *testing.T) {
	bin := fibBinary(t)
	dirA, dirB := t.TempDir(), t.TempDir()
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: openCache(t, dirA)}), bin); err != nil {
		t.Fatal(err)
	}
	// Copy A's entry into B, whose key differs.
	openCache(t, dirB)
	data, err := os.ReadFile(entries(t, dirA)[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dirB, filepath.Base(entries(t, dirA)[0])), data, 0o600); err != nil {
		t.Fatal(err)
	}
	b := openCache(t, dirB)
	if err := callFib(t, NewRuntime(RuntimeConfig{CompilationCache: b}), bin); err != nil {
		t.Fatal(err)
	}
	if s := b.Stats(); s.Hits != 0 || s.Rejected != 1 {
		t.Errorf("entry under another key: %+v, want rejected", s)
	}
	// Another build writes its entries under other names, and an entry
	// claiming another build is rejected even under the right key.
	saved := buildID
	defer func() { buildID = saved }()
	buildID = func() string { return "another build" }
	a := openCache(t, dirA)
	rt := NewRuntime(RuntimeConfig{CompilationCache: a})
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	if s := a.Stats(); s.Misses != 1 || s.Hits != 0 {
		t.Errorf("another build: %+v, want a miss", s)
	}
	artifact, err := rt.SaveCompiled(cm)
	if err != nil {
		t.Fatal(err)
	}
	buildID = saved
	a = openCache(t, dirA)
	if _, err := NewRuntime(RuntimeConfig{CompilationCache: a}).LoadCompiled(artifact); err != nil {
		t.Fatal(err)
	}
	if s := a.Stats(); s.Hits != 0 || s.Rejected != 1 {
		t.Errorf("artifact of another build: %+v, want rejected and recompiled", s)
	}
}

// TestCompilationCacheConcurrent: caches opened at once on a new
// directory agree on one key, and concurrent compiles of one module all
// succeed while entries are being replaced.
func TestCompilationCacheConcurrent(t *testing.T) {
	dir := t.TempDir()
	bin := fibBinary(t)
	const n = 8
	caches := make([]*CompilationCache, n)
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range caches {
		wg.Add(1)
		go func() {
			defer wg.Done()
			caches[i], errs[i] = OpenCompilationCache(dir)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
		if string(caches[i].key) != string(caches[0].key) {
			t.Fatal("caches opened concurrently use different keys")
		}
	}
	for round := 0; round < 3; round++ {
		for i := range caches {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = callFib(t, NewRuntime(RuntimeConfig{CompilationCache: caches[i]}), bin)
			}()
		}
		wg.Wait()
		for _, err := range errs {
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, c := range caches {
		if s := c.Stats(); s.Rejected != 0 || s.WriteErrors != 0 {
			t.Errorf("%+v: an entry was seen partially written or not written", s)
		}
	}
}

// TestArtifactCorruption flips every byte of an artifact: loading it
// either fails (its framing or module is damaged) or compiles its module
// again; it is never loaded as is.
func TestArtifactCorruption(t *testing.T) {
	bin := fibBinary(t)
	c := openCache(t, t.TempDir())
	rt := NewRuntime(RuntimeConfig{CompilationCache: c})
	cm, err := rt.CompileModule(context.Background(), bin)
	if err != nil {
		t.Fatal(err)
	}
	art, err := rt.SaveCompiled(cm)
	if err != nil {
		t.Fatal(err)
	}
	if err := callFib(t, rt, art); err != nil || c.Stats().Hits != 1 {
		t.Fatalf("intact artifact: %v, %+v; want a hit", err, c.Stats())
	}
	failed := 0
	for i := range art {
		bad := append([]byte(nil), art...)
		bad[i] ^= 0x80 >> (i % 8)
		before := c.Stats()
		if err := callFib(t, rt, bad); err != nil {
			failed++
		}
		if s := c.Stats(); s.Hits != before.Hits {
			t.Fatalf("byte %d flipped: the artifact was loaded (%+v)", i, s)
		}
	}
	t.Logf("%d of %d flipped artifacts refused, the others recompiled", failed, len(art))
	if _, err := NewRuntime(RuntimeConfig{}).SaveCompiled(cm); err == nil {
		t.Error("SaveCompiled without a cache: no error")
	}
	if err := callFib(t, NewRuntime(RuntimeConfig{}), art); err != nil {
		t.Errorf("artifact without a cache (recompiled): %v", err)
	}
}
