package wasi

import (
	"context"
	"sync/atomic"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
)

// Thread is one thread of a guest process: a kernel thread and the
// instance that runs it. Each instance of a guest module is bound to its
// Thread through kiln.ModuleConfig.HostContext (System.ModuleConfig binds
// the main thread; thread-spawn binds each new thread to its own
// instance), so a host function reaches the calling process and thread
// with ThreadOf(caller).
type Thread struct {
	sys *System
	k   *kernel.Thread
	// standIn, when set, serves the calls of the thread's instance
	// (StandIn).
	standIn atomic.Pointer[Thread]
}

// ThreadOf returns the thread the calling instance runs, or nil when the
// instance is bound to no process (it was instantiated without
// System.ModuleConfig or ThreadConfig).
func ThreadOf(c *kiln.Caller) *Thread {
	t, _ := c.HostContext().(*Thread)
	if t != nil {
		if s := t.standIn.Load(); s != nil {
			return s
		}
	}
	return t
}

// StandIn makes other (a thread of another process) serve the calls of
// t's instance, until StandIn(nil): WASIX's vfork, whose child runs on
// its parent's instance with a process of its own until it execs or
// exits. t's goroutine calls it, from a host call.
func (t *Thread) StandIn(other *Thread) { t.standIn.Store(other) }

// StandingIn returns the thread serving t's calls (StandIn), or nil.
func (t *Thread) StandingIn() *Thread { return t.standIn.Load() }

// System returns the process the thread belongs to.
func (t *Thread) System() *System { return t.sys }

// Process returns the kernel process the thread belongs to.
func (t *Thread) Process() *kernel.Process { return t.sys.proc }

// Kernel returns the kernel side of the thread (its ID and end).
func (t *Thread) Kernel() *kernel.Thread { return t.k }

// callerContext returns ctx naming t as the calling thread of the kernel
// operations it reaches (kernel.WithThread), for their audit records.
// Threads started by Run (Enter) and Spawn run under a context naming
// them already; a call made otherwise (an embedder's own call, or vfork's
// child standing in on its parent's instance) is wrapped here.
func (t *Thread) callerContext(ctx context.Context) context.Context {
	if kernel.CallerThread(ctx) == t.k {
		return ctx
	}
	return kernel.WithThread(ctx, t.k)
}

// ID returns the thread's ID (1 for the main thread).
func (t *Thread) ID() kernel.TID { return t.k.ID() }
