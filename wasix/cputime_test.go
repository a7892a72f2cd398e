package wasix_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
	"github.com/kilnrt/kiln/wasm"
	"github.com/kilnrt/kiln/wast"
)

// spinParentWAT spawns /spin.wasm, which spins, and spins too.
const spinParentWAT = `(module
  (import "wasix_32v1" "proc_spawn2" (func $spawn (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0x100) "/spin.wasm")
  (func (export "_start")
    (if (call $spawn (i32.const 0x100) (i32.const 10) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
          (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0x200))
      (then unreachable))
    (loop (br 0))))`

const spinWAT = `(module (memory (export "memory") 1) (func (export "_start") (loop (br 0))))`

// countWAT counts down from 30 million and exits with 0.
const countWAT = `(module (memory (export "memory") 1)
  (func (export "_start") (local i32)
    (local.set 0 (i32.const 30000000))
    (loop (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))`

func parseWAT(t *testing.T, src string) []byte {
	t.Helper()
	bin, err := wast.Parser{Features: wasm.Features3 | wasm.FeatureThreads}.ParseModule("t.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestCPUTimeQuota: a tree of two spinning processes (a parent and the
// child it spawned) ends at its CPU-time limit with the quota error and
// one audit record, while another process tree of the same runtime,
// metered under its own larger limit, runs to its end.
func TestCPUTimeQuota(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "spin.wasm"), parseWAT(t, spinWAT), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := newRuntime()
	parent, err := rt.CompileModule(ctx, parseWAT(t, spinParentWAT))
	if err != nil {
		t.Fatal(err)
	}
	counter, err := rt.CompileModule(ctx, parseWAT(t, countWAT))
	if err != nil {
		t.Fatal(err)
	}
	const limit = 300 * time.Millisecond
	acct := sandbox.NewAccount(sandbox.Limits{CPUTime: limit})
	var audit lockedBuffer
	var wg sync.WaitGroup
	var otherCode uint32
	var otherErr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		otherCode, otherErr = wasix.Run(ctx, rt, counter, wasi.Config{Name: "other", Limits: sandbox.Limits{CPUTime: time.Minute}})
	}()
	start := time.Now()
	_, err = wasix.Run(ctx, rt, parent, wasi.Config{Name: "spinner", Quota: acct, Audit: sandbox.NewJSONAuditor(&audit),
		Mounts: []wasi.Mount{{HostDir: dir, GuestPath: "/"}}, Policy: &sandbox.Policy{Spawn: sandbox.SpawnPolicy{Allow: true}}})
	elapsed := time.Since(start)
	var q *sandbox.QuotaExceeded
	if !errors.As(err, &q) || q.Resource != sandbox.ResCPUTime {
		t.Fatalf("spinning tree ended with %v, want the CPU-time quota", err)
	}
	if used := acct.Used(sandbox.ResCPUTime); used != uint64(limit) {
		t.Errorf("CPU time charged %v, want the whole %v", time.Duration(used), limit)
	}
	// Two spinning processes use the budget in at most its wall time
	// (plus the sampling period and the slack of a loaded machine).
	if elapsed > limit+5*time.Second {
		t.Errorf("the tree ran %v for a %v budget", elapsed, limit)
	}
	if got := audit.String(); strings.Count(got, `"op":"quota"`) != 1 || !strings.Contains(got, `"detail":"CPU time"`) {
		t.Errorf("audit log: %q, want one CPU-time quota record", got)
	}
	wg.Wait()
	if otherErr != nil || otherCode != 0 {
		t.Errorf("the other tree: code %d, %v; want a normal exit", otherCode, otherErr)
	}
}
