package vfs

import (
	"io"
	"io/fs"
	"path"
	"time"

	"golang.org/x/sys/unix"
)

// AsIOFS views a file system as an io/fs.FS, so that standard library code
// (fs.WalkDir, fs.ReadFile, http.FileServerFS, template.ParseFS) reads
// what a guest sees or wrote. The view is also an fs.StatFS; its files are
// io.Seeker and io.ReaderAt, its directories fs.ReadDirFile. Open follows
// symbolic links (beneath the root, by this package's rules); directory
// entries and fs.FileInfo report them as links. Each call opens a root
// handle and closes it before returning; an opened file holds its own.
// Errors are *fs.PathError wrapping the errno, so errors.Is(err,
// fs.ErrNotExist) works. Permission bits are not tracked by this package:
// the view reports 0o555 for directories and 0o444 for other files.
func AsIOFS(fsys FS) fs.FS { return ioView{fsys} }

type ioView struct{ fsys FS }

// at runs fn on a fresh root handle, with name checked and mapped to a
// path beneath it.
func (v ioView) at(op, name string, fn func(root Dir) error) error {
	if !fs.ValidPath(name) {
		return &fs.PathError{Op: op, Path: name, Err: fs.ErrInvalid}
	}
	root, err := v.fsys.OpenRoot()
	if err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	defer root.Close()
	if err := fn(root); err != nil {
		return &fs.PathError{Op: op, Path: name, Err: err}
	}
	return nil
}

func (v ioView) Open(name string) (fs.File, error) {
	var f fs.File
	err := v.at("open", name, func(root Dir) error {
		n, err := root.OpenAt(name, FollowSymlinks, 0, AccessRead, 0)
		if err != nil {
			return err
		}
		switch n := n.(type) {
		case Dir:
			f = &viewDir{name: name, dir: n}
		case File:
			f = &viewFile{name: name, file: n}
		default:
			n.Close()
			return unix.ENOTSUP
		}
		return nil
	})
	return f, err
}

// Stat implements fs.StatFS.
func (v ioView) Stat(name string) (fs.FileInfo, error) {
	var fi fs.FileInfo
	err := v.at("stat", name, func(root Dir) error {
		st, err := root.StatAt(name, FollowSymlinks)
		fi = fileInfo{name: path.Base(name), st: st}
		return err
	})
	return fi, err
}

// fileInfo is a Stat as an fs.FileInfo.
type fileInfo struct {
	name string
	st   Stat
}

func (i fileInfo) Name() string       { return i.name }
func (i fileInfo) Size() int64        { return int64(i.st.Size) }
func (i fileInfo) ModTime() time.Time { return time.Unix(0, i.st.Mtim) }
func (i fileInfo) IsDir() bool        { return i.st.Type == TypeDirectory }
func (i fileInfo) Sys() any           { return i.st }

func (i fileInfo) Mode() fs.FileMode {
	if i.st.Type == TypeDirectory {
		return fs.ModeDir | 0o555
	}
	return modeType(i.st.Type) | 0o444
}

// modeType maps a WASI file type to io/fs type bits.
func modeType(t FileType) fs.FileMode {
	switch t {
	case TypeDirectory:
		return fs.ModeDir
	case TypeSymlink:
		return fs.ModeSymlink
	case TypeCharDevice:
		return fs.ModeDevice | fs.ModeCharDevice
	case TypeBlockDevice:
		return fs.ModeDevice
	case TypeSocketDgram, TypeSocketStream:
		return fs.ModeSocket
	case TypeRegular:
		return 0
	}
	return fs.ModeIrregular
}

// viewFile is an open file of the view.
type viewFile struct {
	name string
	file File
}

func (f *viewFile) Stat() (fs.FileInfo, error) {
	st, err := f.file.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: f.name, Err: err}
	}
	return fileInfo{name: path.Base(f.name), st: st}, nil
}

func (f *viewFile) Read(p []byte) (int, error) {
	n, err := f.file.Read(p)
	if err != nil {
		return n, &fs.PathError{Op: "read", Path: f.name, Err: err}
	}
	if n == 0 && len(p) > 0 {
		return 0, io.EOF
	}
	return n, nil
}

// ReadAt implements io.ReaderAt.
func (f *viewFile) ReadAt(p []byte, off int64) (int, error) {
	total := 0
	for total < len(p) {
		n, err := f.file.Preadv([][]byte{p[total:]}, off+int64(total))
		total += n
		if err != nil {
			return total, &fs.PathError{Op: "read", Path: f.name, Err: err}
		}
		if n == 0 {
			return total, io.EOF
		}
	}
	return total, nil
}

// Seek implements io.Seeker.
func (f *viewFile) Seek(off int64, whence int) (int64, error) {
	n, err := f.file.Seek(off, whence)
	if err != nil {
		return n, &fs.PathError{Op: "seek", Path: f.name, Err: err}
	}
	return n, nil
}

func (f *viewFile) Close() error {
	if err := f.file.Close(); err != nil {
		return &fs.PathError{Op: "close", Path: f.name, Err: err}
	}
	return nil
}

// viewDir is an open directory of the view: an fs.ReadDirFile.
type viewDir struct {
	name   string
	dir    Dir
	cookie uint64
	done   bool
}

func (d *viewDir) Stat() (fs.FileInfo, error) {
	st, err := d.dir.Stat()
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: d.name, Err: err}
	}
	return fileInfo{name: path.Base(d.name), st: st}, nil
}

func (d *viewDir) Read([]byte) (int, error) {
	return 0, &fs.PathError{Op: "read", Path: d.name, Err: unix.EISDIR}
}

func (d *viewDir) Close() error {
	if err := d.dir.Close(); err != nil {
		return &fs.PathError{Op: "close", Path: d.name, Err: err}
	}
	return nil
}

// ReadDir returns the next n entries (all the rest when n <= 0), without
// "." and "..", in the order of the file system's listing.
func (d *viewDir) ReadDir(n int) ([]fs.DirEntry, error) {
	var out []fs.DirEntry
	for !d.done && (n <= 0 || len(out) < n) {
		entries, err := d.dir.ReadDir(d.cookie)
		if err != nil {
			return out, &fs.PathError{Op: "readdir", Path: d.name, Err: err}
		}
		if len(entries) == 0 {
			d.done = true
			break
		}
		for _, e := range entries {
			if n > 0 && len(out) == n {
				break
			}
			d.cookie = e.Next
			if e.Name == "." || e.Name == ".." {
				continue
			}
			out = append(out, dirEntry{dir: d, e: e})
		}
	}
	if n > 0 && len(out) == 0 {
		return nil, io.EOF
	}
	return out, nil
}

// dirEntry is a DirEntry as an fs.DirEntry; Info asks the directory.
type dirEntry struct {
	dir *viewDir
	e   DirEntry
}

func (e dirEntry) Name() string      { return e.e.Name }
func (e dirEntry) IsDir() bool       { return e.e.Type == TypeDirectory }
func (e dirEntry) Type() fs.FileMode { return modeType(e.e.Type) }

func (e dirEntry) Info() (fs.FileInfo, error) {
	st, err := e.dir.dir.StatAt(e.e.Name, 0)
	if err != nil {
		return nil, &fs.PathError{Op: "stat", Path: path.Join(e.dir.name, e.e.Name), Err: err}
	}
	return fileInfo{name: e.e.Name, st: st}, nil
}
