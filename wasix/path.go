package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
)

// pathOpen2 is path_open2(dirfd, lookupflags, path, path_len, oflags,
// rights base, rights inheriting, fdflags, fdflagsext, fd *fd):
// path_open with the close-on-exec flag of the new descriptor.
func pathOpen2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	lf, of, fl, ext := uint32(a[1]), uint32(a[4]), uint32(a[7]), uint32(a[8])
	if lf&^uint32(vfs.FollowSymlinks) != 0 || of > 0xffff || fl > 0xffff || ext&^knownFdflagsextSet != 0 {
		return kernel.EINVAL, nil
	}
	path, e := m.Path(a[2], a[3])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if e := checkResults(m, a[9]); e != kernel.ESUCCESS {
		return e, nil
	}
	fd, e := t.Process().PathOpen2(ctx, uint32(a[0]), vfs.LookupFlags(lf), path, vfs.OFlags(of),
		kernel.Rights(a[5]), kernel.Rights(a[6]), vfs.FDFlags(fl), ext&fdflagsextCloexec != 0)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[9], fd), nil
}
