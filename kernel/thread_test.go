//go:build linux

package kernel

import (
	"context"
	"errors"
	"testing"

	"github.com/kilnrt/kiln/sandbox"
)

func TestThreadsQuotaAndIDs(t *testing.T) {
	log := &recorder{}
	q := sandbox.NewAccount(sandbox.Limits{Threads: 3})
	p, err := New(context.Background(), Config{Quota: q, Auditor: log})
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	if p.MainThread().ID() != 1 || p.NumThreads() != 1 {
		t.Fatalf("main thread %d, %d threads", p.MainThread().ID(), p.NumThreads())
	}
	a, e1 := p.NewThread(context.Background())
	b, e2 := p.NewThread(context.Background())
	if e1 != ESUCCESS || e2 != ESUCCESS || a.ID() != 2 || b.ID() != 3 {
		t.Fatalf("threads %v %v (%v, %v), want 2 and 3", a, b, e1, e2)
	}
	if _, e := p.NewThread(context.Background()); e != EAGAIN {
		t.Fatalf("fourth thread with Threads=3: %v, want EAGAIN", e)
	}
	if ev, ok := log.find(OpQuota); !ok || !errors.Is(ev.Err, sandbox.ErrQuotaExceeded) {
		t.Fatalf("refused thread not audited as a quota hit: %+v", ev)
	}
	a.Exit()
	a.Exit() // only the first counts
	<-a.Done()
	if p.Thread(2) != nil || q.Used(sandbox.ResThreads) != 2 {
		t.Fatalf("after exit: thread 2 %v, %d threads charged", p.Thread(2), q.Used(sandbox.ResThreads))
	}
	c, e := p.NewThread(context.Background())
	if e != ESUCCESS || c.ID() != 4 {
		t.Fatalf("thread after an exit: %v %v, want ID 4 (IDs are not reused at once)", c, e)
	}
	p.Close()
	if q.Used(sandbox.ResThreads) != 0 || q.Used(sandbox.ResProcesses) != 0 {
		t.Fatalf("after Close: %d threads, %d processes charged", q.Used(sandbox.ResThreads), q.Used(sandbox.ResProcesses))
	}
	if _, e := p.NewThread(context.Background()); e != ECANCELED {
		t.Fatalf("thread of an ended process: %v, want ECANCELED", e)
	}
}

func TestProcTable(t *testing.T) {
	tab := NewProcTable()
	q := sandbox.NewAccount(sandbox.Limits{Processes: 2})
	parent, err := New(context.Background(), Config{Table: tab, Quota: q})
	if err != nil {
		t.Fatal(err)
	}
	child, err := New(context.Background(), Config{Table: tab, Parent: parent.PID(), Quota: q})
	if err != nil {
		t.Fatal(err)
	}
	if parent.PID() != 1 || child.PID() != 2 || child.Parent() != 1 || tab.Get(2) != child {
		t.Fatalf("pids %d, %d (parent %d)", parent.PID(), child.PID(), child.Parent())
	}
	if _, err := New(context.Background(), Config{Table: tab, Quota: q}); !errors.Is(err, sandbox.ErrQuotaExceeded) {
		t.Fatalf("third process with Processes=2: %v", err)
	}
	if _, ok := tab.Reap(2); ok {
		t.Fatal("reaped a running process")
	}
	child.Exit(42)
	if <-child.Lifetime().Done(); true {
		st, ended := child.Status()
		if !ended || st.Code != 42 || st.Err != nil {
			t.Fatalf("status %+v, %v", st, ended)
		}
	}
	child.Close()
	if got := tab.Children(1); len(got) != 1 || got[0] != child {
		t.Fatalf("children of 1: %v (an ended child stays until reaped)", got)
	}
	if st, ok := tab.Reap(2); !ok || st.Code != 42 {
		t.Fatalf("reap: %+v %v", st, ok)
	}
	boom := errors.New("trap")
	parent.Terminate(boom)
	parent.Exit(3) // too late: the first end counts
	if st, _ := parent.Status(); st.Err != boom || st.Code != 0 {
		t.Fatalf("terminated status %+v", st)
	}
	parent.Close()
	if tab.Len() != 0 || q.Used(sandbox.ResProcesses) != 0 {
		t.Fatalf("table has %d entries, %d processes charged", tab.Len(), q.Used(sandbox.ResProcesses))
	}
}
