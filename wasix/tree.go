package wasix

import (
	"context"
	"crypto/sha256"
	"sync"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// tree is the state a WASIX process tree shares: the runtime its
// programs run in, the programs compiled for it and the goroutines of
// its processes. The tree ends with its first process: the context of
// every other process is cancelled then.
type tree struct {
	rt       *kiln.Runtime
	ctx      context.Context
	cancel   context.CancelFunc
	programs programCache
	running  sync.WaitGroup

	mu    sync.Mutex
	procs map[kernel.PID]*proc // the live processes, by PID
}

// lookup returns the live process pid of the tree, or nil.
func (tr *tree) lookup(pid kernel.PID) *proc {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.procs[pid]
}

// SignalTree sends sig (a WASIX, that is Linux, signal number) to every
// process of sys's tree that is still running: kiln run forwards the
// SIGINT and SIGTERM it receives this way. It reports whether sys runs
// WASIX processes (Define was called for it).
func SignalTree(sys *wasi.System, sig Signal) bool {
	p, ok := sys.Extension(procKey{}).(*proc)
	if !ok || !sig.Valid() || sig == SIGNONE {
		return false
	}
	p.tree.mu.Lock()
	all := make([]*proc, 0, len(p.tree.procs))
	for _, q := range p.tree.procs {
		all = append(all, q)
	}
	p.tree.mu.Unlock()
	for _, q := range all {
		q.send(sig)
	}
	return true
}

// proc is the WASIX state of one process of a tree.
type proc struct {
	tree  *tree
	sys   *wasi.System
	sig   signalState
	async asyncState
	// vfork is set while the process is a vfork child running on its
	// parent's instance (vfork.go); only that instance's goroutine
	// touches it.
	vfork *vforkState
}

// procKey is the wasi.System extension key of a process's *proc.
type procKey struct{}

// procOf returns the WASIX state of the calling thread's process, or nil
// for a process that Define never saw.
func procOf(t *wasi.Thread) *proc {
	p, _ := t.System().Extension(procKey{}).(*proc)
	return p
}

// attach makes sys a process of tr (a new tree when tr is nil: sys is
// its first process, whose end ends the tree).
func attach(ctx context.Context, rt *kiln.Runtime, sys *wasi.System, tr *tree) *proc {
	if p, ok := sys.Extension(procKey{}).(*proc); ok {
		return p
	}
	if tr == nil {
		tr = &tree{rt: rt}
		tr.ctx, tr.cancel = context.WithCancel(ctx)
		context.AfterFunc(sys.Process().Lifetime(), tr.cancel)
	}
	p := &proc{tree: tr, sys: sys}
	p.sig.init()
	pid := sys.Process().PID()
	tr.mu.Lock()
	if tr.procs == nil {
		tr.procs = map[kernel.PID]*proc{}
	}
	tr.procs[pid] = p
	tr.mu.Unlock()
	context.AfterFunc(sys.Process().Lifetime(), func() {
		tr.mu.Lock()
		if tr.procs[pid] == p {
			delete(tr.procs, pid)
		}
		tr.mu.Unlock()
	})
	sys.SetExtension(procKey{}, p)
	sys.SetAfterCall(p.afterCall)
	sys.SetResume(p.resume)
	return p
}

// Wait waits until every process that the WASIX processes of sys's tree
// started has ended (they end with the tree's first process). Run calls
// it; embedders that call Define themselves call it after the run.
func Wait(sys *wasi.System) {
	if p, ok := sys.Extension(procKey{}).(*proc); ok {
		p.tree.running.Wait()
	}
}

// programCache holds the programs a tree has compiled, by the SHA-256 of
// their bytes, so that a program started many times is compiled once.
type programCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]*kiln.CompiledModule
}

// compile returns the compiled module of bin: ENOEXEC when it is not a
// valid module or not a command (no _start of type [] -> []).
func (c *programCache) compile(ctx context.Context, rt *kiln.Runtime, bin []byte) (*kiln.CompiledModule, kernel.Errno) {
	key := sha256.Sum256(bin)
	c.mu.Lock()
	cm := c.m[key]
	c.mu.Unlock()
	if cm != nil {
		return cm, kernel.ESUCCESS
	}
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil || !isCommand(cm) {
		return nil, kernel.ENOEXEC
	}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[[sha256.Size]byte]*kiln.CompiledModule{}
	}
	c.m[key] = cm
	c.mu.Unlock()
	return cm, kernel.ESUCCESS
}

// isCommand reports whether cm exports _start of type [] -> [].
func isCommand(cm *kiln.CompiledModule) bool {
	m := cm.Module()
	for _, e := range m.Exports {
		if e.Name == wasi.StartFunc && e.Kind == wasm.ExternFunc {
			ft := m.FuncTypeOf(e.Index)
			return ft != nil && len(ft.Params) == 0 && len(ft.Results) == 0
		}
	}
	return false
}
