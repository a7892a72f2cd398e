package wasix_test

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasix"
)

// TestAuditNamesThread runs audit_threads: four threads of one process
// connect at once, each to port 1000 + its thread ID, and are refused;
// the audit event of each refusal names the thread the port names.
func TestAuditNamesThread(t *testing.T) {
	bin, err := os.ReadFile(filepath.Join("testdata", "audit_threads.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	rt := newRuntime()
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	var log auditLog
	if _, err := wasix.Run(ctx, rt, cm, wasi.Config{Stdout: &out, Policy: netPolicy(t, false), Auditor: &log}); err != nil {
		t.Fatal(err)
	}
	if want := "spawned 3, refused 4\n"; out.String() != want {
		t.Fatalf("stdout %q, want %q", out.String(), want)
	}
	tids := map[kernel.TID]bool{}
	for _, ev := range log.events {
		if ev.Op != kernel.OpConnect {
			continue
		}
		if want := kernel.TID(ev.Addr.Port() - 1000); ev.TID != want || ev.Allowed {
			t.Errorf("connect to %v: tid %d, allowed %v; want tid %d, refused", ev.Addr, ev.TID, ev.Allowed, want)
		}
		tids[ev.TID] = true
	}
	if len(tids) != 4 || !tids[1] {
		t.Errorf("connect records of threads %v, want the main thread and three others", tids)
	}
}

// TestAuditChildProcesses runs the spawn bomb (each child spawns the
// next, up to the process quota) with an audit log: the records of each
// process carry its own PID and its thread's TID, 1.
func TestAuditChildProcesses(t *testing.T) {
	var p program
	for _, q := range programs {
		if q.name == "spawn-bomb" {
			p = q
		}
	}
	var log bytes.Buffer
	p.audit = sandbox.NewJSONAuditor(&log)
	if code, out, _ := runOnKiln(t, p); code != p.code || out != p.stdout {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	pids := map[int32]bool{}
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var rec struct {
			PID int32
			TID int32
			Op  string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		if rec.Op != "spawn" && rec.Op != "quota" {
			continue
		}
		pids[rec.PID] = true
		if rec.TID != 1 {
			t.Errorf("record %s: tid %d, want 1", line, rec.TID)
		}
	}
	if len(pids) != 4 {
		t.Errorf("spawn and quota records of processes %v, want 4 processes:\n%s", pids, log.String())
	}
}
