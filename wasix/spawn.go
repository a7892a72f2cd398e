package wasix

import (
	"context"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/vfs"
	"github.com/kilnrt/kiln/wasi"
)

type wasiMem = wasi.Mem

// proc_spawn_fd_op (56 bytes): {u8 cmd; u32 fd@4; u32 src_fd@8; ptr
// path@12; size path_len@16; u32 dirflags@20; u16 oflags@24; u64
// rights_base@32; u64 rights_inheriting@40; u16 fdflags@48; u16
// fdflagsext@50}, wasm32 layout.
const (
	fdOpSize = 56

	fdOpClose  = 0
	fdOpDup2   = 1
	fdOpOpen   = 2
	fdOpChdir  = 3
	fdOpFchdir = 4

	// Most operations one spawn may carry (posix_spawn file actions).
	maxFdOps = 1024
)

// spawnRequest is what a spawn call asks for, read from the guest.
type spawnRequest struct {
	name, pathEnv string
	search        bool
	args, env     []string
	disp          []disposition // signal dispositions for the child
}

// procSpawn2 is proc_spawn2(name, args, envs, fd_ops*, n, sigdisp*, n,
// search_path, PATH, pid*): posix_spawn. The child runs the named
// program with a copy of the caller's descriptors (close-on-exec ones
// left out) on which the descriptor operations are applied in order; a
// failing operation fails the spawn with its errno and nothing runs.
//
// The descriptor operations are read in their wasm32 layout: in
// wasix_64v1, whose layout kiln does not read yet, the call is ENOTSUP.
func procSpawn2(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	p := procOf(t)
	if p == nil || m.Is64() {
		return kernel.ENOTSUP, nil
	}
	var req spawnRequest
	var args, env string
	if e := strs(m, a, &req.name, &args, &env); e != kernel.ESUCCESS {
		return e, nil
	}
	req.args, req.env = splitList(args), splitList(env)
	if a[7] > maxFdOps || a[9] > uint64(numSignals)*2 {
		return kernel.EINVAL, nil
	}
	ops, e := m.Bytes(a[6], a[7]*fdOpSize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	if req.disp, e = readDispositions(m, a[8], a[9]); e != kernel.ESUCCESS {
		return e, nil
	}
	req.search = uint32(a[10]) != 0
	if e := strs(m, a[11:], &req.pathEnv); e != kernel.ESUCCESS {
		return e, nil
	}
	if _, e := m.Bytes(a[13], 4); e != kernel.ESUCCESS {
		return e, nil
	}
	pid, e := p.spawn(ctx, t, req, func(c *kernel.Process) kernel.Errno { return applyFdOps(ctx, m, c, ops) })
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return m.PutU32(a[13], uint32(pid)), nil
}

// spawn starts the program req names as a child of p. prepare, when not
// nil, adjusts the child's kernel process (descriptors, directory)
// before it runs; its failure is the spawn's.
func (p *proc) spawn(ctx context.Context, t *wasi.Thread, req spawnRequest, prepare func(*kernel.Process) kernel.Errno) (kernel.PID, kernel.Errno) {
	k := t.Process()
	abs, cm, e := p.program(ctx, k, kernel.OpSpawn, req.name, req.search, req.pathEnv)
	if e != kernel.ESUCCESS {
		return 0, e
	}
	args := req.args
	if len(args) == 0 {
		args = []string{req.name}
	}
	child, e := p.sys.NewChild(ctx, k.ChildConfig(abs, args, req.env, false))
	if e != kernel.ESUCCESS {
		return 0, e
	}
	ck := child.Process()
	if prepare != nil {
		if e := prepare(ck); e != kernel.ESUCCESS {
			discard(child)
			return 0, e
		}
	}
	cp, err := p.adopt(ctx, child)
	if err != nil {
		discard(child)
		return 0, kernel.EAGAIN
	}
	cp.sig.inherit(&p.sig, req.disp)
	p.tree.running.Add(1)
	go func() {
		defer p.tree.running.Done()
		defer child.Close()
		child.Run(p.tree.ctx, p.tree.rt, cm)
	}()
	return ck.PID(), kernel.ESUCCESS
}

// adopt makes child a process of p's tree with the WASIX modules
// defined for it.
func (p *proc) adopt(ctx context.Context, child *wasi.System) (*proc, error) {
	cp := attach(ctx, p.tree.rt, child, p.tree)
	return cp, defineModules(ctx, p.tree.rt, child)
}

// discard ends a child that never ran and removes it from the table.
func discard(child *wasi.System) {
	k := child.Process()
	child.Close()
	k.Table().Reap(k.PID())
}

// applyFdOps runs the proc_spawn2 descriptor operations on the child.
func applyFdOps(ctx context.Context, m wasi.Mem, c *kernel.Process, ops []byte) kernel.Errno {
	for i := 0; i+fdOpSize <= len(ops); i += fdOpSize {
		op := ops[i : i+fdOpSize]
		fd, src := le32(op[4:]), le32(op[8:])
		var e kernel.Errno
		switch op[0] {
		case fdOpClose:
			e = c.FDClose(fd)
		case fdOpDup2:
			e = c.FDs().Dup2(src, fd)
		case fdOpOpen:
			e = spawnOpen(ctx, m, c, fd, op)
		case fdOpChdir:
			var p string
			if p, e = m.Path(uint64(le32(op[12:])), uint64(le32(op[16:]))); e == kernel.ESUCCESS {
				e = c.Chdir(p)
			}
		case fdOpFchdir:
			d, e2 := c.FDs().Get(fd)
			switch {
			case e2 != kernel.ESUCCESS:
				e = e2
			case d.Type != vfs.TypeDirectory:
				e = kernel.ENOTDIR
			default:
				e = c.Chdir(d.GuestPath)
			}
		default:
			e = kernel.EINVAL
		}
		if e != kernel.ESUCCESS {
			return e
		}
	}
	return kernel.ESUCCESS
}

// spawnOpen is the OPEN descriptor operation: open the path (relative
// to the child's working directory) at number fd.
func spawnOpen(ctx context.Context, m wasi.Mem, c *kernel.Process, fd kernel.FD, op []byte) kernel.Errno {
	if int64(fd) >= int64(c.FDs().Max()) {
		return kernel.EBADF
	}
	p, e := m.Path(uint64(le32(op[12:])), uint64(le32(op[16:])))
	if e != kernel.ESUCCESS {
		return e
	}
	dir, rest, e := c.PreopenFor(p)
	if e != kernel.ESUCCESS {
		return e
	}
	lf := vfs.LookupFlags(le32(op[20:]))
	of := vfs.OFlags(le16(op[24:]))
	base, inh := kernel.Rights(le64(op[32:])), kernel.Rights(le64(op[40:]))
	flags := vfs.FDFlags(le16(op[48:]))
	nfd, e := c.PathOpen(ctx, dir, lf, rest, of, base, inh, flags)
	if e != kernel.ESUCCESS {
		return e
	}
	if nfd != fd {
		if e := c.FDs().Dup2(nfd, fd); e != kernel.ESUCCESS {
			c.FDClose(nfd)
			return e
		}
		c.FDClose(nfd)
	}
	if le16(op[50:])&fdflagsextCloexec != 0 {
		return c.FDSetCloexec(fd, true)
	}
	return kernel.ESUCCESS
}

func le16(b []byte) uint16 { return uint16(b[0]) | uint16(b[1])<<8 }
func le32(b []byte) uint32 { return uint32(le16(b)) | uint32(le16(b[2:]))<<16 }
func le64(b []byte) uint64 { return uint64(le32(b)) | uint64(le32(b[4:]))<<32 }

// runCommand links, instantiates and runs cm's _start as sys's program in
// place of the caller (exec): it returns the outcome as the error that
// ends the calling thread's run.
func runCommand(ctx context.Context, rt *kiln.Runtime, sys *wasi.System, cm *kiln.CompiledModule) error {
	if err := sys.Link(ctx, rt, cm); err != nil {
		return err
	}
	inst, err := rt.Instantiate(ctx, cm, sys.ModuleConfig())
	if err != nil {
		return err
	}
	defer inst.Close(ctx)
	if err := sys.CallStart(ctx, inst); err != nil {
		return err
	}
	sys.Process().Exit(0)
	return &wasi.ExitError{Code: 0}
}
