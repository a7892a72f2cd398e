package wasi

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasm"
)

// wasi-threads (https://github.com/WebAssembly/wasi-threads): a module
// that imports a shared memory may call wasi.thread-spawn(arg); the
// runtime instantiates the module again over the same memory (and the
// same imports), runs the new instance's wasi_thread_start(tid, arg) on
// its own goroutine and returns tid (0 < tid < 2^29), or a negative errno.
// proc_exit, or a trap, in any thread ends the whole process: the other
// threads are stopped wherever they are (a loop, memory.atomic.wait, a
// blocking host call) and Run returns once all of them have.

// Names of the wasi-threads import and export.
const (
	ThreadsModule     = "wasi"
	ThreadSpawnFunc   = "thread-spawn"
	ThreadStartExport = "wasi_thread_start"
)

// threadGroup tracks the goroutines of a process's spawned threads.
type threadGroup struct {
	mu   sync.Mutex
	n    int
	idle sync.Cond
	// base is the context spawned threads run under (Run's, with the
	// wall-time quota): each thread's context also ends with the process.
	base context.Context
}

// add counts a thread about to start, unless the process has ended:
// then wait may have returned already, and no thread may start.
func (g *threadGroup) add(p *kernel.Process) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if p.Lifetime().Err() != nil {
		return false
	}
	g.n++
	return true
}

func (g *threadGroup) done() {
	g.mu.Lock()
	g.n--
	if g.n == 0 && g.idle.L != nil {
		g.idle.Broadcast()
	}
	g.mu.Unlock()
}

// wait returns when no spawned thread is running.
func (g *threadGroup) wait() {
	g.mu.Lock()
	if g.idle.L == nil {
		g.idle.L = &g.mu
	}
	for g.n > 0 {
		g.idle.Wait()
	}
	g.mu.Unlock()
}

func (g *threadGroup) setBase(ctx context.Context) {
	g.mu.Lock()
	g.base = ctx
	g.mu.Unlock()
}

func (g *threadGroup) baseContext() context.Context {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.base == nil {
		return context.Background()
	}
	return g.base
}

// threadContext derives the context a thread of the process runs under:
// it ends with parent and when the process ends.
func (s *System) threadContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	stop := context.AfterFunc(s.proc.Lifetime(), func() { cancel(errProcessEnded) })
	return ctx, func() {
		stop()
		cancel(nil)
	}
}

// Spawn starts a thread of the process (wasi-threads thread-spawn, and
// WASIX thread_spawn_v2): a new instance of from's module, linked and
// configured as from was but bound to the new thread, over the same
// imported shared memory, whose wasi_thread_start(tid, arg) export runs
// on its own goroutine. It returns the new thread's ID, or the errno:
// EAGAIN beyond the thread quota (audited) or when the instance cannot
// be created, ENOTSUP when the module has no imported shared memory or
// no wasi_thread_start of type [i32 i32] -> [], ECANCELED once the
// process has ended. Instantiation runs under the process's thread
// context, not ctx (the spawning call's), which is unused.
func (s *System) Spawn(ctx context.Context, from *kiln.Instance, arg uint32) (kernel.TID, kernel.Errno) {
	cm := from.Module()
	if cm == nil || !importsSharedMemory(cm.Module()) || !hasThreadStart(cm.Module()) {
		return 0, kernel.ENOTSUP
	}
	if !s.threads.add(s.proc) {
		return 0, kernel.ECANCELED
	}
	k, e := s.proc.NewThread(ctx)
	if e != kernel.ESUCCESS {
		s.threads.done()
		return 0, e
	}
	t := &Thread{sys: s, k: k}
	cfg := from.Config()
	cfg.Name, cfg.HostContext = "", t
	tctx, stop := s.threadContext(s.threads.baseContext())
	if s.auditor != nil {
		tctx = kernel.WithThread(tctx, k)
	}
	inst, err := from.Runtime().Instantiate(tctx, cm, cfg)
	if err != nil {
		stop()
		k.Exit()
		s.threads.done()
		var x *ExitError
		if errors.As(err, &x) || s.proc.Lifetime().Err() != nil {
			return 0, kernel.ECANCELED
		}
		return 0, kernel.EAGAIN
	}
	start := inst.Func(ThreadStartExport)
	go s.runThread(tctx, stop, t, inst, start, arg)
	return k.ID(), kernel.ESUCCESS
}

// runThread runs one spawned thread to its end.
func (s *System) runThread(ctx context.Context, stop context.CancelFunc, t *Thread, inst *kiln.Instance, start *kiln.Func, arg uint32) {
	defer s.threads.done()
	defer stop()
	defer t.k.Exit()
	defer inst.Close(ctx)
	defer s.MeterCPU()()
	_, err := start.Call(ctx, uint64(t.ID()), uint64(arg))
	s.threadEnded(t, err)
}

// threadEnded applies the end of a spawned thread to the process:
// returning from wasi_thread_start or ErrThreadExit ends only the thread,
// proc_exit has ended the process already, and anything else (a trap,
// fuel exhaustion, the context's end) ends the process with that error
// unless it had already ended (the error is then only the consequence).
func (s *System) threadEnded(t *Thread, err error) {
	var x *ExitError
	switch {
	case err == nil, errors.Is(err, ErrThreadExit), errors.As(err, &x):
	case s.proc.Lifetime().Err() != nil:
	default:
		s.proc.Terminate(fmt.Errorf("thread %d: %w", t.ID(), err))
	}
}

// importsSharedMemory reports whether m's memory 0 is an imported shared
// memory, which every thread's instance then shares.
func importsSharedMemory(m *wasm.Module) bool {
	for i := range m.Imports {
		if imp := &m.Imports[i]; imp.Kind == wasm.ExternMemory {
			return imp.Mem.Shared
		}
	}
	return false
}

// hasThreadStart reports whether m exports wasi_thread_start with type
// [i32 i32] -> [].
func hasThreadStart(m *wasm.Module) bool {
	for _, e := range m.Exports {
		if e.Name != ThreadStartExport || e.Kind != wasm.ExternFunc {
			continue
		}
		ft := m.FuncTypeOf(e.Index)
		return ft != nil && len(ft.Results) == 0 && len(ft.Params) == 2 &&
			ft.Params[0] == wasm.I32 && ft.Params[1] == wasm.I32
	}
	return false
}

// threadSpawn is the wasi.thread-spawn host function.
func (s *System) threadSpawn(ctx context.Context, c *kiln.Caller, stack []uint64) {
	sys := s
	if t := ThreadOf(c); t != nil {
		sys = t.sys
	}
	if sys == nil || c.Instance() == nil {
		panic(ErrUnbound)
	}
	if t := ThreadOf(c); t != nil && sys.auditor != nil {
		ctx = t.callerContext(ctx)
	}
	tid, e := sys.Spawn(ctx, c.Instance(), uint32(stack[0]))
	if e != kernel.ESUCCESS {
		stack[0] = uint64(uint32(-int32(e)))
		return
	}
	stack[0] = uint64(tid)
}

// threadsModule builds the wasi-threads host module ("wasi"); fallback is
// the process of callers bound to none, or nil.
func threadsModule(rt *kiln.Runtime, fallback *System) *kiln.HostModuleBuilder {
	typ := wasm.FuncType{Params: []wasm.ValType{wasm.I32}, Results: []wasm.ValType{wasm.I32}}
	return rt.NewHostModule(ThreadsModule).RawFunc(ThreadSpawnFunc, typ, fallback.threadSpawn)
}
