package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// procExit2 is proc_exit2(code): end the process, every thread of it,
// with code (wasix-libc's exit() calls it instead of proc_exit). In a
// vfork child it ends the child and returns into the parent (vfork.go).
func procExit2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	code := uint32(a[0])
	if v := vforkOf(t); v != nil {
		v.exit(code)
		return kernel.ESUCCESS, nil
	}
	t.Process().Exit(code)
	return kernel.ESUCCESS, &wasi.ExitError{Code: code}
}

// procID is proc_id(pid *u32): the caller's process ID.
func procID(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return m.PutU32(a[0], uint32(t.Process().PID())), nil
}

// procParent is proc_parent(pid, parent *u32): the parent of a process in
// the caller's process table (0 for a process nobody spawned). A PID
// that names no process there is EBADF, as in the reference runtime.
func procParent(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	pid := kernel.PID(uint32(a[0]))
	p := t.Process()
	if pid != p.PID() {
		if p = p.Table().Get(pid); p == nil {
			return kernel.EBADF, nil
		}
	}
	return m.PutU32(a[1], uint32(p.Parent())), nil
}

// procSnapshot is proc_snapshot(): the reference runtime writes a
// snapshot to its journal when it keeps one and does nothing otherwise.
// kiln keeps no journal, so this is a no-op that succeeds.
func procSnapshot(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	return kernel.ESUCCESS, nil
}
