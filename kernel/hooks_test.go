//go:build linux

package kernel

import (
	"testing"

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
	wantE(t, "mkdir allowed", p.PathCreateDirectory(dataFD, "pub"), ESUCCESS)
	wantE(t, "mkdir denied", p.PathCreateDirectory(dataFD, "secret"), EPERM)
	_, e := p.PathOpen(dataFD, 0, "secret/x", vfs.OCreate, RightFDWrite, 0, 0)
	wantE(t, "create denied", e, EPERM)
	wantE(t, "rename into denied", p.PathRename(dataFD, "pub", dataFD, "secret"), EPERM)
	_, e = p.PathOpen(dataFD, 0, "pub/x", vfs.OCreate, RightFDWrite, 0, 0)
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
