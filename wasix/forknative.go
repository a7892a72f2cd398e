package wasix

import (
	"context"
	"encoding/binary"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// nativeFork is proc_fork for a module that was not built with
// asyncify: the interpreter captures the calling thread's frames
// (kiln.Caller.Capture), and the child, a new instance with a copy of
// the memory and of everything the instance defines (globals, exported
// or not, and tables: cloneInstance), resumes them from this call with
// result 0 on a goroutine of its own, while the parent's call returns
// the child's PID. Any thread can fork: the child's only thread runs
// the forking thread's frames. ENOTSUP when the call cannot be captured
// (called through a tail call or from a nested call).
func (p *proc) nativeFork(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64, inst *kiln.Instance) (kernel.Errno, error) {
	if _, e := m.Bytes(a[1], 4); e != kernel.ESUCCESS {
		return e, nil
	}
	k, err := m.Caller().Capture(ctx)
	if err != nil {
		return kernel.ENOTSUP, nil
	}
	child, _, e := p.newForkChild(ctx, t, inst)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	tr := p.tree
	inst2, err := cloneInstance(tr, p.sys, child, inst)
	if err != nil {
		discard(child)
		return kernel.EAGAIN, nil
	}
	// The child's proc_fork returns 0 through the pointer too.
	if mem2 := memoryOf(child, inst2); mem2 != nil {
		if b := mem2.Bytes(); a[1]+4 <= uint64(len(b)) {
			binary.LittleEndian.PutUint32(b[a[1]:], 0)
		}
	}
	tr.startChild(child, inst2, func(cctx context.Context) error {
		return inst2.Resume(cctx, k, uint64(kernel.ESUCCESS))
	})
	return m.PutU32(a[1], uint32(child.Process().PID())), nil
}
