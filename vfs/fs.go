package vfs

// FS is a mountable file system.
type FS interface {
	// OpenRoot opens a new handle on the file system's root directory.
	// The caller owns the handle and must close it.
	OpenRoot() (Dir, error)
}

// Node is any open handle: a file, a directory, a stream or a socket.
type Node interface {
	// Stat returns the metadata of the open file.
	Stat() (Stat, error)
	// SetTimes changes the access and modification times.
	SetTimes(Times) error
	// Sync flushes data and metadata to storage; Datasync only data.
	Sync() error
	Datasync() error
	// Flags reports the descriptor flags; SetFlags changes them (only
	// FDAppend and FDNonblock can change after open on most systems).
	Flags() FDFlags
	SetFlags(FDFlags) error
	// Close releases the handle. Calling it twice returns EBADF.
	Close() error
}

// Dir is an open directory. Every path is resolved beneath it.
type Dir interface {
	Node
	// OpenAt opens path. The result is a Dir when the target is a
	// directory and a File otherwise.
	OpenAt(path string, lf LookupFlags, of OFlags, acc Access, fl FDFlags) (Node, error)
	// StatAt returns the metadata of path (of the link itself unless lf
	// has FollowSymlinks).
	StatAt(path string, lf LookupFlags) (Stat, error)
	// SetTimesAt changes the times of path.
	SetTimesAt(path string, lf LookupFlags, t Times) error
	MkdirAt(path string) error
	// UnlinkAt removes a non-directory; RmdirAt an empty directory.
	UnlinkAt(path string) error
	RmdirAt(path string) error
	// RenameAt moves oldPath to newPath beneath newDir, which must belong
	// to the same file system (EXDEV otherwise).
	RenameAt(oldPath string, newDir Dir, newPath string) error
	// LinkAt creates the hard link newPath beneath newDir for oldPath.
	LinkAt(oldPath string, lf LookupFlags, newDir Dir, newPath string) error
	// SymlinkAt creates the symbolic link path pointing to target.
	SymlinkAt(target, path string) error
	// ReadlinkAt returns the target of the symbolic link path.
	ReadlinkAt(path string) (string, error)
	// ReadDir lists the directory from cookie on (0 = start, "." and ".."
	// first). Each entry's Next continues after it. A listing started at
	// cookie 0 is a fresh snapshot; later cookies index that snapshot, so
	// they are stable while the guest pages through it.
	ReadDir(cookie uint64) ([]DirEntry, error)
}

// File is an open non-directory: regular file, device, stream or socket.
type File interface {
	Node
	// Read and Write transfer at the current offset (Write appends when
	// FDAppend is set). Readv/Writev are their vectored forms.
	Read(p []byte) (int, error)
	Write(p []byte) (int, error)
	Readv(bufs [][]byte) (int, error)
	Writev(bufs [][]byte) (int, error)
	// Preadv and Pwritev transfer at an offset without moving the cursor.
	Preadv(bufs [][]byte, off int64) (int, error)
	Pwritev(bufs [][]byte, off int64) (int, error)
	// Seek moves the cursor (whence as io.SeekStart/Current/End, which
	// equal WASI whence set/cur/end) and returns the new offset.
	Seek(off int64, whence int) (int64, error)
	// Truncate sets the size; Allocate makes sure [off, off+n) is backed.
	Truncate(size int64) error
	Allocate(off, n int64) error
	// Advise passes an access-pattern hint (may do nothing).
	Advise(off, n int64, a Advice) error
}

// HostDescriptor is implemented by handles backed by a host descriptor, so
// the kernel can poll them and make socket calls on them.
type HostDescriptor interface {
	// HostFD returns the host descriptor number (-1 once closed); it stays
	// owned by the handle. Use it only where a stale number is harmless,
	// such as poll(2).
	HostFD() int
	// UseFD runs fn with the descriptor held open: a concurrent Close
	// takes effect only after fn returns, so the number cannot be reused
	// meanwhile. It fails with EBADF once the handle is closed.
	UseFD(fn func(fd int) error) error
}
