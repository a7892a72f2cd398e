package sandbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/netip"
	"strings"
	"syscall"
	"testing"
	"time"
)

func decodeLines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		if line == "" {
			continue
		}
		var m map[string]any
		if err := json.Unmarshal([]byte(line), &m); err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		out = append(out, m)
	}
	return out
}

func TestAuditJSON(t *testing.T) {
	var buf bytes.Buffer
	a := NewJSONAuditor(&buf)
	ctx := context.Background()
	who := Subject{Module: "app.wasm", PID: 3, TID: 7}
	p := testPolicy(t)

	// An allowed open, a denied write, a denied connect, a quota hit and a
	// host failure of an allowed operation.
	_, _, err := p.CheckPath(OpOpen, "/data/a.txt", AccessRead)
	a.RecordResult(ctx, who, Event{Op: OpOpen, Path: "/data/a.txt"}, err)
	_, _, err = p.CheckPath(OpUnlink, "/data/a.txt", AccessWrite)
	a.RecordResult(ctx, who, Event{Op: OpUnlink, Path: "/data/a.txt"}, err)
	dst := netip.MustParseAddrPort("192.0.2.1:25")
	a.RecordResult(ctx, who, Event{Op: OpConnect, Addr: dst, Proto: ProtoTCP}, p.CheckConnect(dst, ProtoTCP))
	acct := NewAccount(Limits{Threads: 1})
	_ = acct.Acquire(ResThreads, 1)
	a.RecordResult(ctx, who, Event{Op: OpQuota}, acct.Acquire(ResThreads, 1))
	a.RecordResult(ctx, who, Event{Op: OpRename, Path: "/data/out/a", Path2: "/data/out/b"}, syscall.ENOENT)
	when := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	a.Record(ctx, Event{Time: when, Module: "app.wasm", PID: 3, TID: 7, Op: OpSignal, Signal: 9, Target: 4, Decision: DecisionAllowed})

	recs := decodeLines(t, &buf)
	if len(recs) != 6 {
		t.Fatalf("%d records, want 6:\n%s", len(recs), buf.String())
	}
	want := []map[string]any{
		{"level": "INFO", "op": "open", "path": "/data/a.txt", "decision": "allowed", "result": "ok"},
		{"level": "WARN", "op": "unlink", "path": "/data/a.txt", "decision": "denied", "detail": `read-only: mount "/data" is read-only`},
		{"level": "WARN", "op": "connect", "addr": "192.0.2.1:25", "proto": "tcp", "decision": "denied"},
		{"level": "WARN", "op": "quota", "detail": "threads", "decision": "denied", "result": "quota exceeded: threads: requested 1, used 1 of 1"},
		{"level": "INFO", "op": "rename", "path": "/data/out/a", "path2": "/data/out/b", "decision": "allowed", "result": "no such file or directory"},
		{"level": "INFO", "op": "signal", "signal": 9.0, "target": 4.0, "time": "2026-01-02T03:04:05Z"},
	}
	for i, w := range want {
		r := recs[i]
		for k, v := range w {
			if r[k] != v {
				t.Errorf("record %d: %s = %v, want %v\n%v", i, k, r[k], v, r)
			}
		}
		for k, v := range map[string]any{"msg": AuditMessage, "module": "app.wasm", "pid": 3.0, "tid": 7.0} {
			if r[k] != v {
				t.Errorf("record %d: %s = %v, want %v", i, k, r[k], v)
			}
		}
		if _, ok := r["time"]; !ok {
			t.Errorf("record %d has no time", i)
		}
	}
	if !strings.Contains(recs[2]["result"].(string), "no connect rule matches") {
		t.Errorf("denied connect result %v", recs[2]["result"])
	}
	if _, ok := recs[0]["addr"]; ok {
		t.Error("unused fields are logged")
	}
}

// captureHandler keeps records to check that NewAuditor uses any handler.
type captureHandler struct {
	min  slog.Level
	recs []slog.Record
}

func (h *captureHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.min }
func (h *captureHandler) Handle(_ context.Context, r slog.Record) error {
	h.recs = append(h.recs, r)
	return errors.New("sink failure is ignored")
}
func (h *captureHandler) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *captureHandler) WithGroup(string) slog.Handler      { return h }

func TestAuditHandlerLevels(t *testing.T) {
	h := &captureHandler{min: slog.LevelWarn}
	a := NewAuditor(h)
	ctx := context.Background()
	a.RecordResult(ctx, Subject{}, Event{Op: OpSpawn, Program: "/bin/x"}, nil)
	a.RecordResult(ctx, Subject{}, Event{Op: OpSpawn, Program: "/bin/x"}, (&Policy{}).CheckSpawn(OpSpawn, "/bin/x"))
	if len(h.recs) != 1 || h.recs[0].Level != slog.LevelWarn {
		t.Fatalf("records %v, want only the denial", h.recs)
	}
	found := false
	h.recs[0].Attrs(func(at slog.Attr) bool {
		if at.Key == "program" && at.Value.String() == "/bin/x" {
			found = true
		}
		return true
	})
	if !found {
		t.Error("program attribute missing")
	}
	if NewAuditor(nil) != nil {
		t.Error("NewAuditor(nil) is not the off state")
	}
}

func TestAuditOff(t *testing.T) {
	var a *Auditor
	if a.Enabled() {
		t.Fatal("nil auditor enabled")
	}
	ctx := context.Background()
	addr := netip.MustParseAddrPort("10.0.0.1:80")
	denial := &Denied{Op: OpConnect, Target: "x", Code: DenyNotGranted}
	allocs := testing.AllocsPerRun(1000, func() {
		a.Record(ctx, Event{Module: "m", PID: 1, TID: 1, Op: OpConnect, Addr: addr, Proto: ProtoTCP, Decision: DecisionDenied, Err: denial})
		a.RecordResult(ctx, Subject{Module: "m", PID: 1}, Event{Op: OpOpen, Path: "/x"}, syscall.EACCES)
	})
	if allocs != 0 {
		t.Errorf("disabled auditor allocates %v times per call", allocs)
	}
}

func BenchmarkAuditOff(b *testing.B) {
	var a *Auditor
	ctx := context.Background()
	for i := 0; i < b.N; i++ {
		a.RecordResult(ctx, Subject{Module: "m", PID: 1}, Event{Op: OpOpen, Path: "/x"}, nil)
	}
}
