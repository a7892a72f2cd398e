package kernel

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
)

// TestAuditNamesCallingThread: threads of one process open files at the
// same time, each under a context naming it; every record carries the
// TID of the thread that opened its file, a spawned child's records carry
// the child's PID and thread, and an operation no thread of the process
// asked for has TID 0.
func TestAuditNamesCallingThread(t *testing.T) {
	var log bytes.Buffer // the JSON handler serialises its writes
	a := SandboxAuditor(sandbox.NewJSONAuditor(&log), sandbox.Subject{Module: "m.wasm"})
	p, _ := newProc(t, Config{Auditor: a})
	threads := []*Thread{p.MainThread()}
	for i := 0; i < 3; i++ {
		th, e := p.NewThread(bg)
		wantE(t, "new thread", e, ESUCCESS)
		threads = append(threads, th)
	}
	var wg sync.WaitGroup
	for _, th := range threads {
		wg.Add(1)
		go func(th *Thread) {
			defer wg.Done()
			ctx := WithThread(bg, th)
			for j := 0; j < 5; j++ {
				name := fmt.Sprintf("t%d-%d", th.ID(), j)
				if _, e := p.PathOpen(ctx, dataFD, 0, name, vfs.OCreate, RightFDWrite, 0, 0); e != ESUCCESS {
					t.Errorf("open %s: %v", name, e)
				}
			}
		}(th)
	}
	wg.Wait()
	c, e := p.NewChild(WithThread(bg, threads[2]), p.ChildConfig("child.wasm", nil, nil, true))
	wantE(t, "child", e, ESUCCESS)
	defer c.Close()
	wantE(t, "child mkdir", c.PathCreateDirectory(WithThread(bg, c.MainThread()), dataFD, "c"), ESUCCESS)
	// A thread of another process names no thread of p.
	wantE(t, "mkdir for no thread", p.PathCreateDirectory(WithThread(bg, c.MainThread()), dataFD, "none"), ESUCCESS)

	var n int
	for _, line := range strings.Split(strings.TrimSpace(log.String()), "\n") {
		var rec struct {
			Module string
			PID    int32
			TID    int32
			Op     string
			Path   string
		}
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatalf("record %q: %v", line, err)
		}
		var want struct {
			pid, tid int32
			module   string
		}
		var tid, j int
		switch {
		case rec.Path == "/data/c":
			want.pid, want.tid, want.module = int32(c.PID()), 1, "child.wasm"
		case rec.Path == "/data/none":
			want.pid, want.tid, want.module = int32(p.PID()), 0, "m.wasm"
		default:
			if _, err := fmt.Sscanf(rec.Path, "/data/t%d-%d", &tid, &j); err != nil {
				t.Fatalf("unexpected record %s", line)
			}
			want.pid, want.tid, want.module = int32(p.PID()), int32(tid), "m.wasm"
			n++
		}
		if rec.PID != want.pid || rec.TID != want.tid || rec.Module != want.module {
			t.Errorf("record %s: module %q pid %d tid %d, want %q pid %d tid %d", line, rec.Module, rec.PID, rec.TID, want.module, want.pid, want.tid)
		}
	}
	if n != 5*len(threads) {
		t.Errorf("%d open records, want %d:\n%s", n, 5*len(threads), log.String())
	}
	if c.PID() == p.PID() {
		t.Errorf("child has its parent's PID %d", c.PID())
	}
}
