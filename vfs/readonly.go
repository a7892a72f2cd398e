package vfs

import "golang.org/x/sys/unix"

// ReadOnly wraps fs so that every mutation fails with EROFS: creating,
// truncating or opening for writing, writing, resizing, changing times,
// making or removing entries, renaming and linking.
func ReadOnly(fs FS) FS {
	if r, ok := fs.(readOnlyFS); ok {
		return r
	}
	return readOnlyFS{fs}
}

type readOnlyFS struct{ inner FS }

func (r readOnlyFS) OpenRoot() (Dir, error) {
	d, err := r.inner.OpenRoot()
	if err != nil {
		return nil, err
	}
	return readOnlyDir{d}, nil
}

// readOnlyMarker is implemented by read-only handles, so that writable
// directories refuse to rename or link into them with EROFS.
type readOnlyMarker interface{ readOnly() }

func isReadOnly(d Dir) bool {
	_, ok := d.(readOnlyMarker)
	return ok
}

type readOnlyDir struct{ Dir }

func (readOnlyDir) readOnly() {}

func (d readOnlyDir) OpenAt(p string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error) {
	if of&(OCreate|OTruncate) != 0 || acc&AccessWrite != 0 {
		return nil, unix.EROFS
	}
	n, err := d.Dir.OpenAt(p, lf, of, acc, fl)
	if err != nil {
		return nil, err
	}
	switch n := n.(type) {
	case Dir:
		return readOnlyDir{n}, nil
	case File:
		return readOnlyFile{n}, nil
	}
	n.Close()
	return nil, unix.ENOTSUP
}

// RenameAt and LinkAt hand the inner handle of the other directory to
// the inner file system, but refuse before that anyway.
func (readOnlyDir) SetTimes(Times) error                          { return unix.EROFS }
func (readOnlyDir) SetTimesAt(string, LookupFlags, Times) error   { return unix.EROFS }
func (readOnlyDir) MkdirAt(string) error                          { return unix.EROFS }
func (readOnlyDir) UnlinkAt(string) error                         { return unix.EROFS }
func (readOnlyDir) RmdirAt(string) error                          { return unix.EROFS }
func (readOnlyDir) RenameAt(string, Dir, string) error            { return unix.EROFS }
func (readOnlyDir) LinkAt(string, LookupFlags, Dir, string) error { return unix.EROFS }
func (readOnlyDir) SymlinkAt(string, string) error                { return unix.EROFS }

type readOnlyFile struct{ File }

func (readOnlyFile) readOnly() {}

func (readOnlyFile) SetTimes(Times) error                 { return unix.EROFS }
func (readOnlyFile) Write([]byte) (int, error)            { return 0, unix.EROFS }
func (readOnlyFile) Writev([][]byte) (int, error)         { return 0, unix.EROFS }
func (readOnlyFile) Pwritev([][]byte, int64) (int, error) { return 0, unix.EROFS }
func (readOnlyFile) Truncate(int64) error                 { return unix.EROFS }
func (readOnlyFile) Allocate(int64, int64) error          { return unix.EROFS }

// HostFD exposes the inner descriptor for polling when there is one.
func (f readOnlyFile) HostFD() int {
	if h, ok := f.File.(HostDescriptor); ok {
		return h.HostFD()
	}
	return -1
}

// UseFD lends the inner descriptor when there is one (EBADF otherwise).
func (f readOnlyFile) UseFD(fn func(fd int) error) error {
	if h, ok := f.File.(HostDescriptor); ok {
		return h.UseFD(fn)
	}
	return unix.EBADF
}
