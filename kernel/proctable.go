package kernel

import (
	"sync"
)

// PID identifies a guest process in its process table (1 for the first).
type PID uint32

// ProcTable is the process table of a guest process tree: every process
// created with it (Config.Table) gets a PID and stays listed, with its
// parent and, once it ended, its exit status, until it is reaped. A
// process whose parent is 0 (none) is removed when it is closed; a child
// stays until its parent reaps it, as a zombie does. It is safe for
// concurrent use.
type ProcTable struct {
	mu    sync.Mutex
	next  PID
	procs map[PID]*Process
	// changed is closed when a process of the table ends (see notify).
	changed chan struct{}
}

// NewProcTable returns an empty process table.
func NewProcTable() *ProcTable {
	return &ProcTable{procs: map[PID]*Process{}}
}

// add lists p under a fresh PID.
func (t *ProcTable) add(p *Process) PID {
	t.mu.Lock()
	defer t.mu.Unlock()
	for {
		t.next++
		if t.next == 0 || t.next > maxPID {
			t.next = 1
		}
		if _, used := t.procs[t.next]; !used {
			t.procs[t.next] = p
			return t.next
		}
	}
}

// maxPID is the largest PID handed out (Linux's default pid_max).
const maxPID = 1 << 22

// Get returns the process pid, or nil.
func (t *ProcTable) Get(pid PID) *Process {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.procs[pid]
}

// Children returns the processes whose parent is pid, in no order.
func (t *ProcTable) Children(pid PID) []*Process {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []*Process
	for _, p := range t.procs {
		if p.parent == pid {
			out = append(out, p)
		}
	}
	return out
}

// Len returns the number of listed processes (running or not yet reaped).
func (t *ProcTable) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.procs)
}

// Reap removes the ended process pid from the table and returns its exit
// status; ok is false when pid is not listed or has not ended.
func (t *ProcTable) Reap(pid PID) (st ExitStatus, ok bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	p := t.procs[pid]
	if p == nil {
		return ExitStatus{}, false
	}
	st, ended := p.Status()
	if !ended {
		return ExitStatus{}, false
	}
	delete(t.procs, pid)
	return st, true
}

// remove unlists pid (a process without parent, when it closes).
func (t *ProcTable) remove(pid PID) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.procs, pid)
}
