package kernel

import (
	"context"
	"path"
	"strings"

	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/vfs"
)

// dir returns the directory of fd after checking need; a non-directory
// is ENOTDIR.
func (p *Process) dir(fd FD, need Rights) (vfs.Dir, *Descriptor, Errno) {
	d, e := p.fds.Get(fd)
	if e != ESUCCESS {
		return nil, nil, e
	}
	dir, ok := d.Node.(vfs.Dir)
	if !ok {
		return nil, nil, ENOTDIR
	}
	if !d.Rights.Has(need) {
		return nil, nil, ENOTCAPABLE
	}
	return dir, d, ESUCCESS
}

// fileTarget names a path argument in policy checks and audit records:
// path is rel resolved against its descriptor's guest path and cleaned
// (what policies check), written the same without cleaning (what the
// guest wrote, for the audit record), or "" when that is path.
type fileTarget struct{ path, written string }

// guestPath names rel beneath d for policy checks and audit records.
func guestPath(d *Descriptor, rel string) fileTarget {
	written := rel
	switch {
	case d.GuestPath == "":
	case strings.HasSuffix(d.GuestPath, "/"):
		written = d.GuestPath + rel
	default:
		written = d.GuestPath + "/" + rel
	}
	t := fileTarget{path: path.Join(d.GuestPath, rel)}
	if d.GuestPath == "" {
		t.path = rel
	}
	if written != t.path {
		t.written = written
	}
	return t
}

// hooked reports whether policy or audit hooks need guest paths.
func (p *Process) hooked() bool { return p.files != nil || p.auditor != nil }

// mutate runs one path mutation with its policy check, the quota of
// entries for an operation that creates one, and its audit record.
func (p *Process) mutate(ctx context.Context, op Op, d *Descriptor, rel string, d2 *Descriptor, rel2 string, do func() error) Errno {
	var gp, gp2 fileTarget
	if p.hooked() {
		gp = guestPath(d, rel)
		if d2 != nil {
			gp2 = guestPath(d2, rel2)
		}
		// Both ends of a rename or link must be granted: the source path
		// is removed or gains a name, the destination is created.
		for _, target := range []fileTarget{gp, gp2} {
			if target.path == "" {
				continue
			}
			if e := p.checkFile(ctx, op, target); e != ESUCCESS {
				return e
			}
		}
	}
	charged := false
	if createsEntry(op) && p.quota.Limit(sandbox.ResFileEntries) != 0 {
		created := gp // mkdir, symlink: the path; link: the new name
		if op == OpLink {
			created = gp2
		}
		if e := p.chargeEntry(ctx, created); e != ESUCCESS {
			return e
		}
		charged = true
	}
	e := ErrnoOf(do())
	if charged && e != ESUCCESS {
		p.quota.Refund(sandbox.ResFileEntries, 1)
	}
	p.auditDone(ctx, op, gp, gp2, e)
	return e
}

// createsEntry reports the mutations that add an entry to a directory
// (path_open with O_CREAT is counted by PathOpen).
func createsEntry(op Op) bool { return op == OpMkdir || op == OpSymlink || op == OpLink }

// chargeEntry charges one created entry to sandbox.ResFileEntries (EDQUOT,
// audited, beyond the limit); a failed creation refunds it. Callers skip
// it when the resource is unlimited.
func (p *Process) chargeEntry(ctx context.Context, t fileTarget) Errno {
	if err := p.quota.Acquire(sandbox.ResFileEntries, 1); err != nil {
		return p.quotaErrno(ctx, err, EDQUOT, AuditEvent{Path: t.path, Written: t.written})
	}
	return ESUCCESS
}

// PathCreateDirectory makes a directory (path_create_directory).
func (p *Process) PathCreateDirectory(ctx context.Context, fd FD, rel string) Errno {
	dir, d, e := p.dir(fd, RightPathCreateDirectory)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpMkdir, d, rel, nil, "", func() error { return dir.MkdirAt(rel) })
}

// PathFilestatGet returns the metadata of a path (path_filestat_get).
func (p *Process) PathFilestatGet(fd FD, lf vfs.LookupFlags, rel string) (vfs.Stat, Errno) {
	dir, _, e := p.dir(fd, RightPathFilestatGet)
	if e != ESUCCESS {
		return vfs.Stat{}, e
	}
	st, err := dir.StatAt(rel, lf)
	return st, ErrnoOf(err)
}

// PathFilestatSetTimes changes the times of a path
// (path_filestat_set_times).
func (p *Process) PathFilestatSetTimes(ctx context.Context, fd FD, lf vfs.LookupFlags, rel string, atim, mtim uint64, fst FSTFlags) Errno {
	dir, d, e := p.dir(fd, RightPathFilestatSetTimes)
	if e != ESUCCESS {
		return e
	}
	t, e := TimesFromFST(atim, mtim, fst)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpSetTimes, d, rel, nil, "", func() error { return dir.SetTimesAt(rel, lf, t) })
}

// PathLink creates a hard link (path_link).
func (p *Process) PathLink(ctx context.Context, oldFD FD, lf vfs.LookupFlags, oldPath string, newFD FD, newPath string) Errno {
	odir, od, e := p.dir(oldFD, RightPathLinkSource)
	if e != ESUCCESS {
		return e
	}
	ndir, nd, e := p.dir(newFD, RightPathLinkTarget)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpLink, od, oldPath, nd, newPath, func() error {
		return odir.LinkAt(oldPath, lf, ndir, newPath)
	})
}

// writeRights are the rights that need a descriptor opened for writing.
const writeRights = RightFDWrite | RightFDAllocate | RightFDFilestatSetSize

// PathOpen opens a file or directory beneath fd (path_open). The new
// descriptor's rights are the requested ones limited by fd's inheriting
// rights and by what makes sense for the kind of file opened. Read access
// is asked for when the rights include fd_read or fd_readdir, write access
// when they include fd_write, fd_allocate or fd_filestat_set_size.
func (p *Process) PathOpen(ctx context.Context, fd FD, lf vfs.LookupFlags, rel string, of vfs.OFlags, base, inheriting Rights, flags vfs.FDFlags) (FD, Errno) {
	need := RightPathOpen
	if of&vfs.OCreate != 0 {
		need |= RightPathCreateFile
	}
	if of&vfs.OTruncate != 0 {
		need |= RightPathFilestatSetSize
	}
	// The sync flags are properties of the new descriptor, so the rights
	// they need must be inheritable from the directory (witx path_open).
	var needInherit Rights
	if flags&vfs.FDDSync != 0 {
		needInherit |= RightFDDatasync
	}
	if flags&(vfs.FDRSync|vfs.FDSync) != 0 {
		needInherit |= RightFDSync
	}
	dir, d, e := p.dir(fd, need)
	if e != ESUCCESS {
		return 0, e
	}
	if d.Inheriting&needInherit != needInherit {
		return 0, ENOTCAPABLE
	}
	wantWrite := base&writeRights != 0
	if of&^(vfs.OCreate|vfs.ODirectory|vfs.OExclusive|vfs.OTruncate) != 0 ||
		flags&^(vfs.FDAppend|vfs.FDDSync|vfs.FDNonblock|vfs.FDRSync|vfs.FDSync) != 0 {
		return 0, EINVAL
	}
	base &= d.Inheriting
	inheriting &= d.Inheriting
	var acc vfs.Access
	if base&(RightFDRead|RightFDReaddir) != 0 {
		acc |= vfs.AccessRead
	}
	if base&writeRights != 0 {
		acc |= vfs.AccessWrite
	}
	op := OpOpen
	switch {
	case of&vfs.OCreate != 0:
		op = OpCreate
	case acc&vfs.AccessWrite != 0 || of&vfs.OTruncate != 0:
		op = OpOpenWrite
	}
	var gp fileTarget
	if p.hooked() {
		gp = guestPath(d, rel)
		if e := p.checkFile(ctx, op, gp); e != ESUCCESS {
			return 0, e
		}
	}
	// O_CREAT counts against the entries quota unless the file exists.
	charged := false
	if of&vfs.OCreate != 0 && p.quota.Limit(sandbox.ResFileEntries) != 0 {
		if _, err := dir.StatAt(rel, lf); err != nil || of&vfs.OExclusive != 0 {
			if e := p.chargeEntry(ctx, gp); e != ESUCCESS {
				return 0, e
			}
			charged = true
		}
	}
	n, err := dir.OpenAt(rel, lf, of, acc, flags)
	if err != nil {
		e := ErrnoOf(err)
		if charged {
			p.quota.Refund(sandbox.ResFileEntries, 1)
		}
		p.auditDone(ctx, op, gp, fileTarget{}, e)
		return 0, e
	}
	var nd *Descriptor
	switch n := n.(type) {
	case vfs.Dir:
		if wantWrite {
			// A directory cannot be opened for writing (open(2): EISDIR).
			n.Close()
			p.auditDone(ctx, op, gp, fileTarget{}, EISDIR)
			return 0, EISDIR
		}
		nd = &Descriptor{Node: n, Type: vfs.TypeDirectory, Rights: base & RightsDir, Inheriting: inheriting, GuestPath: gp.path}
	case vfs.File:
		nd = newFileDescriptor(n, base, gp.path)
		nd.countWrites = nd.Type == vfs.TypeRegular
	default:
		n.Close()
		p.auditDone(ctx, op, gp, fileTarget{}, ENOTSUP)
		return 0, ENOTSUP
	}
	nd.mounted = true
	newFD, e := p.insert(ctx, nd)
	if e != ESUCCESS {
		n.Close()
	}
	p.auditDone(ctx, op, gp, fileTarget{}, e)
	return newFD, e
}

// PathReadlink returns a symbolic link's target (path_readlink). The ABI
// truncates it to the guest's buffer.
func (p *Process) PathReadlink(fd FD, rel string) (string, Errno) {
	dir, _, e := p.dir(fd, RightPathReadlink)
	if e != ESUCCESS {
		return "", e
	}
	target, err := dir.ReadlinkAt(rel)
	return target, ErrnoOf(err)
}

// PathRemoveDirectory removes an empty directory (path_remove_directory).
func (p *Process) PathRemoveDirectory(ctx context.Context, fd FD, rel string) Errno {
	dir, d, e := p.dir(fd, RightPathRemoveDirectory)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpRmdir, d, rel, nil, "", func() error { return dir.RmdirAt(rel) })
}

// PathRename renames a file or directory (path_rename).
func (p *Process) PathRename(ctx context.Context, oldFD FD, oldPath string, newFD FD, newPath string) Errno {
	odir, od, e := p.dir(oldFD, RightPathRenameSource)
	if e != ESUCCESS {
		return e
	}
	ndir, nd, e := p.dir(newFD, RightPathRenameTarget)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpRename, od, oldPath, nd, newPath, func() error {
		return odir.RenameAt(oldPath, ndir, newPath)
	})
}

// PathSymlink creates the symbolic link rel pointing to target
// (path_symlink). Absolute targets are refused with EPERM.
func (p *Process) PathSymlink(ctx context.Context, target string, fd FD, rel string) Errno {
	dir, d, e := p.dir(fd, RightPathSymlink)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpSymlink, d, rel, nil, "", func() error { return dir.SymlinkAt(target, rel) })
}

// PathUnlinkFile removes a non-directory (path_unlink_file).
func (p *Process) PathUnlinkFile(ctx context.Context, fd FD, rel string) Errno {
	dir, d, e := p.dir(fd, RightPathUnlinkFile)
	if e != ESUCCESS {
		return e
	}
	return p.mutate(ctx, OpUnlink, d, rel, nil, "", func() error { return dir.UnlinkAt(rel) })
}
