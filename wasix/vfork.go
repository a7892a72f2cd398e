package wasix

import (
	"context"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// vfork, as wasix-libc's exception-handling build does it: the caller
// makes a setjmp, then proc_fork_env turns the calling thread into the
// child, a new process (its own PID, a copy of the descriptor table)
// that runs on the parent's instance and memory: kiln serves that
// instance's calls as the child's (wasi.Thread.StandIn). The child's
// proc_exit2, or a proc_exec* that starts its program (on a goroutine
// of its own), ends the borrowing and returns into the parent, which
// longjmps back to the vfork point and reads the child's PID that
// proc_fork_env wrote. The runtime moves no control flow itself, so
// vfork needs no capture and works in every engine.

// vforkState is a vfork child's hold on its parent's instance.
type vforkState struct {
	parent *wasi.Thread // whose instance the child runs on
	child  *proc
}

// vforkOf returns the vfork state of the process t serves, or nil.
func vforkOf(t *wasi.Thread) *vforkState {
	if p := procOf(t); p != nil {
		return p.vfork
	}
	return nil
}

// procForkEnv is proc_fork_env(pid *u32): vfork. It writes the child's
// PID and returns 0; the calls that follow are the child's. A vfork
// child cannot vfork again (ENOTSUP, as in the reference runtime); the
// spawn rules and the process quota apply (EPERM, EAGAIN).
func procForkEnv(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	switch {
	case p == nil || callerInstance(m) == nil:
		return kernel.ENOTSUP, nil
	case p.vfork != nil:
		return kernel.ENOTSUP, nil
	}
	if _, e := m.Bytes(a[0], 4); e != kernel.ESUCCESS {
		return e, nil
	}
	child, cp, e := p.newForkChild(ctx, t, nil)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	cp.vfork = &vforkState{parent: t, child: cp}
	t.StandIn(child.MainThread())
	return m.PutU32(a[0], uint32(child.Process().PID())), nil
}

// exit ends the vfork child with code and gives the instance back to
// the parent.
func (v *vforkState) exit(code uint32) {
	v.release()
	sys := v.child.sys
	sys.Process().Exit(code)
	sys.Finish(&wasi.ExitError{Code: code})
	sys.Close()
}

// exec runs cm as the vfork child's program, on a goroutine of the tree,
// and gives the instance back to the parent.
func (v *vforkState) exec(cm *kiln.CompiledModule) {
	v.release()
	tr, sys := v.child.tree, v.child.sys
	tr.running.Add(1)
	go func() {
		defer tr.running.Done()
		defer sys.Close()
		sys.Run(tr.ctx, tr.rt, cm)
	}()
}

func (v *vforkState) release() {
	v.child.vfork = nil
	v.parent.StandIn(nil)
}
