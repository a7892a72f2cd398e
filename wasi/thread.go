package wasi

import (
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
}

// ThreadOf returns the thread the calling instance runs, or nil when the
// instance is bound to no process (it was instantiated without
// System.ModuleConfig or ThreadConfig).
func ThreadOf(c *kiln.Caller) *Thread {
	t, _ := c.HostContext().(*Thread)
	return t
}

// System returns the process the thread belongs to.
func (t *Thread) System() *System { return t.sys }

// Process returns the kernel process the thread belongs to.
func (t *Thread) Process() *kernel.Process { return t.sys.proc }

// Kernel returns the kernel side of the thread (its ID and end).
func (t *Thread) Kernel() *kernel.Thread { return t.k }

// ID returns the thread's ID (1 for the main thread).
func (t *Thread) ID() kernel.TID { return t.k.ID() }
