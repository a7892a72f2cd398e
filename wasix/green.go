package wasix

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// Green threads (context_create, context_switch, context_destroy): every
// thread of a process is a context-switching environment whose main
// context (id 0) is the thread itself. kiln needs no capture of frames
// for them: a context runs its entry function (a () -> () entry of the
// indirect function table) on a goroutine of its own, over the same
// instance, and a baton makes sure one context of an environment runs at
// a time: context_switch hands it to the target (starting the target's
// goroutine the first time) and parks the caller inside the host call
// until the baton comes back. The shadow stack (__stack_pointer) is the
// guest's to switch, as in the reference runtime.
//
// A context whose entry function returns or fails ends; as in the
// reference runtime the main context is then resumed, and its pending
// context_switch ends the thread with that failure (a trap stays a trap,
// thread_exit or proc_exit keep their meaning). context_destroy of a
// suspended context makes its parked context_switch fail, so that its
// goroutine unwinds without running guest code. The end of the thread
// (or process) ends every parked context the same way. A process holds
// at most maxContexts contexts (EAGAIN beyond); their goroutines run
// under the process's CPU-time quota.

// maxContexts bounds the contexts (besides the main ones) of a process.
const maxContexts = 1024

// mainContext is the id of every environment's main context.
const mainContext = 0

// errContextDestroyed unwinds a destroyed context's goroutine.
var errContextDestroyed = errors.New("wasix: context destroyed")

// greenState is the per-process green thread state (a wasi.System
// extension).
type greenState struct {
	mu   sync.Mutex
	envs map[*wasi.Thread]*greenEnv
	live int
	next uint64
}

// greenEnv is one thread's context-switching environment.
type greenEnv struct {
	active   *greenCtx
	main     *greenCtx
	contexts map[uint64]*greenCtx
	// failure is why a context ended, for the main context to report.
	failure error
}

// greenCtx is one context.
type greenCtx struct {
	id        uint64
	entry     *kiln.Func // nil for the main context
	started   bool
	ended     bool
	destroyed bool
	wake      chan struct{} // the baton, handed over by one send
}

type greenKey struct{}

func greenOf(t *wasi.Thread) *greenState {
	sys := t.System()
	if g, ok := sys.Extension(greenKey{}).(*greenState); ok {
		return g
	}
	closuresMu.Lock()
	defer closuresMu.Unlock()
	if g, ok := sys.Extension(greenKey{}).(*greenState); ok {
		return g
	}
	g := &greenState{envs: map[*wasi.Thread]*greenEnv{}, next: mainContext + 1}
	sys.SetExtension(greenKey{}, g)
	return g
}

// envLocked returns t's environment, made on first use (g.mu held).
func (g *greenState) envLocked(t *wasi.Thread) *greenEnv {
	env := g.envs[t]
	if env == nil {
		main := &greenCtx{id: mainContext, started: true, wake: make(chan struct{}, 1)}
		env = &greenEnv{active: main, main: main, contexts: map[uint64]*greenCtx{mainContext: main}}
		g.envs[t] = env
	}
	return env
}

// contextCreate is context_create(*id, entrypoint): a new suspended
// context whose first resumption calls the () -> () function at
// entrypoint of the indirect function table (EINVAL otherwise).
func contextCreate(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	if _, e := m.Bytes(a[0], 8); e != kernel.ESUCCESS {
		return e, nil
	}
	entry, e := tableFunc(m, a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if ft := entry.Type(); len(ft.Params) != 0 || len(ft.Results) != 0 {
		return kernel.EINVAL, nil
	}
	g := greenOf(t)
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.live >= maxContexts {
		return kernel.EAGAIN, nil
	}
	env := g.envLocked(t)
	c := &greenCtx{id: g.next, entry: entry, wake: make(chan struct{}, 1)}
	g.next++
	g.live++
	env.contexts[c.id] = c
	return m.PutU64(a[0], c.id), nil
}

// contextDestroy is context_destroy(id): a suspended or ended context is
// deleted (its goroutine, if it ran, unwinds); the main context and the
// active one are EINVAL; an id that names no context is a no-op.
func contextDestroy(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	g := greenOf(t)
	g.mu.Lock()
	defer g.mu.Unlock()
	env := g.envLocked(t)
	c := env.contexts[a[0]]
	switch {
	case c == nil:
		return kernel.ESUCCESS, nil
	case c == env.main, c == env.active:
		return kernel.EINVAL, nil
	}
	delete(env.contexts, c.id)
	g.live--
	c.destroyed = true
	if c.started && !c.ended {
		c.wake <- struct{}{}
	}
	return kernel.ESUCCESS, nil
}

// contextSwitch is context_switch(id): suspend the active context and
// resume context id (a no-op when it is the active one; EINVAL when it
// names no context or one that has ended). It returns when the caller's
// context is resumed.
func contextSwitch(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	g := greenOf(t)
	g.mu.Lock()
	env := g.envLocked(t)
	self, target := env.active, env.contexts[a[0]]
	if target == self {
		g.mu.Unlock()
		return kernel.ESUCCESS, nil
	}
	if target == nil || target.ended {
		g.mu.Unlock()
		return kernel.EINVAL, nil
	}
	env.active = target
	if target.started {
		target.wake <- struct{}{}
	} else {
		target.started = true
		go g.run(ctx, t, env, target)
	}
	g.mu.Unlock()
	return kernel.ESUCCESS, g.park(ctx, env, self)
}

// park waits until c is resumed: nil then, the failure of the context
// whose end resumed the main context, errContextDestroyed when c was
// destroyed, or the context's error when the thread or process ended.
func (g *greenState) park(ctx context.Context, env *greenEnv, c *greenCtx) error {
	select {
	case <-c.wake:
	case <-ctx.Done():
		return context.Cause(ctx)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if c.destroyed {
		return errContextDestroyed
	}
	if c == env.main && env.failure != nil {
		err := env.failure
		env.failure = nil
		return err
	}
	return nil
}

// run is the goroutine of context c: its entry function, then the end
// of the context, which resumes the main context.
func (g *greenState) run(ctx context.Context, t *wasi.Thread, env *greenEnv, c *greenCtx) {
	stop := t.System().MeterCPU()
	_, err := c.entry.Call(ctx)
	stop()
	g.mu.Lock()
	defer g.mu.Unlock()
	c.ended = true
	if c.destroyed || ctx.Err() != nil {
		return // unwound: nothing runs on its behalf
	}
	if err == nil {
		err = fmt.Errorf("wasix: context %d: its entry function returned", c.id)
	} else {
		err = fmt.Errorf("wasix: context %d: %w", c.id, err)
	}
	env.failure = err
	env.active = env.main
	env.main.wake <- struct{}{}
}
