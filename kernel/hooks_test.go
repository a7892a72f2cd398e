//go:build linux

package kernel

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
)

// noSecrets refuses anything under /data/secret.
type noSecrets struct{}

func (noSecrets) CheckFile(op Op, p string) error {
	if p == "/data/secret" || len(p) > 12 && p[:13] == "/data/secret/" {
		return EPERM
	}
	return nil
}

func TestFilePolicyAndAudit(t *testing.T) {
	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec, FilePolicy: noSecrets{}})
	wantE(t, "mkdir allowed", p.PathCreateDirectory(context.Background(), dataFD, "pub"), ESUCCESS)
	wantE(t, "mkdir denied", p.PathCreateDirectory(context.Background(), dataFD, "secret"), EPERM)
	_, e := p.PathOpen(context.Background(), dataFD, 0, "secret/x", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create denied", e, EPERM)
	wantE(t, "rename into denied", p.PathRename(context.Background(), dataFD, "pub", dataFD, "secret"), EPERM)
	_, e = p.PathOpen(context.Background(), dataFD, 0, "pub/x", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create allowed", e, ESUCCESS)

	want := []AuditEvent{
		{Op: OpMkdir, Path: "/data/pub", Allowed: true},
		{Op: OpMkdir, Path: "/data/secret", Errno: EPERM},
		{Op: OpCreate, Path: "/data/secret/x", Errno: EPERM},
		{Op: OpRename, Path: "/data/secret", Errno: EPERM},
		{Op: OpCreate, Path: "/data/pub/x", Allowed: true},
	}
	if len(rec.events) != len(want) {
		t.Fatalf("audit events = %+v", rec.events)
	}
	for i, w := range want {
		if (rec.events[i].Err != nil) != !w.Allowed {
			t.Errorf("event %d: Err = %v with Allowed %v", i, rec.events[i].Err, w.Allowed)
		}
		rec.events[i].Err = nil
		if rec.events[i] != w {
			t.Errorf("event %d = %+v, want %+v", i, rec.events[i], w)
		}
	}
}

// TestAuditWrittenPathAndReadOnlyRefusal: file records carry the path as
// the guest wrote it beside the resolved one, a write refused by a
// read-only mount (no policy configured) is recorded as a denial, and
// through the sandbox auditor a refused engine growth (no errno) is not
// reported as "ok".
func TestAuditWrittenPathAndReadOnlyRefusal(t *testing.T) {
	rec := &recorder{}
	p, _ := newProc(t, Config{Auditor: rec})
	wantE(t, "mkdir", p.PathCreateDirectory(context.Background(), dataFD, "x"), ESUCCESS)
	wantE(t, "mkdir", p.PathCreateDirectory(context.Background(), dataFD, "x/y"), ESUCCESS)
	wantE(t, "mkdir", p.PathCreateDirectory(context.Background(), dataFD, "x//y/../z"), ESUCCESS)
	ev, ok := rec.events[2], len(rec.events) == 3
	if !ok || ev.Path != "/data/x/z" || ev.Written != "/data/x//y/../z" {
		t.Errorf("mkdir record = %+v, want path /data/x/z written /data/x//y/../z", ev)
	}
	wantE(t, "unlink below the read-only mount", p.PathUnlinkFile(context.Background(), etcFD, "hosts"), EROFS)
	ev, ok = rec.find(OpUnlink)
	if !ok || ev.Allowed || ev.Errno != EROFS || !errors.Is(ev.Err, ErrReadOnly) {
		t.Errorf("read-only refusal record = %+v, want a denial with ErrReadOnly", ev)
	}

	var buf bytes.Buffer
	a := SandboxAuditor(sandbox.NewJSONAuditor(&buf), sandbox.Subject{Module: "m", PID: 1, TID: 1})
	a.Audit(context.Background(), AuditEvent{Op: OpQuota, Err: &sandbox.QuotaExceeded{Resource: sandbox.ResMemory, Requested: 1, Used: 1, Limit: 1}})
	if out := buf.String(); !strings.Contains(out, `"result":"refused"`) || strings.Contains(out, `"result":"ok"`) {
		t.Errorf("refused growth record: %s", out)
	}
}
