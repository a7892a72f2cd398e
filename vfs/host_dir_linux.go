package vfs

import (
	"encoding/binary"
	"sync"

	"golang.org/x/sys/unix"
)

// hostDir is an open host directory (a real O_RDONLY|O_DIRECTORY
// descriptor, so it can be listed).
type hostDir struct {
	fs    *HostFS
	ref   fdRef
	flags flagWord
	mu    sync.Mutex // guards snap
	snap  []DirEntry
}

func (d *hostDir) HostFD() int                       { return d.ref.peek() }
func (d *hostDir) UseFD(fn func(fd int) error) error { return d.use(fn) }

// use runs fn with the directory descriptor held.
func (d *hostDir) use(fn func(fd int) error) error {
	fd, err := d.ref.acquire()
	if err != nil {
		return err
	}
	defer d.ref.release()
	return fn(fd)
}

func (d *hostDir) Stat() (st Stat, err error) {
	err = d.use(func(fd int) (e error) { st, e = fdStat(fd); return e })
	return st, err
}

func (d *hostDir) SetTimes(t Times) error {
	return d.use(func(fd int) error {
		if err := d.fs.checkWritable(fd); err != nil {
			return err
		}
		return fdSetTimes(fd, t)
	})
}

func (d *hostDir) Sync() error               { return d.use(func(fd int) error { return fdSync(fd, false) }) }
func (d *hostDir) Datasync() error           { return d.use(func(fd int) error { return fdSync(fd, true) }) }
func (d *hostDir) Flags() FDFlags            { return d.flags.get() }
func (d *hostDir) SetFlags(fl FDFlags) error { d.flags.set(fl); return nil }
func (d *hostDir) String() string            { return "host directory beneath " + d.fs.root }
func (d *hostDir) Close() error              { return d.ref.close() }

// parent opens the directory that holds the last component of p, beneath
// the held descriptor dfd. The returned release closes it when it is not
// dfd itself.
func (d *hostDir) parent(dfd int, p string) (pfd int, last, base string, release func(), err error) {
	dir, last, base, err := splitParent(p)
	if err != nil {
		return -1, "", "", nil, err
	}
	if dir == "" {
		return dfd, last, base, func() {}, nil
	}
	fd, err := d.fs.openBeneath(dfd, dir, unix.O_PATH|unix.O_DIRECTORY, 0, true)
	if err != nil {
		return -1, "", "", nil, err
	}
	return fd, last, base, func() { unix.Close(fd) }, nil
}

// withParent runs fn on the parent directory of p with the last
// component's name (without trailing slashes) and whether it had any.
func (d *hostDir) withParent(p string, fn func(pfd int, name string, trailing bool) error) error {
	return d.use(func(dfd int) error {
		pfd, last, base, release, err := d.parent(dfd, p)
		if err != nil {
			return err
		}
		defer release()
		return fn(pfd, base, last != base)
	})
}

// mutateIn is withParent for a mutation of the entry: it fails with
// EROFS when the parent lies in a read-only region of nested mounts,
// and with EBUSY when removing or replacing the entry would move a mount
// root (unlink, rmdir).
func (d *hostDir) mutateIn(p string, removes bool, fn func(pfd int, name string, trailing bool) error) error {
	return d.withParent(p, func(pfd int, name string, trailing bool) error {
		if err := d.fs.checkWritable(pfd); err != nil {
			return err
		}
		if removes {
			if err := d.fs.checkNotRoot(pfd, name); err != nil {
				return err
			}
		}
		return fn(pfd, name, trailing)
	})
}

func (d *hostDir) OpenAt(p string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error) {
	dfd, err := d.ref.acquire()
	if err != nil {
		return nil, err
	}
	defer d.ref.release()
	if d.fs.guarded() {
		return d.openGuarded(dfd, p, lf, of, acc, fl)
	}
	return d.openIn(dfd, p, lf&FollowSymlinks != 0, of, acc, fl)
}

// openIn opens p beneath dirfd and wraps the descriptor.
func (d *hostDir) openIn(dirfd int, p string, follow bool, of OFlags, acc Access, fl FDFlags) (Node, error) {
	flags := openFlags(of, acc, fl)
	fd, err := d.fs.openBeneath(dirfd, p, flags, 0o666, follow)
	if err == unix.EISDIR && flags&(unix.O_CREAT|unix.O_TRUNC) == 0 && flags&unix.O_ACCMODE != unix.O_RDONLY {
		// Write access was asked for a directory: open it for listing.
		flags = flags&^unix.O_ACCMODE | unix.O_RDONLY | unix.O_DIRECTORY
		fd, err = d.fs.openBeneath(dirfd, p, flags, 0, follow)
	}
	if err != nil {
		return nil, err
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		unix.Close(fd)
		return nil, err
	}
	if st.Mode&unix.S_IFMT == unix.S_IFDIR {
		nd := &hostDir{fs: d.fs, ref: newFDRef(fd)}
		nd.flags.set(fl)
		return nd, nil
	}
	f := &hostFile{ref: newFDRef(fd)}
	f.flags.set(fl)
	return f, nil
}

// openGuarded is OpenAt in a table with nested read-only mounts: the
// object p reaches is found first, and when it lies in a read-only
// region, a creation, truncation or write access fails with EROFS and
// anything opened is read-only.
func (d *hostDir) openGuarded(dfd int, p string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error) {
	pfd, name, release, err := d.fs.resolveLast(dfd, p, lf&FollowSymlinks != 0)
	if err != nil {
		return nil, err
	}
	defer release()
	ro, err := d.fs.readOnlyAt(pfd)
	if err != nil {
		return nil, err
	}
	if ro && (of&(OCreate|OTruncate) != 0 || acc&AccessWrite != 0) {
		return nil, unix.EROFS
	}
	var n Node
	if name == "" {
		n, err = d.openIn(pfd, ".", true, of, acc, fl)
	} else {
		// The last component is resolved: a link there now is a race
		// (or was not to be followed) and fails with ELOOP.
		n, err = d.openIn(pfd, name, false, of, acc, fl)
	}
	if err != nil || !ro {
		return n, err
	}
	switch n := n.(type) {
	case Dir:
		return readOnlyDir{n}, nil
	case File:
		return readOnlyFile{n}, nil
	}
	return n, nil
}

// withPath runs fn on an O_PATH descriptor of p (the link itself unless
// lf has FollowSymlinks).
func (d *hostDir) withPath(p string, lf LookupFlags, fn func(fd int) error) error {
	return d.use(func(dfd int) error {
		fd, err := d.fs.openBeneath(dfd, p, unix.O_PATH, 0, lf&FollowSymlinks != 0)
		if err != nil {
			return err
		}
		defer unix.Close(fd)
		return fn(fd)
	})
}

func (d *hostDir) StatAt(p string, lf LookupFlags) (st Stat, err error) {
	err = d.withPath(p, lf, func(fd int) (e error) { st, e = fdStat(fd); return e })
	return st, err
}

func (d *hostDir) SetTimesAt(p string, lf LookupFlags, t Times) error {
	if !d.fs.guarded() {
		return d.withPath(p, lf, func(fd int) error { return fdSetTimes(fd, t) })
	}
	return d.use(func(dfd int) error {
		pfd, name, release, err := d.fs.resolveLast(dfd, p, lf&FollowSymlinks != 0)
		if err != nil {
			return err
		}
		defer release()
		if err := d.fs.checkWritable(pfd); err != nil {
			return err
		}
		if name == "" {
			return fdSetTimes(pfd, t)
		}
		return unix.UtimesNanoAt(pfd, name, hostTimes(t), unix.AT_SYMLINK_NOFOLLOW)
	})
}

// The mutations below never hand the host a last component that is "."
// or ".." or that ends in a slash: such names make the host follow links
// or climb from the parent directory, outside the confinement openat2
// gives. Their POSIX results are computed here instead.

func (d *hostDir) MkdirAt(p string) error {
	return d.mutateIn(p, false, func(pfd int, name string, _ bool) error {
		if err, ok := dotError(name, "mkdir"); ok {
			return err
		}
		return unix.Mkdirat(pfd, name, 0o777)
	})
}

func (d *hostDir) UnlinkAt(p string) error {
	return d.mutateIn(p, true, func(pfd int, name string, trailing bool) error {
		if err, ok := dotError(name, "unlink"); ok {
			return err
		}
		if trailing {
			t, err := typeAt(pfd, name)
			switch {
			case err != nil:
				return err
			case t == TypeDirectory:
				return unix.EISDIR
			}
			return unix.ENOTDIR
		}
		return unix.Unlinkat(pfd, name, 0)
	})
}

func (d *hostDir) RmdirAt(p string) error {
	return d.mutateIn(p, true, func(pfd int, name string, _ bool) error {
		if err, ok := dotError(name, "rmdir"); ok {
			return err
		}
		return unix.Unlinkat(pfd, name, unix.AT_REMOVEDIR)
	})
}

// typeAt returns the type of the entry name in directory pfd (not
// following a link).
func typeAt(pfd int, name string) (FileType, error) {
	var st unix.Stat_t
	if err := unix.Fstatat(pfd, name, &st, unix.AT_SYMLINK_NOFOLLOW); err != nil {
		return TypeUnknown, err
	}
	return hostFileType(st.Mode), nil
}

// twoParents runs fn on the parents of oldPath (beneath d) and newPath
// (beneath newDir, which must be a writable host directory).
func (d *hostDir) twoParents(oldPath string, newDir Dir, newPath string,
	fn func(ofd int, oname string, otrail bool, nfd int, nname string, ntrail bool) error) error {
	if isReadOnly(newDir) {
		return unix.EROFS
	}
	nd, ok := newDir.(*hostDir)
	if !ok {
		return unix.EXDEV
	}
	return d.withParent(oldPath, func(ofd int, oname string, otrail bool) error {
		return nd.withParent(newPath, func(nfd int, nname string, ntrail bool) error {
			// Both directories change (rename), or the source gains a
			// writable name (link): neither may be in a read-only
			// region, and no mount root may move or be replaced.
			for _, c := range []struct {
				fs   *HostFS
				fd   int
				name string
			}{{d.fs, ofd, oname}, {nd.fs, nfd, nname}} {
				if err := c.fs.checkWritable(c.fd); err != nil {
					return err
				}
				if err := c.fs.checkNotRoot(c.fd, c.name); err != nil {
					return err
				}
			}
			return fn(ofd, oname, otrail, nfd, nname, ntrail)
		})
	})
}

func (d *hostDir) RenameAt(oldPath string, newDir Dir, newPath string) error {
	return d.twoParents(oldPath, newDir, newPath, func(ofd int, oname string, otrail bool, nfd int, nname string, ntrail bool) error {
		for _, name := range []string{oname, nname} {
			if err, ok := dotError(name, "rename"); ok {
				return err
			}
		}
		if otrail || ntrail {
			// A trailing slash on either name says the source is a
			// directory.
			t, err := typeAt(ofd, oname)
			if err != nil {
				return err
			}
			if t != TypeDirectory {
				return unix.ENOTDIR
			}
		}
		return unix.Renameat(ofd, oname, nfd, nname)
	})
}

// LinkAt refuses FollowSymlinks (EINVAL): following the source would need
// /proc or CAP_DAC_READ_SEARCH, and linking the link itself cannot leak.
// Checks come in link(2)'s order: the source, the new name, the source's
// type.
func (d *hostDir) LinkAt(oldPath string, lf LookupFlags, newDir Dir, newPath string) error {
	if lf&FollowSymlinks != 0 {
		return unix.EINVAL
	}
	return d.twoParents(oldPath, newDir, newPath, func(ofd int, oname string, otrail bool, nfd int, nname string, ntrail bool) error {
		srcIsDir := false
		if otrail || oname == "." || oname == ".." {
			// The source names a directory (through links beneath d).
			if err := d.withPath(oldPath, FollowSymlinks, func(int) error { return nil }); err != nil {
				return err
			}
			srcIsDir = true
		} else if _, err := typeAt(ofd, oname); err != nil {
			return err
		}
		if err, ok := dotError(nname, "link"); ok {
			return err
		}
		if _, err := typeAt(nfd, nname); err == nil {
			return unix.EEXIST
		}
		switch {
		case ntrail:
			return unix.ENOENT
		case srcIsDir:
			return unix.EPERM
		}
		return unix.Linkat(ofd, oname, nfd, nname, 0)
	})
}

// SymlinkAt refuses absolute targets (EPERM): they could never be followed
// inside the sandbox and would only mislead host programs.
func (d *hostDir) SymlinkAt(target, p string) error {
	if err := checkPath(target); err != nil {
		return err
	}
	return d.mutateIn(p, false, func(pfd int, name string, trailing bool) error {
		if err, ok := dotError(name, "symlink"); ok {
			return err
		}
		if trailing {
			if _, err := typeAt(pfd, name); err == nil {
				return unix.EEXIST
			}
			return unix.ENOENT
		}
		return unix.Symlinkat(target, pfd, name)
	})
}

func (d *hostDir) ReadlinkAt(p string) (target string, err error) {
	err = d.withParent(p, func(pfd int, name string, trailing bool) (e error) {
		if trailing || name == "." || name == ".." {
			// A directory, reached through links beneath d.
			lf := LookupFlags(0)
			if trailing {
				lf = FollowSymlinks
			}
			if err := d.withPath(p, lf, func(int) error { return nil }); err != nil {
				return err
			}
			return unix.EINVAL
		}
		target, e = readlinkAt(pfd, name)
		return e
	})
	return target, err
}

func (d *hostDir) ReadDir(cookie uint64) ([]DirEntry, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if cookie == 0 || d.snap == nil {
		var snap []DirEntry
		if err := d.use(func(fd int) (e error) { snap, e = list(fd); return e }); err != nil {
			return nil, err
		}
		d.snap = snap
	}
	if cookie >= uint64(len(d.snap)) {
		return nil, nil
	}
	return d.snap[cookie:], nil
}

// list reads the whole directory: "." and ".." first, then the host's
// order. Cookies are positions in this list.
func list(fd int) ([]DirEntry, error) {
	if _, err := unix.Seek(fd, 0, 0); err != nil {
		return nil, err
	}
	self, err := fdStat(fd)
	if err != nil {
		return nil, err
	}
	dot := DirEntry{Ino: self.Ino, Type: TypeDirectory, Name: "."}
	dotdot := DirEntry{Ino: self.Ino, Type: TypeDirectory, Name: ".."}
	var rest []DirEntry
	buf := make([]byte, 8192)
	for {
		n, err := unix.Getdents(fd, buf)
		if err == unix.EINTR {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n <= 0 {
			break
		}
		parseDirents(buf[:n], func(ino uint64, typ uint8, name string) {
			e := DirEntry{Ino: ino, Type: direntType(typ), Name: name}
			switch name {
			case ".":
				return
			case "..":
				dotdot.Ino = ino
				return
			}
			if typ == unix.DT_UNKNOWN {
				var st unix.Stat_t
				if unix.Fstatat(fd, name, &st, unix.AT_SYMLINK_NOFOLLOW) == nil {
					e.Type = hostFileType(st.Mode)
				}
			}
			rest = append(rest, e)
		})
	}
	out := make([]DirEntry, 0, len(rest)+2)
	out = append(out, dot, dotdot)
	out = append(out, rest...)
	for i := range out {
		out[i].Next = uint64(i + 1)
	}
	return out, nil
}

func direntType(t uint8) FileType {
	switch t {
	case unix.DT_DIR:
		return TypeDirectory
	case unix.DT_REG:
		return TypeRegular
	case unix.DT_LNK:
		return TypeSymlink
	case unix.DT_CHR:
		return TypeCharDevice
	case unix.DT_BLK:
		return TypeBlockDevice
	case unix.DT_SOCK:
		return TypeSocketStream
	}
	return TypeUnknown
}

// parseDirents walks linux_dirent64 records (in the host's byte order):
// u64 ino, s64 off, u16 reclen, u8 type, name NUL-terminated.
func parseDirents(b []byte, fn func(ino uint64, typ uint8, name string)) {
	for len(b) >= 19 {
		ino := binary.NativeEndian.Uint64(b[0:])
		reclen := int(binary.NativeEndian.Uint16(b[16:]))
		if reclen < 19 || reclen > len(b) {
			return
		}
		typ := b[18]
		name := b[19:reclen]
		for i, c := range name {
			if c == 0 {
				name = name[:i]
				break
			}
		}
		fn(ino, typ, string(name))
		b = b[reclen:]
	}
}
