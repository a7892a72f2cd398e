//go:build linux

package kernel

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/kilnrt/kiln/sandbox"
)

// TestSpawnPolicyAudited: without a spawn policy process creation is
// EPERM; with one, programs outside its list are EACCES; every decision
// is audited with the program and the process's own PID.
func TestSpawnPolicyAudited(t *testing.T) {
	var log bytes.Buffer
	a := SandboxAuditor(sandbox.NewJSONAuditor(&log), sandbox.Subject{Module: "m.wasm", PID: 1, TID: 1})
	p, _ := newProc(t, Config{Auditor: a})
	wantE(t, "spawn without policy", p.CheckSpawn(context.Background(), OpSpawn, "/data/a.wasm"), EPERM)
	q, _ := newProc(t, Config{Auditor: a, SpawnPolicy: SandboxSpawn(&sandbox.Policy{
		Spawn: sandbox.SpawnPolicy{Allow: true, Programs: []string{"/data/ok.wasm"}}})})
	wantE(t, "listed", q.CheckSpawn(context.Background(), OpSpawn, "/data/ok.wasm"), ESUCCESS)
	wantE(t, "exec of an unlisted program", q.CheckSpawn(context.Background(), OpExec, "/data/other.wasm"), EACCES)
	out := log.String()
	for _, want := range []string{
		`"op":"spawn","program":"/data/a.wasm","detail":"process creation is not allowed (no spawn policy)","decision":"denied","result":"wasi errno perm"`,
		`"op":"spawn","program":"/data/ok.wasm","decision":"allowed"`,
		`"op":"exec","program":"/data/other.wasm","detail":"not granted: program is not in the spawn list","decision":"denied","result":"wasi errno acces"`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("audit log lacks %s:\n%s", want, out)
		}
	}
}

// TestChildProcesses: a child inherits the descriptors that are not
// close-on-exec, is charged to the process quota (EAGAIN beyond it,
// audited), and its end (exit, kill) is reaped by WaitChild.
func TestChildProcesses(t *testing.T) {
	var log bytes.Buffer
	a := SandboxAuditor(sandbox.NewJSONAuditor(&log), sandbox.Subject{Module: "m.wasm", PID: 1, TID: 1})
	quota := sandbox.NewAccount(sandbox.Limits{Processes: 2})
	p, _ := newProc(t, Config{Auditor: a, Quota: quota})
	r, w, e := p.Pipe(context.Background())
	wantE(t, "pipe", e, ESUCCESS)
	wantE(t, "cloexec", p.FDSetCloexec(r, true), ESUCCESS)
	c, e := p.NewChild(context.Background(), p.ChildConfig("child", []string{"child"}, nil, false))
	wantE(t, "child", e, ESUCCESS)
	defer c.Close()
	if _, e := c.FDs().Get(r); e != EBADF {
		t.Errorf("close-on-exec descriptor %d inherited", r)
	}
	if _, e := c.FDs().Get(w); e != ESUCCESS {
		t.Errorf("descriptor %d not inherited", w)
	}
	if c.Parent() != p.PID() || c.PID() == p.PID() {
		t.Errorf("child pid %d parent %d", c.PID(), c.Parent())
	}
	_, e = p.NewChild(context.Background(), p.ChildConfig("bomb", nil, nil, false))
	wantE(t, "third process with Processes 2", e, EAGAIN)
	if !strings.Contains(log.String(), `"op":"quota","path":"process","detail":"quota exceeded: processes`) {
		t.Errorf("no quota record:\n%s", log.String())
	}
	if got, _, e := p.WaitChild(context.Background(), 0, false, nil); e != ESUCCESS || got != 0 {
		t.Errorf("non-blocking wait: pid %d errno %v", got, e)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		c.Kill(15)
	}()
	got, st, e := p.WaitChild(context.Background(), c.PID(), true, nil)
	if e != ESUCCESS || got != c.PID() || st.Signal != 15 || st.Code != 143 {
		t.Errorf("wait: pid %d status %+v errno %v", got, st, e)
	}
	_, _, e = p.WaitChild(context.Background(), 0, true, nil)
	wantE(t, "wait without children", e, ECHILD)
	c.Close() // gives its process quota back
	intr := make(chan struct{})
	c2, e := p.NewChild(context.Background(), p.ChildConfig("child", nil, nil, false))
	wantE(t, "a child after the first closed", e, ESUCCESS)
	if e != ESUCCESS {
		return
	}
	defer c2.Close()
	close(intr)
	_, _, e = p.WaitChild(context.Background(), 0, true, intr)
	wantE(t, "interrupted wait", e, EINTR)
}

// TestDupTo is POSIX dup2: any number below the limit, replacing what it
// held, with close-on-exec clear.
func TestDupTo(t *testing.T) {
	p, _ := newProc(t, Config{MaxFDs: 16})
	r, w, _ := p.Pipe(context.Background())
	wantE(t, "dup2 to an unused number", p.FDs().Dup2(w, 12), ESUCCESS)
	wantE(t, "dup2 onto stdout", p.FDs().Dup2(r, 1), ESUCCESS)
	wantE(t, "dup2 beyond the limit", p.FDs().Dup2(w, 16), EBADF)
	wantE(t, "dup2 of a closed number", p.FDs().Dup2(13, 14), EBADF)
	wantE(t, "close original", p.FDClose(w), ESUCCESS)
	n, e := p.FDWrite(context.Background(), 12, [][]byte{[]byte("x")})
	if e != ESUCCESS || n != 1 {
		t.Errorf("write through the copy: %d %v", n, e)
	}
	buf := make([]byte, 4)
	n, e = p.FDRead(context.Background(), 1, [][]byte{buf})
	if e != ESUCCESS || string(buf[:n]) != "x" {
		t.Errorf("read through the copy on 1: %q %v", buf[:n], e)
	}
}

// TestExecClosesCloexec: exec keeps the PID and the descriptors but the
// close-on-exec ones, and audit records name the new program.
func TestExecClosesCloexec(t *testing.T) {
	var log bytes.Buffer
	a := SandboxAuditor(sandbox.NewJSONAuditor(&log), sandbox.Subject{Module: "old.wasm", PID: 1, TID: 1})
	p, _ := newProc(t, Config{Name: "old.wasm", Auditor: a})
	r, w, _ := p.Pipe(context.Background())
	wantE(t, "cloexec", p.FDSetCloexec(r, true), ESUCCESS)
	pid := p.PID()
	wantE(t, "exec", p.Exec("/data/new.wasm", []string{"new", "x"}, []string{"A=1"}), ESUCCESS)
	if _, e := p.FDs().Get(r); e != EBADF {
		t.Errorf("close-on-exec descriptor %d still open", r)
	}
	if _, e := p.FDs().Get(w); e != ESUCCESS {
		t.Errorf("descriptor %d closed by exec", w)
	}
	if p.PID() != pid || p.Name() != "/data/new.wasm" || strings.Join(p.Args(), " ") != "new x" || strings.Join(p.Environ(), " ") != "A=1" {
		t.Errorf("after exec: pid %d name %q args %q env %q", p.PID(), p.Name(), p.Args(), p.Environ())
	}
	wantE(t, "exec with NUL", p.Exec("x", []string{"a\x00b"}, nil), EINVAL)
	p.PathCreateDirectory(WithThread(context.Background(), p.MainThread()), dataFD, "d")
	if !strings.Contains(log.String(), `"module":"/data/new.wasm","pid":1,"tid":1,"op":"mkdir"`) {
		t.Errorf("audit record after exec:\n%s", log.String())
	}
}
