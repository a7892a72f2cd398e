package wasix

import (
	"context"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// proc_spawn's stdio modes and process_handles (28 bytes: {u32 pid;
// option_fd stdin@4, stdout@12, stderr@20}, an option_fd being {u8 tag;
// u32 fd@4}).
const (
	stdioPiped   = 0
	stdioInherit = 1
	stdioNull    = 2
	stdioLog     = 3

	processHandlesSize = 28
)

// procSpawn is the legacy proc_spawn(name, chroot, args, preopen, stdin,
// stdout, stderr, working_dir, handles*): spawn with a mode per standard
// stream: PIPED gives the parent the other end of a new pipe (returned
// in the handles), INHERIT shares the parent's, NULL (and LOG: kiln keeps
// no log) reads end of file and discards. chroot is ENOTSUP; the child
// sees the parent's mounts whatever preopen lists; working_dir "" or "."
// is the parent's.
func procSpawn(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	if p == nil {
		return kernel.ENOTSUP, nil
	}
	var req spawnRequest
	var e kernel.Errno
	if req.name, e = str(m, a[0], a[1]); e != kernel.ESUCCESS {
		return e, nil
	}
	if uint32(a[2]) != 0 {
		return kernel.ENOTSUP, nil
	}
	args, e := str(m, a[3], a[4])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	req.args, req.env = splitList(args), t.Process().Environ()
	if _, e := m.Bytes(a[5], a[6]); e != kernel.ESUCCESS {
		return e, nil
	}
	modes := [3]uint32{uint32(a[7]), uint32(a[8]), uint32(a[9])}
	for _, md := range modes {
		if md > stdioLog {
			return kernel.EINVAL, nil
		}
	}
	dir, e := str(m, a[10], a[11])
	if e != kernel.ESUCCESS {
		return e, nil
	}
	handles, e := m.Bytes(a[12], processHandlesSize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	k := t.Process()
	// The pipes are made in the parent first, so that the child inherits
	// both ends; each side then closes the end it does not use.
	var parentEnd, childEnd [3]kernel.FD
	var piped [3]bool
	defer func() {
		for i := range piped {
			if piped[i] {
				k.FDClose(childEnd[i])
			}
		}
	}()
	for i, md := range modes {
		if md != stdioPiped {
			continue
		}
		r, w, e := k.Pipe(ctx)
		if e != kernel.ESUCCESS {
			for j := 0; j < i; j++ {
				if piped[j] {
					k.FDClose(parentEnd[j])
				}
			}
			return e, nil
		}
		piped[i] = true
		if i == 0 {
			childEnd[i], parentEnd[i] = r, w
		} else {
			childEnd[i], parentEnd[i] = w, r
		}
	}
	pid, e := p.spawn(ctx, t, req, func(c *kernel.Process) kernel.Errno {
		for i, md := range modes {
			fd := kernel.FD(i)
			switch {
			case piped[i]:
				if e := c.FDs().Dup2(childEnd[i], fd); e != kernel.ESUCCESS {
					return e
				}
				c.FDClose(childEnd[i])
				c.FDClose(parentEnd[i])
			case md == stdioNull || md == stdioLog:
				if e := c.SetNull(fd); e != kernel.ESUCCESS {
					return e
				}
			}
		}
		if dir != "" && dir != "." {
			return c.Chdir(dir)
		}
		return kernel.ESUCCESS
	})
	if e != kernel.ESUCCESS {
		for i := range piped {
			if piped[i] {
				k.FDClose(parentEnd[i])
			}
		}
		return e, nil
	}
	clear(handles)
	putLE32(handles, uint32(pid))
	for i := range piped {
		if piped[i] {
			h := handles[4+8*i:]
			h[0] = 1
			putLE32(h[4:], parentEnd[i])
		}
	}
	return kernel.ESUCCESS, nil
}
