package kiln

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
)

// cpuTime is the process's user and system time so far.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestCacheLoadHelper is run as a child process by TestCacheLoadSpeed: it
// compiles $KILN_CACHE_SPEED_MODULE through the cache in
// $KILN_CACHE_SPEED_DIR ("none": without a cache) once and prints the wall and CPU time it took.
func TestCacheLoadHelper(t *testing.T) {
	module, dir := os.Getenv("KILN_CACHE_SPEED_MODULE"), os.Getenv("KILN_CACHE_SPEED_DIR")
	if module == "" {
		t.Skip("run by TestCacheLoadSpeed")
	}
	bin, err := os.ReadFile(module)
	if err != nil {
		t.Fatal(err)
	}
	var c *CompilationCache
	if dir != "none" {
		if c, err = OpenCompilationCache(dir); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := ParseEngine(os.Getenv(testsuite.EngineEnv))
	if err != nil {
		t.Fatal(err)
	}
	rt := NewRuntime(RuntimeConfig{CompilationCache: c, Engine: eng})
	cpu0, wall0 := cpuTime(), time.Now()
	if _, err := rt.CompileModule(context.Background(), bin); err != nil {
		t.Fatal(err)
	}
	wall, cpu := time.Since(wall0), cpuTime()-cpu0
	var s CacheStats
	if c != nil {
		s = c.Stats()
	}
	fmt.Printf("RESULT hits=%d misses=%d wall=%d cpu=%d\n", s.Hits, s.Misses, wall, cpu)
}

// TestCacheLoadSpeed (opt-in: KILN_CACHE_SPEED=1, a timing test) compiles
// the largest bench module in one process on the engine $KILN_ENGINE
// selects, then loads it from the cache in fresh processes, and checks that loading takes less than a fifth of
// compiling (best of 5 of each, CPU time; wall time is reported too).
func TestCacheLoadSpeed(t *testing.T) {
	if os.Getenv("KILN_CACHE_SPEED") == "" {
		t.Skip("timing test: set KILN_CACHE_SPEED=1")
	}
	module, err := filepath.Abs("bench/workloads/wasm/jsonrt.wasm")
	if err != nil {
		t.Fatal(err)
	}
	run := func(dir string) (hit bool, wall, cpu time.Duration) {
		cmd, err := testsuite.SelfCommand("-test.run", "^TestCacheLoadHelper$", "-test.count", "1")
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(os.Environ(), "KILN_CACHE_SPEED_MODULE="+module, "KILN_CACHE_SPEED_DIR="+dir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%v\n%s", err, out)
		}
		for _, line := range strings.Split(string(out), "\n") {
			var hits, misses int
			var w, c int64
			if _, err := fmt.Sscanf(line, "RESULT hits=%d misses=%d wall=%d cpu=%d", &hits, &misses, &w, &c); err == nil {
				return hits == 1, time.Duration(w), time.Duration(c)
			}
		}
		t.Fatalf("no result in\n%s", out)
		return
	}
	const rounds = 5
	best := func(d *time.Duration, v time.Duration) {
		if *d == 0 || v < *d {
			*d = v
		}
	}
	var compileCPU, storeCPU, loadCPU, compileWall, loadWall time.Duration
	for i := 0; i < rounds; i++ {
		_, w, c := run("none") // compiles, no cache
		best(&compileCPU, c)
		best(&compileWall, w)
		dir := t.TempDir()
		hit, _, c := run(dir) // compiles and stores
		if hit {
			t.Fatal("first process hit an empty cache")
		}
		best(&storeCPU, c)
		hit, w, c = run(dir) // loads
		if !hit {
			t.Fatal("second process missed the cache")
		}
		best(&loadCPU, c)
		best(&loadWall, w)
	}
	t.Logf("jsonrt.wasm (3.3 MB), engine %q, best of %d processes each: compile %v CPU (%v wall); compile and store %v CPU; load from the cache in another process %v CPU (%v wall): %.1fx faster (CPU)",
		os.Getenv(testsuite.EngineEnv), rounds, compileCPU, compileWall, storeCPU, loadCPU, loadWall, float64(compileCPU)/float64(loadCPU))
	if loadCPU*5 >= compileCPU {
		t.Errorf("loading takes %v, not less than a fifth of compiling (%v)", loadCPU, compileCPU)
	}
}
