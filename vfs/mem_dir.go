package vfs

import (
	"strings"

	"golang.org/x/sys/unix"
)

// memDir is an open MemFS directory.
type memDir struct {
	fs     *MemFS
	node   *memNode
	flags  flagWord
	closed bool
	snap   []DirEntry
}

func (d *memDir) Stat() (Stat, error) {
	d.fs.mu.RLock()
	defer d.fs.mu.RUnlock()
	if d.closed {
		return Stat{}, unix.EBADF
	}
	return d.node.stat(d.fs.dev), nil
}

func (d *memDir) SetTimes(t Times) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.closed {
		return unix.EBADF
	}
	d.fs.setTimes(d.node, t)
	return nil
}

func (fs *MemFS) setTimes(n *memNode, t Times) {
	now := fs.now()
	n.atim, n.mtim = t.resolve(now, n.atim, n.mtim)
	n.ctim = now.UnixNano()
}

func (d *memDir) Sync() error     { return d.locked(d.check) }
func (d *memDir) Datasync() error { return d.locked(d.check) }
func (d *memDir) Flags() FDFlags  { return d.flags.get() }

func (d *memDir) SetFlags(fl FDFlags) error {
	return d.locked(func() error { d.flags.set(fl); return d.check() })
}

// locked runs fn under the file system lock.
func (d *memDir) locked(fn func() error) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	return fn()
}
func (d *memDir) String() string { return d.fs.String() }

func (d *memDir) check() error {
	if d.closed {
		return unix.EBADF
	}
	return nil
}

func (d *memDir) Close() error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.closed {
		return unix.EBADF
	}
	d.closed = true
	d.snap = nil
	return nil
}

func (d *memDir) OpenAt(p string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error) {
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if d.closed {
		return nil, unix.EBADF
	}
	if of&OCreate != 0 {
		// Like Linux: creating names a plain last component.
		_, base, trailing, err := fs.parent(d.node, p)
		if err != nil {
			return nil, err
		}
		if base == "." || base == ".." {
			if _, err := fs.walk(d.node, p, true); err != nil {
				return nil, err // escaping is EPERM first
			}
		}
		if trailing || base == "." || base == ".." {
			return nil, unix.EISDIR
		}
	}
	dir, name, n, err := fs.lookup(d.node, p, lf&FollowSymlinks != 0, of&OCreate != 0)
	switch {
	case err == unix.ENOENT && dir != nil && of&OCreate != 0:
		// Also through a dangling symbolic link, as open(2) does.
		if strings.HasSuffix(name, "/") {
			return nil, unix.EISDIR
		}
		n = fs.newNode(TypeRegular, dir)
		dir.children[name] = n
		fs.touch(dir)
	case err != nil:
		return nil, err
	case of&(OCreate|OExclusive) == OCreate|OExclusive:
		return nil, unix.EEXIST
	}
	if of&ODirectory != 0 && n.typ != TypeDirectory {
		return nil, unix.ENOTDIR
	}
	switch n.typ {
	case TypeSymlink:
		return nil, unix.ELOOP
	case TypeDirectory:
		if of&(OCreate|OTruncate) != 0 {
			return nil, unix.EISDIR
		}
		nd := &memDir{fs: fs, node: n}
		nd.flags.set(fl)
		return nd, nil
	}
	if of&OTruncate != 0 {
		n.data = nil
		fs.touch(n)
	}
	f := &memFile{fs: fs, node: n, acc: acc}
	f.flags.set(fl)
	return f, nil
}

func (d *memDir) StatAt(p string, lf LookupFlags) (Stat, error) {
	d.fs.mu.RLock()
	defer d.fs.mu.RUnlock()
	if d.closed {
		return Stat{}, unix.EBADF
	}
	n, err := d.fs.walk(d.node, p, lf&FollowSymlinks != 0)
	if err != nil {
		return Stat{}, err
	}
	return n.stat(d.fs.dev), nil
}

func (d *memDir) SetTimesAt(p string, lf LookupFlags, t Times) error {
	d.fs.mu.Lock()
	defer d.fs.mu.Unlock()
	if d.closed {
		return unix.EBADF
	}
	n, err := d.fs.walk(d.node, p, lf&FollowSymlinks != 0)
	if err != nil {
		return err
	}
	d.fs.setTimes(n, t)
	return nil
}

// entry resolves the parent of p for a mutation, under the write lock.
func (d *memDir) entry(p, op string) (dir *memNode, base string, trailing bool, err error) {
	if d.closed {
		return nil, "", false, unix.EBADF
	}
	dir, base, trailing, err = d.fs.parent(d.node, p)
	if err != nil {
		return nil, "", false, err
	}
	if err, ok := dotError(base, op); ok {
		return nil, "", false, err
	}
	return dir, base, trailing, nil
}

func (d *memDir) MkdirAt(p string) error {
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	dir, base, _, err := d.entry(p, "mkdir")
	if err != nil {
		return err
	}
	if _, ok := dir.children[base]; ok {
		return unix.EEXIST
	}
	dir.children[base] = fs.newNode(TypeDirectory, dir)
	dir.nlink++
	fs.touch(dir)
	return nil
}

func (d *memDir) UnlinkAt(p string) error {
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	dir, base, trailing, err := d.entry(p, "unlink")
	if err != nil {
		return err
	}
	n, ok := dir.children[base]
	switch {
	case !ok:
		return unix.ENOENT
	case n.typ == TypeDirectory:
		return unix.EISDIR
	case trailing:
		return unix.ENOTDIR
	}
	delete(dir.children, base)
	n.nlink--
	n.ctim = fs.now().UnixNano()
	fs.touch(dir)
	return nil
}

func (d *memDir) RmdirAt(p string) error {
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	dir, base, _, err := d.entry(p, "rmdir")
	if err != nil {
		return err
	}
	n, ok := dir.children[base]
	switch {
	case !ok:
		return unix.ENOENT
	case n.typ != TypeDirectory:
		return unix.ENOTDIR
	case len(n.children) > 0:
		return unix.ENOTEMPTY
	}
	delete(dir.children, base)
	n.removed = true
	n.nlink = 0
	dir.nlink--
	fs.touch(dir)
	return nil
}

func (d *memDir) sameFS(other Dir) (*memDir, error) {
	if isReadOnly(other) {
		return nil, unix.EROFS
	}
	od, ok := other.(*memDir)
	if !ok || od.fs != d.fs {
		return nil, unix.EXDEV
	}
	if od.closed {
		return nil, unix.EBADF
	}
	return od, nil
}

func (d *memDir) RenameAt(oldPath string, newDir Dir, newPath string) error {
	nd, err := d.sameFS(newDir)
	if err != nil {
		return err
	}
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if d.closed {
		return unix.EBADF
	}
	odir, obase, otrail, err := fs.parent(d.node, oldPath)
	if err != nil {
		return err
	}
	ndir, nbase, ntrail, err := fs.parent(nd.node, newPath)
	if err != nil {
		return err
	}
	for _, b := range []string{obase, nbase} {
		if err, ok := dotError(b, "rename"); ok {
			return err
		}
	}
	src, ok := odir.children[obase]
	if !ok {
		return unix.ENOENT
	}
	srcDir := src.typ == TypeDirectory
	if (otrail || ntrail) && !srcDir {
		return unix.ENOTDIR
	}
	if srcDir && isAncestor(src, ndir) {
		return unix.EINVAL
	}
	if dst, ok := ndir.children[nbase]; ok {
		if dst == src {
			return nil
		}
		switch {
		case dst.typ == TypeDirectory && isAncestor(dst, odir):
			return unix.ENOTEMPTY // the target contains the source
		case srcDir && dst.typ != TypeDirectory:
			return unix.ENOTDIR
		case !srcDir && dst.typ == TypeDirectory:
			return unix.EISDIR
		case dst.typ == TypeDirectory && len(dst.children) > 0:
			return unix.ENOTEMPTY
		}
		if dst.typ == TypeDirectory {
			dst.removed = true
			dst.nlink = 0
			ndir.nlink--
		} else {
			dst.nlink--
		}
	}
	delete(odir.children, obase)
	ndir.children[nbase] = src
	if srcDir && odir != ndir {
		src.parent = ndir
		odir.nlink--
		ndir.nlink++
	}
	src.ctim = fs.now().UnixNano()
	fs.touch(odir)
	fs.touch(ndir)
	return nil
}

// LinkAt refuses FollowSymlinks (EINVAL), like the host implementation.
// Checks come in link(2)'s order: both parents, the source, the target
// name, then the source's type.
func (d *memDir) LinkAt(oldPath string, lf LookupFlags, newDir Dir, newPath string) error {
	if lf&FollowSymlinks != 0 {
		return unix.EINVAL
	}
	nd, err := d.sameFS(newDir)
	if err != nil {
		return err
	}
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if d.closed {
		return unix.EBADF
	}
	if _, _, _, err := fs.parent(d.node, oldPath); err != nil {
		return err
	}
	ndir, nbase, ntrail, err := fs.parent(nd.node, newPath)
	if err != nil {
		return err
	}
	n, err := fs.walk(d.node, oldPath, false)
	if err != nil {
		return err
	}
	if err, ok := dotError(nbase, "link"); ok {
		return err
	}
	switch _, exists := ndir.children[nbase]; {
	case exists:
		return unix.EEXIST
	case ntrail:
		return unix.ENOENT
	case n.typ == TypeDirectory:
		return unix.EPERM
	}
	ndir.children[nbase] = n
	n.nlink++
	n.ctim = fs.now().UnixNano()
	fs.touch(ndir)
	return nil
}

// SymlinkAt refuses absolute targets (EPERM), like the host implementation.
func (d *memDir) SymlinkAt(target, p string) error {
	if err := checkPath(target); err != nil {
		return err
	}
	fs := d.fs
	fs.mu.Lock()
	defer fs.mu.Unlock()
	dir, base, trailing, err := d.entry(p, "symlink")
	if err != nil {
		return err
	}
	if _, ok := dir.children[base]; ok {
		return unix.EEXIST
	}
	if trailing {
		return unix.ENOENT
	}
	n := fs.newNode(TypeSymlink, dir)
	n.target = target
	dir.children[base] = n
	fs.touch(dir)
	return nil
}

func (d *memDir) ReadlinkAt(p string) (string, error) {
	fs := d.fs
	fs.mu.RLock()
	defer fs.mu.RUnlock()
	if d.closed {
		return "", unix.EBADF
	}
	n, err := fs.walk(d.node, p, false)
	if err != nil {
		return "", err
	}
	if n.typ != TypeSymlink {
		return "", unix.EINVAL
	}
	return n.target, nil
}

func (d *memDir) ReadDir(cookie uint64) ([]DirEntry, error) {
	d.fs.mu.Lock() // the snapshot belongs to the handle
	defer d.fs.mu.Unlock()
	if d.closed {
		return nil, unix.EBADF
	}
	if cookie == 0 || d.snap == nil {
		d.snap = d.fs.snapshot(d.node)
	}
	if cookie >= uint64(len(d.snap)) {
		return nil, nil
	}
	return d.snap[cookie:], nil
}
