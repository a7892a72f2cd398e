package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// getcwd is getcwd(buf, len *size): write the working directory (no
// terminating NUL is counted; one is added when there is room) and its
// length. When the buffer is shorter than the path, len gets the length
// needed and the call fails with ERANGE, as in the reference runtime
// (the ABI's comment says EOVERFLOW; wasix-libc follows the runtime).
func getcwd(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	buf, lenPtr := a[0], a[1]
	capacity, e := m.Ptr(lenPtr)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	cwd := t.Process().Getcwd()
	need := uint64(len(cwd))
	if need > capacity {
		return orErrno(m.PutPtr(lenPtr, need), kernel.ERANGE), nil
	}
	out, e := m.Bytes(buf, capacity)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	copy(out, cwd)
	if need < capacity {
		out[need] = 0
	}
	return m.PutPtr(lenPtr, need), nil
}

// orErrno returns e when it is an error, else then.
func orErrno(e, then kernel.Errno) kernel.Errno {
	if e != kernel.ESUCCESS {
		return e
	}
	return then
}

// chdir is chdir(path string): change the process's working directory,
// which relative paths of WASIX calls resolve against, to a directory
// reachable through a mount.
func chdir(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	path, e := m.Path(a[0], a[1])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return t.Process().Chdir(path), nil
}
