package wasi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// TestAuditRecordsNameThread: the main thread and three spawned threads
// each create the file "f<tid>" (tid as the thread got it from
// wasi_thread_start, 1 for the main thread), all at once; every audit
// record of a file names the thread that created it.
func TestAuditRecordsNameThread(t *testing.T) {
	rt := threadedRuntime()
	cm := compileThreaded(t, rt, `(module
	  (import "env" "memory" (memory 1 1 shared))
	  (import "wasi" "thread-spawn" (func $spawn (param i32) (result i32)))
	  (import "wasi_snapshot_preview1" "path_open"
	    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
	  ;; creates "f<tid>" beneath the preopen (fd 3); tid < 10
	  (func $create (param $tid i32) (local $p i32)
	    (local.set $p (i32.add (i32.const 64) (i32.mul (local.get $tid) (i32.const 16))))
	    (i32.store8 (local.get $p) (i32.const 102))
	    (i32.store8 offset=1 (local.get $p) (i32.add (i32.const 48) (local.get $tid)))
	    (if (call $open (i32.const 3) (i32.const 0) (local.get $p) (i32.const 2) (i32.const 1)
	          (i64.const 64) (i64.const 0) (i32.const 0) (i32.add (local.get $p) (i32.const 8)))
	      (then unreachable)))
	  (func (export "wasi_thread_start") (param $tid i32) (param $arg i32)
	    (call $create (local.get $tid))
	    (drop (i32.atomic.rmw.add (i32.const 0) (i32.const 1)))
	    (drop (memory.atomic.notify (i32.const 0) (i32.const 1))))
	  (func (export "_start") (local $i i32) (local $n i32)
	    (loop $spawn
	      (if (i32.le_s (call $spawn (i32.const 0)) (i32.const 0)) (then unreachable))
	      (local.set $i (i32.add (local.get $i) (i32.const 1)))
	      (br_if $spawn (i32.lt_u (local.get $i) (i32.const 3))))
	    (call $create (i32.const 1))
	    (loop $wait
	      (local.set $n (i32.atomic.load (i32.const 0)))
	      (if (i32.lt_u (local.get $n) (i32.const 3))
	        (then
	          (drop (memory.atomic.wait32 (i32.const 0) (local.get $n) (i64.const 10000000)))
	          (br $wait))))))`)
	var log bytes.Buffer
	code, err := wasi.Run(context.Background(), rt, cm, wasi.Config{
		Name:   "threads.wasm",
		Mounts: []wasi.Mount{{HostDir: t.TempDir(), GuestPath: "/d"}},
		Audit:  sandbox.NewJSONAuditor(&log),
	})
	if err != nil || code != 0 {
		t.Fatalf("exit %d, %v", code, err)
	}
	seen := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var rec struct {
			PID  int32
			TID  int32
			Path string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		if !strings.HasPrefix(rec.Path, "/d/f") {
			continue
		}
		seen[rec.Path] = true
		if want := "/d/f" + string(rune('0'+rec.TID)); rec.Path != want || rec.PID != 1 {
			t.Errorf("record %s: pid %d tid %d, want pid 1 and the tid in the path", line, rec.PID, rec.TID)
		}
	}
	if len(seen) != 4 {
		t.Errorf("records of %d files, want 4:\n%s", len(seen), log.String())
	}
}
