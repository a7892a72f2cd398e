package wasix

import (
	"context"
	"fmt"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"github.com/kilnrt/kiln/wasm"
)

// procFork is proc_fork(copy_memory, pid *u32): fork, for modules built
// with asyncify (ENOEXEC otherwise, as in the reference runtime). The
// stack unwinds to _start; the child, a new process of the tree (spawn
// rules and the process quota apply: EPERM, EAGAIN), gets a new
// instance of the module with a copy of the memory and of the exported
// mutable globals and a copy of the descriptor table (close-on-exec
// flags kept); both rewind into this call, which returns 0 in the child
// and the child's PID in the parent. copy_memory 0 (vfork) is served the
// same way. Only the main thread of a wasm32 module can fork (ENOTSUP
// elsewhere); tables
// and non-exported mutable globals start as the module declares them.
func procFork(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	inst := callerInstance(m)
	as, ok := asyncifyOf(inst)
	switch {
	case p == nil || inst == nil:
		return kernel.ENOEXEC, nil
	case !ok:
		return p.nativeFork(ctx, t, m, a, inst)
	case m.Is64():
		return kernel.ENOTSUP, nil // asyncify's 64-bit buffer header is not written yet
	}
	st, err := as.state(ctx)
	if err != nil {
		return 0, err
	}
	switch st {
	case stateRewinding:
		v, err := p.rewound(ctx, as)
		if err != nil {
			return 0, err
		}
		if e := p.async.takeErrno(); e != kernel.ESUCCESS {
			return e, nil
		}
		return m.PutU32(a[1], uint32(v)), nil
	case stateUnwinding:
		return 0, errAsyncify
	}
	if t.ID() != 1 {
		return kernel.ENOTSUP, nil
	}
	if _, e := m.Bytes(a[1], 4); e != kernel.ESUCCESS {
		return e, nil
	}
	child, cp, e := p.newForkChild(ctx, t, inst)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if e := p.unwind(ctx, as, callerMemory(m), &asyncOp{kind: opFork, child: child, childProc: cp}); e != kernel.ESUCCESS {
		discard(child)
		return e, nil
	}
	return kernel.ESUCCESS, nil
}

// forkChild makes the child's instance at the top of the parent's
// unwound stack (see procFork) and starts it rewinding on its own
// goroutine. The result is the child's PID, or an errno for the parent's
// proc_fork when the instance cannot be made.
func (p *proc) forkChild(ctx context.Context, inst *kiln.Instance, op *asyncOp) (uint64, error) {
	child, cp := op.child, op.childProc
	fail := func() (uint64, error) {
		discard(child)
		p.async.setErrno(kernel.EAGAIN)
		return 0, nil
	}
	tr := p.tree
	inst2, err := cloneInstance(tr, p.sys, child, inst)
	if err != nil {
		return fail()
	}
	a2, ok := asyncifyOf(inst2)
	if !ok {
		inst2.Close(ctx)
		return fail()
	}
	p.async.mu.Lock()
	buf := p.async.buf
	snaps := p.async.snapshots
	snaps.order = append([]*snapshot(nil), snaps.order...)
	p.async.mu.Unlock()
	cp.async.mu.Lock()
	cp.async.buf, cp.async.result, cp.async.busy = buf, 0, true
	cp.async.snapshots = snaps // the child may longjmp to a checkpoint made before fork
	cp.async.mu.Unlock()
	tr.startChild(child, inst2, func(cctx context.Context) error {
		if _, err := a2.startRewind.Call(cctx, uint64(buf)); err != nil {
			return err
		}
		return child.CallStart(cctx, inst2)
	})
	return uint64(child.Process().PID()), nil
}

// startChild runs a forked child on a goroutine of the tree: run
// resumes inst, the child's instance, and the child ends with its
// outcome.
func (tr *tree) startChild(child *wasi.System, inst *kiln.Instance, run func(ctx context.Context) error) {
	tr.running.Add(1)
	go func() {
		defer tr.running.Done()
		defer child.Close()
		cctx, stop := child.Enter(tr.ctx)
		defer stop()
		defer inst.Close(cctx)
		child.Finish(run(cctx))
	}()
}

// newForkChild makes the process a fork of the calling thread's process
// becomes (spawn rules and the process quota apply: EPERM, EAGAIN): a
// copy of its descriptor table, its signal dispositions and handler,
// and, when inst is not nil, the host modules of inst's module.
func (p *proc) newForkChild(ctx context.Context, t *wasi.Thread, inst *kiln.Instance) (*wasi.System, *proc, kernel.Errno) {
	k := t.Process()
	if e := k.CheckSpawn(ctx, kernel.OpSpawn, ""); e != kernel.ESUCCESS {
		return nil, nil, e
	}
	child, e := p.sys.NewChild(ctx, k.ChildConfig(k.Name(), k.Args(), k.Environ(), true))
	if e != kernel.ESUCCESS {
		return nil, nil, e
	}
	cp, err := p.adopt(ctx, child)
	if err == nil && inst != nil {
		err = child.Link(ctx, p.tree.rt, inst.Module())
	}
	if err != nil {
		discard(child)
		return nil, nil, kernel.EAGAIN
	}
	cp.sig.inherit(&p.sig, nil)
	p.sig.mu.Lock()
	cp.sig.handler = p.sig.handler
	p.sig.mu.Unlock()
	return child, cp, kernel.ESUCCESS
}

// cloneInstance instantiates inst's module again in child (a process
// made by newForkChild from sys) with a copy of inst's state: the memory
// it imports from sys's linker, and everything it defines (globals,
// exported or not, tables and memories: kiln.Instance.CopyStateFrom).
func cloneInstance(tr *tree, sys, child *wasi.System, inst *kiln.Instance) (*kiln.Instance, error) {
	inst2, err := tr.rt.Instantiate(tr.ctx, inst.Module(), child.ModuleConfig())
	if err != nil {
		return nil, err
	}
	if err := copyImportedMemory(sys, child, inst, inst2); err != nil {
		inst2.Close(tr.ctx)
		return nil, err
	}
	if err := inst2.CopyStateFrom(inst); err != nil {
		inst2.Close(tr.ctx)
		return nil, fmt.Errorf("wasix: fork: %w", err)
	}
	return inst2, nil
}

// copyImportedMemory copies the memory inst imports (from sys's linker)
// into the one inst2 imports from child's.
func copyImportedMemory(sys, child *wasi.System, inst, inst2 *kiln.Instance) error {
	for _, imp := range inst.Module().Module().Imports {
		if imp.Kind != wasm.ExternMemory {
			continue
		}
		mem, mem2 := memoryOf(sys, inst), memoryOf(child, inst2)
		if mem == nil || mem2 == nil {
			return fmt.Errorf("wasix: fork: the imported memory %s.%s is missing", imp.Module, imp.Name)
		}
		if grow := int64(mem.Size()) - int64(mem2.Size()); grow > 0 {
			if _, ok := mem2.Grow(uint32(grow)); !ok {
				return fmt.Errorf("wasix: fork: the child's memory cannot grow to %d pages", mem.Size())
			}
		}
		copy(mem2.Bytes(), mem.Bytes())
		return nil
	}
	return nil
}
