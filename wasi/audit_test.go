package wasi

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

// TestCloseFlushesAudit: records held back by the audit log's rate limit
// are counted in a "suppressed" record when the System closes, so an
// embedder using wasi.Run gets the count without calling Flush.
func TestCloseFlushesAudit(t *testing.T) {
	var buf bytes.Buffer
	sys, err := New(context.Background(), Config{
		Name:   "flood",
		Mounts: []Mount{{HostDir: t.TempDir(), GuestPath: "/d"}},
		Audit:  sandbox.NewJSONAuditorLimits(&buf, sandbox.AuditLimits{Burst: 2, PerSecond: 0.001}),
	})
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 10; i++ {
		if e := sys.Process().PathCreateDirectory(context.Background(), 3, "../up"); e == 0 {
			t.Fatal("mkdir above the mount succeeded")
		}
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("%d records before Close, want 2:\n%s", n, buf.String())
	}
	sys.Close()
	if !strings.Contains(buf.String(), `"suppressed":8`) {
		t.Errorf("no count of the 8 suppressed records after Close:\n%s", buf.String())
	}
}
