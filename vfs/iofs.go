package vfs

import (
	"errors"
	"hash/fnv"
	"io"
	"io/fs"
	"strings"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// FromIOFS mounts any io/fs file system (an embed.FS, the *zip.Reader of
// a zip archive, fstest.MapFS, os.DirFS) read-only: every mutation fails
// with EROFS. Paths keep this package's rules: ".." never climbs above the
// handle a path starts from, and entries whose mode has fs.ModeSymlink
// (zip archives store links so) are symbolic links whose target is the
// entry's content, expanded beneath the mount like MemFS links.
//
// Files that implement io.ReaderAt or io.Seeker (embed.FS files do) are
// read in place; others (zip entries) are read forward, and reopened when
// the guest reads before a position already passed. Nothing is copied into
// memory beyond one read. Inode numbers are hashes of the paths; every
// timestamp is the entry's modification time.
//
// os.DirFS follows host symbolic links wherever they point: mount host
// directories with NewHostFS, which confines them, instead.
func FromIOFS(fsys fs.FS) FS {
	return ReadOnly(&ioFS{fsys: fsys, dev: memDevices.Add(1)})
}

// ioFS is the read-only vfs view of an io/fs file system.
type ioFS struct {
	fsys fs.FS
	dev  uint64
}

func (f *ioFS) OpenRoot() (Dir, error) {
	fi, err := fs.Stat(f.fsys, ".")
	if err != nil {
		return nil, ioErrno(err)
	}
	if !fi.IsDir() {
		return nil, unix.ENOTDIR
	}
	return &ioDir{ioNode: ioNode{fs: f}}, nil
}

// maxLinkTarget bounds the content read as a symbolic link's target.
const maxLinkTarget = 4096

// ioName is the io/fs name of a path given as components.
func ioName(parts []string) string {
	if len(parts) == 0 {
		return "."
	}
	return strings.Join(parts, "/")
}

// resolve walks p beneath the directory start (as components from the
// root), following symbolic links in every component but the last, and in
// the last when follow is set or p ends with a slash. It returns the
// target's components and metadata.
func (f *ioFS) resolve(start []string, p string, follow bool) ([]string, fs.FileInfo, error) {
	if err := checkPath(p); err != nil {
		return nil, nil, err
	}
	comps, trailing := splitComponents(p)
	stack := append([]string(nil), start...)
	isDir, links := true, 0
	for len(comps) > 0 {
		c := comps[0]
		comps = comps[1:]
		last := len(comps) == 0
		if !isDir {
			return nil, nil, unix.ENOTDIR
		}
		switch c {
		case ".":
			continue
		case "..":
			if len(stack) == len(start) {
				return nil, nil, unix.EPERM
			}
			stack = stack[:len(stack)-1]
			continue
		}
		next := append(stack[:len(stack):len(stack)], c)
		fi, err := fs.Stat(f.fsys, ioName(next))
		if err != nil {
			return nil, nil, ioErrno(err)
		}
		if fi.Mode()&fs.ModeSymlink != 0 && (!last || follow || trailing) {
			if links++; links > maxSymlinks {
				return nil, nil, unix.ELOOP
			}
			target, err := f.readLink(ioName(next))
			if err != nil {
				return nil, nil, err
			}
			if err := checkPath(target); err != nil {
				return nil, nil, err
			}
			tparts, ttrail := splitComponents(target)
			if last {
				trailing = trailing || ttrail
			}
			comps = append(tparts, comps...)
			continue
		}
		stack, isDir = next, fi.IsDir()
	}
	fi, err := fs.Stat(f.fsys, ioName(stack))
	if err != nil {
		return nil, nil, ioErrno(err)
	}
	if trailing && !fi.IsDir() {
		return nil, nil, unix.ENOTDIR
	}
	return stack, fi, nil
}

// readLink returns a link entry's content, its target.
func (f *ioFS) readLink(name string) (string, error) {
	file, err := f.fsys.Open(name)
	if err != nil {
		return "", ioErrno(err)
	}
	defer file.Close()
	b, err := io.ReadAll(io.LimitReader(file, maxLinkTarget+1))
	if err != nil {
		return "", ioErrno(err)
	}
	if len(b) > maxLinkTarget {
		return "", unix.ENAMETOOLONG
	}
	return string(b), nil
}

// stat converts io/fs metadata.
func (f *ioFS) stat(name string, fi fs.FileInfo) Stat {
	var t int64
	if mt := fi.ModTime(); !mt.IsZero() {
		t = mt.UnixNano()
	}
	st := Stat{Dev: f.dev, Ino: ioInode(name), Type: ioFileType(fi.Mode()), Nlink: 1, Atim: t, Mtim: t, Ctim: t}
	if st.Type == TypeRegular || st.Type == TypeSymlink {
		st.Size = uint64(max(fi.Size(), 0))
	}
	return st
}

// ioInode numbers an entry by its name (FNV-1a), so the same entry always
// gets the same number.
func ioInode(name string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(name))
	return h.Sum64()
}

// ioFileType maps an io/fs mode to a WASI file type.
func ioFileType(m fs.FileMode) FileType {
	switch {
	case m.IsDir():
		return TypeDirectory
	case m&fs.ModeSymlink != 0:
		return TypeSymlink
	case m.IsRegular():
		return TypeRegular
	case m&fs.ModeCharDevice != 0:
		return TypeCharDevice
	case m&fs.ModeDevice != 0:
		return TypeBlockDevice
	case m&fs.ModeSocket != 0:
		return TypeSocketStream
	}
	return TypeUnknown
}

// ioErrno maps an io/fs error to an errno.
func ioErrno(err error) error {
	var errno unix.Errno
	switch {
	case errors.As(err, &errno):
		return errno
	case errors.Is(err, fs.ErrNotExist):
		return unix.ENOENT
	case errors.Is(err, fs.ErrPermission):
		return unix.EACCES
	case errors.Is(err, fs.ErrInvalid):
		return unix.EINVAL
	}
	return unix.EIO
}

// ioNode is what directories and files of an ioFS share: the path, the
// descriptor flags and the refusal of every change.
type ioNode struct {
	fs     *ioFS
	parts  []string
	flags  flagWord
	closed atomic.Bool
}

func (n *ioNode) name() string { return ioName(n.parts) }

func (n *ioNode) check() error {
	if n.closed.Load() {
		return unix.EBADF
	}
	return nil
}

func (n *ioNode) Stat() (Stat, error) {
	if err := n.check(); err != nil {
		return Stat{}, err
	}
	fi, err := fs.Stat(n.fs.fsys, n.name())
	if err != nil {
		return Stat{}, ioErrno(err)
	}
	return n.fs.stat(n.name(), fi), nil
}

func (n *ioNode) Sync() error               { return n.check() }
func (n *ioNode) Datasync() error           { return n.check() }
func (n *ioNode) Flags() FDFlags            { return n.flags.get() }
func (n *ioNode) SetFlags(fl FDFlags) error { n.flags.set(fl); return n.check() }
func (n *ioNode) SetTimes(Times) error      { return unix.EROFS }

// ioDir is an open directory of an ioFS.
type ioDir struct {
	ioNode
	mu   sync.Mutex // guards snap
	snap []DirEntry
}

func (d *ioDir) Close() error {
	if d.closed.Swap(true) {
		return unix.EBADF
	}
	return nil
}

func (d *ioDir) OpenAt(p string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	if of&(OCreate|OTruncate) != 0 || acc&AccessWrite != 0 {
		return nil, unix.EROFS
	}
	parts, fi, err := d.fs.resolve(d.parts, p, lf&FollowSymlinks != 0)
	if err != nil {
		return nil, err
	}
	switch {
	case fi.IsDir():
		dir := &ioDir{ioNode: ioNode{fs: d.fs, parts: parts}}
		dir.flags.set(fl)
		return dir, nil
	case of&ODirectory != 0:
		return nil, unix.ENOTDIR
	case fi.Mode()&fs.ModeSymlink != 0:
		return nil, unix.ELOOP
	}
	file, err := d.fs.fsys.Open(ioName(parts))
	if err != nil {
		return nil, ioErrno(err)
	}
	f := &ioFile{ioNode: ioNode{fs: d.fs, parts: parts}, file: file, size: fi.Size()}
	f.flags.set(fl)
	return f, nil
}

func (d *ioDir) StatAt(p string, lf LookupFlags) (Stat, error) {
	if err := d.check(); err != nil {
		return Stat{}, err
	}
	parts, fi, err := d.fs.resolve(d.parts, p, lf&FollowSymlinks != 0)
	if err != nil {
		return Stat{}, err
	}
	return d.fs.stat(ioName(parts), fi), nil
}

func (d *ioDir) ReadlinkAt(p string) (string, error) {
	if err := d.check(); err != nil {
		return "", err
	}
	parts, fi, err := d.fs.resolve(d.parts, p, false)
	if err != nil {
		return "", err
	}
	if fi.Mode()&fs.ModeSymlink == 0 {
		return "", unix.EINVAL
	}
	return d.fs.readLink(ioName(parts))
}

func (d *ioDir) ReadDir(cookie uint64) ([]DirEntry, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if cookie == 0 || d.snap == nil {
		entries, err := fs.ReadDir(d.fs.fsys, d.name())
		if err != nil {
			return nil, ioErrno(err)
		}
		parent := d.parts
		if len(parent) > 0 {
			parent = parent[:len(parent)-1]
		}
		snap := make([]DirEntry, 0, len(entries)+2)
		snap = append(snap,
			DirEntry{Ino: ioInode(d.name()), Type: TypeDirectory, Name: "."},
			DirEntry{Ino: ioInode(ioName(parent)), Type: TypeDirectory, Name: ".."})
		for _, e := range entries {
			name := ioName(append(d.parts[:len(d.parts):len(d.parts)], e.Name()))
			snap = append(snap, DirEntry{Ino: ioInode(name), Type: ioFileType(e.Type()), Name: e.Name()})
		}
		for i := range snap {
			snap[i].Next = uint64(i + 1)
		}
		d.snap = snap
	}
	if cookie >= uint64(len(d.snap)) {
		return nil, nil
	}
	return d.snap[cookie:], nil
}

func (*ioDir) SetTimesAt(string, LookupFlags, Times) error   { return unix.EROFS }
func (*ioDir) MkdirAt(string) error                          { return unix.EROFS }
func (*ioDir) UnlinkAt(string) error                         { return unix.EROFS }
func (*ioDir) RmdirAt(string) error                          { return unix.EROFS }
func (*ioDir) RenameAt(string, Dir, string) error            { return unix.EROFS }
func (*ioDir) LinkAt(string, LookupFlags, Dir, string) error { return unix.EROFS }
func (*ioDir) SymlinkAt(string, string) error                { return unix.EROFS }

// ioFile is an open regular file of an ioFS with its own cursor.
type ioFile struct {
	ioNode
	mu   sync.Mutex // guards the fields below
	file fs.File
	at   int64 // where file's own cursor is, for files read forward only
	off  int64 // the guest's cursor
	size int64
}

func (f *ioFile) Close() error {
	if f.closed.Swap(true) {
		return unix.EBADF
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	return ioErrnoOrNil(f.file.Close())
}

func ioErrnoOrNil(err error) error {
	if err == nil {
		return nil
	}
	return ioErrno(err)
}

func (f *ioFile) Read(p []byte) (int, error) { return f.Readv([][]byte{p}) }

func (f *ioFile) Readv(bufs [][]byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n, err := f.preadv(bufs, f.off)
	f.off += int64(n)
	return n, err
}

func (f *ioFile) Preadv(bufs [][]byte, off int64) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.preadv(bufs, off)
}

func (f *ioFile) preadv(bufs [][]byte, off int64) (int, error) {
	if err := f.check(); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	total := 0
	for _, b := range bufs {
		n, err := f.readAt(b, off)
		total += n
		off += int64(n)
		if err != nil {
			return total, err
		}
		if n < len(b) {
			break // end of file
		}
	}
	return total, nil
}

// readAt fills p from off as far as the file goes: in place when the file
// can, else by reading forward from where it is, reopening it to go back.
func (f *ioFile) readAt(p []byte, off int64) (int, error) {
	if len(p) == 0 {
		return 0, nil
	}
	if ra, ok := f.file.(io.ReaderAt); ok {
		n, err := ra.ReadAt(p, off)
		if err == io.EOF {
			err = nil
		}
		return n, ioErrnoOrNil(err)
	}
	if s, ok := f.file.(io.Seeker); ok && off != f.at {
		if _, err := s.Seek(off, io.SeekStart); err != nil {
			return 0, ioErrno(err)
		}
		f.at = off
	}
	if off < f.at {
		file, err := f.fs.fsys.Open(f.name())
		if err != nil {
			return 0, ioErrno(err)
		}
		f.file.Close()
		f.file, f.at = file, 0
	}
	if off > f.at {
		n, err := io.CopyN(io.Discard, f.file, off-f.at)
		f.at += n
		if err == io.EOF {
			return 0, nil
		}
		if err != nil {
			return 0, ioErrno(err)
		}
	}
	n, err := io.ReadFull(f.file, p)
	f.at += int64(n)
	if err == io.EOF || err == io.ErrUnexpectedEOF {
		err = nil
	}
	return n, ioErrnoOrNil(err)
}

func (f *ioFile) Seek(off int64, whence int) (int64, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if err := f.check(); err != nil {
		return 0, err
	}
	off, err := seekOffset(off, whence, f.off, f.size)
	if err == nil {
		f.off = off
	}
	return off, err
}

func (f *ioFile) Advise(off, n int64, a Advice) error {
	if a > AdviceNoReuse || off < 0 || n < 0 {
		return unix.EINVAL
	}
	return f.check()
}

func (*ioFile) Write([]byte) (int, error)            { return 0, unix.EROFS }
func (*ioFile) Writev([][]byte) (int, error)         { return 0, unix.EROFS }
func (*ioFile) Pwritev([][]byte, int64) (int, error) { return 0, unix.EROFS }
func (*ioFile) Truncate(int64) error                 { return unix.EROFS }
func (*ioFile) Allocate(int64, int64) error          { return unix.EROFS }
