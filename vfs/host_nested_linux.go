package vfs

import (
	"sync"

	"golang.org/x/sys/unix"
)

// Host mounts may nest: `--dir t::/a --dir t/ro::/a/ro:ro` makes t/ro
// reachable both through its own read-only mount and through the
// writable mount of t, by its plain path, by "..", or by a symbolic link
// the guest makes. The read-only decision therefore cannot be made on the
// guest path. It is made on the host object reached: the host directory
// holding the entry a mutation touches is walked up, by "..", to the
// first directory that is the root of one of the table's host mounts
// (compared by device and inode, so renaming an ancestor changes
// nothing), and that mount's mode decides. The guest cannot move objects
// into or out of a read-only region, since either would change a
// directory inside it, so the answer cannot go stale through the guest.
// Hard links the host made between the regions are the host's business;
// the guest cannot make one (linking out of or into a read-only region is
// refused).

// fileID identifies a host object.
type fileID struct{ dev, ino uint64 }

// mountRoots are the host mount roots of one mount table and their modes.
// It is filled while the table is built and only read afterwards.
type mountRoots struct {
	mu    sync.RWMutex
	roots map[fileID]bool // true: read-only
	anyRO bool
}

// maxRootWalk bounds the walk up from a directory; deeper trees are
// refused with ELOOP in a nested configuration (fail closed).
const maxRootWalk = 4096

func statID(fd int, name string, flags int) (fileID, unix.Stat_t, error) {
	var st unix.Stat_t
	var err error
	if name == "" {
		err = unix.Fstat(fd, &st)
	} else {
		err = unix.Fstatat(fd, name, &st, flags)
	}
	return fileID{uint64(st.Dev), st.Ino}, st, err
}

// nest returns the file system to mount for fs: a HostFS gets its own
// copy tied to the table's roots, so that its mutations consult them.
func (t *MountTable) nest(fs FS, readOnly bool) (FS, error) {
	h, ok := fs.(*HostFS)
	if !ok {
		return fs, nil
	}
	if t.roots == nil {
		t.roots = &mountRoots{roots: map[fileID]bool{}}
	}
	var st unix.Stat_t
	if err := unix.Stat(h.root, &st); err != nil {
		return nil, err
	}
	id := fileID{uint64(st.Dev), st.Ino}
	r := t.roots
	r.mu.Lock()
	if ro, seen := r.roots[id]; !seen || !readOnly {
		// The same directory mounted twice is writable if either mount is.
		r.roots[id] = readOnly && (!seen || ro)
	}
	r.anyRO = false
	for _, ro := range r.roots {
		r.anyRO = r.anyRO || ro
	}
	r.mu.Unlock()
	nh := &HostFS{root: h.root, roots: r}
	nh.noOpenat2.Store(h.noOpenat2.Load())
	return nh, nil
}

// guarded reports whether mutations must consult the mount roots: the
// file system belongs to a table with a read-only host mount.
func (h *HostFS) guarded() bool {
	if h.roots == nil {
		return false
	}
	h.roots.mu.RLock()
	defer h.roots.mu.RUnlock()
	return h.roots.anyRO
}

// readOnlyAt reports whether the directory dirfd lies in a read-only
// region: the first mount root met walking up from it (itself included)
// is read-only. h must be guarded.
func (h *HostFS) readOnlyAt(dirfd int) (bool, error) {
	h.roots.mu.RLock()
	defer h.roots.mu.RUnlock()
	cur, owned := dirfd, -1
	defer func() {
		if owned >= 0 {
			unix.Close(owned)
		}
	}()
	id, _, err := statID(cur, "", 0)
	if err != nil {
		return false, err
	}
	for i := 0; i < maxRootWalk; i++ {
		if ro, ok := h.roots.roots[id]; ok {
			return ro, nil
		}
		up, err := openatRetry(cur, "..", unix.O_PATH|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
		if err != nil {
			return false, err
		}
		if owned >= 0 {
			unix.Close(owned)
		}
		cur, owned = up, up
		upID, _, err := statID(cur, "", 0)
		if err != nil {
			return false, err
		}
		if upID == id {
			return false, nil // the host's root directory
		}
		id = upID
	}
	return false, unix.ELOOP
}

// checkWritable fails with EROFS when the directory dirfd lies in a
// read-only region (nothing to check when h is not guarded).
func (h *HostFS) checkWritable(dirfd int) error {
	if !h.guarded() {
		return nil
	}
	ro, err := h.readOnlyAt(dirfd)
	switch {
	case err != nil:
		return err
	case ro:
		return unix.EROFS
	}
	return nil
}

// checkNotRoot fails with EBUSY when the entry name in dirfd is a mount
// root (as the host refuses to rename or remove a mount point).
func (h *HostFS) checkNotRoot(dirfd int, name string) error {
	if !h.guarded() {
		return nil
	}
	id, _, err := statID(dirfd, name, unix.AT_SYMLINK_NOFOLLOW)
	if err != nil {
		return nil // the operation reports its own error
	}
	h.roots.mu.RLock()
	_, isRoot := h.roots.roots[id]
	h.roots.mu.RUnlock()
	if isRoot {
		return unix.EBUSY
	}
	return nil
}

// resolveLast resolves p beneath dfd up to its last component, expanding
// a symbolic link there when follow is set, so that the object p names is
// the plain entry name in the directory pfd (name "" when p names a
// directory by ".", ".." or a trailing slash: then pfd is that directory
// itself). Link targets are resolved from the link's directory by
// openat2 beneath dfd, as the host would. release closes pfd.
func (h *HostFS) resolveLast(dfd int, p string, follow bool) (pfd int, name string, release func(), err error) {
	for links := 0; ; links++ {
		dir, last, base, err := splitParent(p)
		if err != nil {
			return -1, "", nil, err
		}
		if last != base || base == "." || base == ".." {
			fd, err := h.openBeneath(dfd, p, unix.O_PATH|unix.O_DIRECTORY, 0, true)
			if err != nil {
				return -1, "", nil, err
			}
			return fd, "", func() { unix.Close(fd) }, nil
		}
		pfd, rel := dfd, func() {}
		if dir != "" {
			fd, err := h.openBeneath(dfd, dir, unix.O_PATH|unix.O_DIRECTORY, 0, true)
			if err != nil {
				return -1, "", nil, err
			}
			pfd, rel = fd, func() { unix.Close(fd) }
		}
		if !follow {
			return pfd, base, rel, nil
		}
		_, st, err := statID(pfd, base, unix.AT_SYMLINK_NOFOLLOW)
		if err != nil || st.Mode&unix.S_IFMT != unix.S_IFLNK {
			return pfd, base, rel, nil // absent (maybe created) or not a link
		}
		target, err := readlinkAt(pfd, base)
		rel()
		if err != nil {
			return -1, "", nil, err
		}
		if links >= maxSymlinks {
			return -1, "", nil, unix.ELOOP
		}
		if err := checkPath(target); err != nil {
			return -1, "", nil, err
		}
		p = dir + target // not cleaned: openat2 walks ".." physically
	}
}
