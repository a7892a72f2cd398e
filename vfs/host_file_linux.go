package vfs

import (
	"sync"

	"golang.org/x/sys/unix"
)

// hostFile is an open host descriptor that is not a directory: a regular
// file, a device, a pipe or a socket. Reads return (0, nil) at end of
// file, as read(2) does.
type hostFile struct {
	mu    sync.Mutex // guards fd against concurrent Close
	fd    int
	flags FDFlags
}

// NewHostFile duplicates a host descriptor (for example os.Stdin.Fd()) into
// a File the caller owns; the original stays open and owned by its owner.
func NewHostFile(fd int) (File, error) {
	nfd, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return AdoptHostFD(nfd), nil
}

// AdoptHostFD wraps a host descriptor the caller hands over: closing the
// File closes fd.
func AdoptHostFD(fd int) File {
	f := &hostFile{fd: fd}
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err == nil {
		if fl&unix.O_APPEND != 0 {
			f.flags |= FDAppend
		}
		if fl&unix.O_NONBLOCK != 0 {
			f.flags |= FDNonblock
		}
	}
	return f
}

func (f *hostFile) HostFD() int { return f.fd }

func (f *hostFile) Stat() (Stat, error)    { return fdStat(f.fd) }
func (f *hostFile) SetTimes(t Times) error { return fdSetTimes(f.fd, t) }
func (f *hostFile) Sync() error            { return fdSync(f.fd, false) }
func (f *hostFile) Datasync() error        { return fdSync(f.fd, true) }
func (f *hostFile) Flags() FDFlags         { return f.flags }

// SetFlags changes FDAppend and FDNonblock; the synchronous-I/O flags are
// fixed at open on the host, so changing them is ENOTSUP.
func (f *hostFile) SetFlags(fl FDFlags) error {
	const fixed = FDDSync | FDRSync | FDSync
	if fl&fixed != f.flags&fixed {
		return unix.ENOTSUP
	}
	cur, err := unix.FcntlInt(uintptr(f.fd), unix.F_GETFL, 0)
	if err != nil {
		return err
	}
	cur &^= unix.O_APPEND | unix.O_NONBLOCK
	if fl&FDAppend != 0 {
		cur |= unix.O_APPEND
	}
	if fl&FDNonblock != 0 {
		cur |= unix.O_NONBLOCK
	}
	if _, err := unix.FcntlInt(uintptr(f.fd), unix.F_SETFL, cur); err != nil {
		return err
	}
	f.flags = fl
	return nil
}

func (f *hostFile) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.fd < 0 {
		return unix.EBADF
	}
	err := unix.Close(f.fd)
	f.fd = -1
	return err
}

// retry repeats a system call interrupted by a signal.
func retry(fn func() (int, error)) (int, error) {
	for {
		n, err := fn()
		if err != unix.EINTR {
			if n < 0 {
				n = 0
			}
			return n, err
		}
	}
}

func (f *hostFile) Read(p []byte) (int, error) {
	return retry(func() (int, error) { return unix.Read(f.fd, p) })
}

func (f *hostFile) Write(p []byte) (int, error) {
	return retry(func() (int, error) { return unix.Write(f.fd, p) })
}

func (f *hostFile) Readv(bufs [][]byte) (int, error) {
	return retry(func() (int, error) { return unix.Readv(f.fd, bufs) })
}

func (f *hostFile) Writev(bufs [][]byte) (int, error) {
	return retry(func() (int, error) { return unix.Writev(f.fd, bufs) })
}

func (f *hostFile) Preadv(bufs [][]byte, off int64) (int, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	return retry(func() (int, error) { return unix.Preadv(f.fd, bufs, off) })
}

func (f *hostFile) Pwritev(bufs [][]byte, off int64) (int, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	return retry(func() (int, error) { return unix.Pwritev(f.fd, bufs, off) })
}

func (f *hostFile) Seek(off int64, whence int) (int64, error) {
	if f.fd < 0 {
		return 0, unix.EBADF
	}
	return unix.Seek(f.fd, off, whence)
}

func (f *hostFile) Truncate(size int64) error {
	if size < 0 {
		return unix.EINVAL
	}
	return unix.Ftruncate(f.fd, size)
}

// Allocate uses fallocate; where the file system lacks it, growing the
// file with ftruncate gives the same visible size.
func (f *hostFile) Allocate(off, n int64) error {
	if off < 0 || n <= 0 {
		return unix.EINVAL
	}
	err := unix.Fallocate(f.fd, 0, off, n)
	if err != unix.EOPNOTSUPP {
		return err
	}
	var st unix.Stat_t
	if err := unix.Fstat(f.fd, &st); err != nil {
		return err
	}
	if st.Size < off+n {
		return unix.Ftruncate(f.fd, off+n)
	}
	return nil
}

// fadvise maps WASI advice to POSIX_FADV_* (which order them differently).
var fadvise = [...]int{
	AdviceNormal:     unix.FADV_NORMAL,
	AdviceSequential: unix.FADV_SEQUENTIAL,
	AdviceRandom:     unix.FADV_RANDOM,
	AdviceWillNeed:   unix.FADV_WILLNEED,
	AdviceDontNeed:   unix.FADV_DONTNEED,
	AdviceNoReuse:    unix.FADV_NOREUSE,
}

func (f *hostFile) Advise(off, n int64, a Advice) error {
	if int(a) >= len(fadvise) || off < 0 || n < 0 {
		return unix.EINVAL
	}
	err := unix.Fadvise(f.fd, off, n, fadvise[a])
	if err == unix.ESPIPE {
		return unix.ESPIPE
	}
	return err
}
