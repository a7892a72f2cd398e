package kernel

import (
	"context"
	"sync"

	"github.com/kilnrt/kiln/sandbox"
)

// TID identifies a thread within its process. The main thread is 1;
// threads created later get 2, 3, ... up to MaxTID, then numbers freed by
// ended threads (wasi-threads requires 0 < tid < 2^29).
type TID uint32

// MaxTID is the largest thread ID.
const MaxTID TID = 1<<29 - 1

// Thread is one thread of execution of a guest process. The engine side
// (an instance and a goroutine per thread) belongs to the ABI layer; the
// kernel keeps the thread's identity, accounting and end.
type Thread struct {
	p    *Process
	id   TID
	done chan struct{}
	once sync.Once
}

// threads is a process's thread table.
type threads struct {
	mu   sync.Mutex
	live map[TID]*Thread
	next TID
	main *Thread
}

// ID returns the thread's ID.
func (t *Thread) ID() TID { return t.id }

// Process returns the process the thread belongs to.
func (t *Thread) Process() *Process { return t.p }

// Done is closed when the thread has ended (Exit).
func (t *Thread) Done() <-chan struct{} { return t.done }

// Exit ends the thread: it leaves the thread table and gives its slot of
// the thread quota back. Ending a thread does not end the process (the
// ABI layer decides when the last thread's end does). Only the first call
// counts.
func (t *Thread) Exit() {
	t.once.Do(func() {
		p := t.p
		p.threads.mu.Lock()
		delete(p.threads.live, t.id)
		p.threads.mu.Unlock()
		if p.quota != nil {
			p.quota.Release(sandbox.ResThreads, 1)
		}
		close(t.done)
	})
}

// MainThread returns the thread the process was created with (TID 1).
func (p *Process) MainThread() *Thread { return p.threads.main }

// NewThread adds a thread to the process, charged to the thread quota
// (sandbox.ResThreads, which counts the main thread too). Beyond the
// quota it returns EAGAIN, audited as a quota hit, as pthread_create
// does; after the process has ended it returns ECANCELED.
func (p *Process) NewThread(ctx context.Context) (*Thread, Errno) {
	if p.closed() {
		return nil, ECANCELED
	}
	if p.quota != nil {
		if err := p.quota.Acquire(sandbox.ResThreads, 1); err != nil {
			return nil, p.quotaErrno(ctx, err, EAGAIN, AuditEvent{Path: "thread"})
		}
	}
	ts := &p.threads
	ts.mu.Lock()
	defer ts.mu.Unlock()
	for tries := TID(0); tries < MaxTID; tries++ {
		ts.next++
		if ts.next > MaxTID || ts.next < 2 {
			ts.next = 2
		}
		if _, used := ts.live[ts.next]; !used {
			t := &Thread{p: p, id: ts.next, done: make(chan struct{})}
			ts.live[t.id] = t
			return t, ESUCCESS
		}
	}
	if p.quota != nil {
		p.quota.Release(sandbox.ResThreads, 1)
	}
	return nil, EAGAIN
}

// newMainThread creates thread 1, charged to the thread quota.
func (p *Process) newMainThread() error {
	if p.quota != nil {
		if err := p.quota.Acquire(sandbox.ResThreads, 1); err != nil {
			return err
		}
	}
	t := &Thread{p: p, id: 1, done: make(chan struct{})}
	p.threads.live = map[TID]*Thread{1: t}
	p.threads.next = 1
	p.threads.main = t
	return nil
}

// Thread returns the live thread id, or nil.
func (p *Process) Thread(id TID) *Thread {
	p.threads.mu.Lock()
	defer p.threads.mu.Unlock()
	return p.threads.live[id]
}

// NumThreads returns the number of live threads.
func (p *Process) NumThreads() int {
	p.threads.mu.Lock()
	defer p.threads.mu.Unlock()
	return len(p.threads.live)
}
