package wasi

import (
	"context"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
)

// NewChild creates a process of s's process tree from kc (built with
// kernel.Process.ChildConfig): it shares s's quota account, audit log
// and tracer, has a linker of its own and is charged to the process
// quota (EAGAIN beyond it). The caller must Close it.
func (s *System) NewChild(ctx context.Context, kc kernel.Config) (*System, kernel.Errno) {
	p, e := s.proc.NewChild(ctx, kc)
	if e != kernel.ESUCCESS {
		return nil, e
	}
	c := &System{proc: p, quota: s.quota, audit: s.audit, auditor: s.auditor, tracer: s.tracer,
		who:    sandbox.Subject{Module: kc.Name, PID: int32(p.PID())},
		linker: kiln.NewLinker()}
	c.main = &Thread{sys: c, k: p.MainThread()}
	return c, kernel.ESUCCESS
}

// NewLinker gives the process a new, empty linker for the instances it
// creates from now on (exec: the new program links to new host modules
// and memories); instances made before keep theirs.
func (s *System) NewLinker() { s.linker = kiln.NewLinker() }

// Extension returns the value an extension stored under key, or nil.
func (s *System) Extension(key any) any {
	v, _ := s.ext.Load(key)
	return v
}

// SetExtension stores an extension's per-process value under key.
func (s *System) SetExtension(key, value any) { s.ext.Store(key, value) }

// SetAfterCall makes fn run after every host call of the process (WASI
// and WASIX functions) has returned its result, before the guest
// resumes: the safe point at which an extension may call back into the
// guest (WASIX delivers signals there). A non-nil error ends the calling
// thread's run with it. Set it before the process runs.
func (s *System) SetAfterCall(fn func(ctx context.Context, t *Thread, m Mem) error) {
	s.afterCall = fn
}
