package vfs

import (
	"fmt"
	"path/filepath"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// HostFS is a host directory mounted into the guest. It holds only the
// host path; every handle it opens is a descriptor owned by that handle,
// and every path beneath a handle is resolved with openat2
// RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS (or, on kernels without openat2,
// by a component-by-component O_NOFOLLOW walk).
type HostFS struct {
	root      string
	noOpenat2 atomic.Bool
	// roots are the host mount roots of the mount table this file
	// system belongs to (nil outside a table): see host_nested_linux.go.
	roots *mountRoots
}

// NewHostFS checks that root is a host directory and returns a file system
// confined beneath it.
func NewHostFS(root string) (*HostFS, error) {
	abs, err := filepath.Abs(root)
	if err != nil {
		return nil, fmt.Errorf("vfs: host directory %q: %w", root, err)
	}
	var st unix.Stat_t
	if err := unix.Stat(abs, &st); err != nil {
		return nil, fmt.Errorf("vfs: host directory %q: %w", root, err)
	}
	if st.Mode&unix.S_IFMT != unix.S_IFDIR {
		return nil, fmt.Errorf("vfs: host directory %q: %w", root, unix.ENOTDIR)
	}
	return &HostFS{root: abs}, nil
}

// Root returns the host path of the file system's root.
func (h *HostFS) Root() string { return h.root }

// OpenRoot opens a new handle on the host directory.
func (h *HostFS) OpenRoot() (Dir, error) {
	fd, err := openatRetry(unix.AT_FDCWD, h.root, unix.O_RDONLY|unix.O_DIRECTORY|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("vfs: open host directory %q: %w", h.root, err)
	}
	return &hostDir{fs: h, ref: newFDRef(fd)}, nil
}

// openFlags translates WASI-style open arguments to host open(2) flags.
func openFlags(of OFlags, acc Access, fl FDFlags) int {
	flags := unix.O_RDONLY
	switch {
	case of&ODirectory != 0:
	case acc&(AccessRead|AccessWrite) == AccessRead|AccessWrite:
		flags = unix.O_RDWR
	case acc&AccessWrite != 0:
		flags = unix.O_WRONLY
	}
	for _, m := range []struct {
		on  bool
		bit int
	}{
		{of&OCreate != 0, unix.O_CREAT},
		{of&ODirectory != 0, unix.O_DIRECTORY},
		{of&OExclusive != 0, unix.O_EXCL},
		{of&OTruncate != 0, unix.O_TRUNC},
		{fl&FDAppend != 0, unix.O_APPEND},
		{fl&FDDSync != 0, unix.O_DSYNC},
		{fl&FDNonblock != 0, unix.O_NONBLOCK},
		{fl&FDRSync != 0, unix.O_RSYNC},
		{fl&FDSync != 0, unix.O_SYNC},
	} {
		if m.on {
			flags |= m.bit
		}
	}
	return flags
}

// hostStat converts a host stat buffer.
func hostStat(st *unix.Stat_t) Stat {
	return Stat{
		Dev:   uint64(st.Dev),
		Ino:   st.Ino,
		Type:  hostFileType(st.Mode),
		Nlink: uint64(st.Nlink),
		Size:  uint64(st.Size),
		Atim:  st.Atim.Nano(),
		Mtim:  st.Mtim.Nano(),
		Ctim:  st.Ctim.Nano(),
	}
}

func hostFileType(mode uint32) FileType {
	switch mode & unix.S_IFMT {
	case unix.S_IFDIR:
		return TypeDirectory
	case unix.S_IFREG:
		return TypeRegular
	case unix.S_IFLNK:
		return TypeSymlink
	case unix.S_IFCHR:
		return TypeCharDevice
	case unix.S_IFBLK:
		return TypeBlockDevice
	case unix.S_IFSOCK:
		return TypeSocketStream
	}
	return TypeUnknown
}

// fdStat stats a descriptor, telling datagram from stream sockets.
func fdStat(fd int) (Stat, error) {
	if fd < 0 {
		return Stat{}, unix.EBADF
	}
	var st unix.Stat_t
	if err := unix.Fstat(fd, &st); err != nil {
		return Stat{}, err
	}
	s := hostStat(&st)
	if s.Type == TypeSocketStream {
		if t, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TYPE); err == nil && t == unix.SOCK_DGRAM {
			s.Type = TypeSocketDgram
		}
	}
	return s, nil
}

// hostTimes converts a Times update to utimensat arguments.
func hostTimes(t Times) []unix.Timespec {
	conv := func(s TimeSpec) unix.Timespec {
		switch s.Mode {
		case TimeNow:
			return unix.Timespec{Nsec: unix.UTIME_NOW}
		case TimeSet:
			return unix.NsecToTimespec(s.Nanos)
		}
		return unix.Timespec{Nsec: unix.UTIME_OMIT}
	}
	return []unix.Timespec{conv(t.Atime), conv(t.Mtime)}
}

// fdSetTimes changes the times of whatever fd refers to (also an O_PATH
// descriptor of a symbolic link).
func fdSetTimes(fd int, t Times) error {
	if fd < 0 {
		return unix.EBADF
	}
	return unix.UtimesNanoAt(fd, "", hostTimes(t), unix.AT_EMPTY_PATH)
}

func fdSync(fd int, data bool) error {
	if fd < 0 {
		return unix.EBADF
	}
	if data {
		return unix.Fdatasync(fd)
	}
	return unix.Fsync(fd)
}
