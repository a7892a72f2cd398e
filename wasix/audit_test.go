package wasix_test

import (
	"bytes"
	"encoding/json"
	"net/netip"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

// auditRecord is the part of a JSON audit record these tests check.
type auditRecord struct {
	PID  int32
	TID  int32
	Op   string
	Addr string
}

// auditRecords runs p with a JSON audit log and returns its records.
func auditRecords(t *testing.T, p program) []auditRecord {
	t.Helper()
	var log bytes.Buffer
	p.audit = sandbox.NewJSONAuditor(&log)
	if code, out, _ := runOnKiln(t, p); code != p.code || out != p.stdout {
		t.Fatalf("exit %d, stdout %q; want %d, %q", code, out, p.code, p.stdout)
	}
	var recs []auditRecord
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var rec auditRecord
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		recs = append(recs, rec)
	}
	return recs
}

// TestAuditNamesThread runs audit_threads: four threads of one process
// connect at once, each to port 1000 + its thread ID, and are refused
// (no network rule); the record of each refusal names the thread the
// port names.
func TestAuditNamesThread(t *testing.T) {
	tids := map[int32]bool{}
	for _, rec := range auditRecords(t, program{prog: "audit_threads", stdout: "spawned 3, refused 4\n"}) {
		if rec.Op != "connect" {
			continue
		}
		ap, err := netip.ParseAddrPort(rec.Addr)
		if err != nil {
			t.Fatal(err)
		}
		if want := int32(ap.Port()) - 1000; rec.TID != want || rec.PID != 1 {
			t.Errorf("connect to %v: pid %d tid %d, want pid 1 tid %d", ap, rec.PID, rec.TID, want)
		}
		tids[rec.TID] = true
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
	pids := map[int32]bool{}
	for _, rec := range auditRecords(t, p) {
		if rec.Op != "spawn" && rec.Op != "quota" {
			continue
		}
		pids[rec.PID] = true
		if rec.TID != 1 {
			t.Errorf("%s record of pid %d: tid %d, want 1", rec.Op, rec.PID, rec.TID)
		}
	}
	if len(pids) != 4 {
		t.Errorf("spawn and quota records of processes %v, want 4 processes", pids)
	}
}
