package vfs

import (
	"golang.org/x/sys/unix"
)

// hostFile is an open host descriptor that is not a directory: a regular
// file, a device, a pipe or a socket. Reads return (0, nil) at end of
// file, as read(2) does.
type hostFile struct {
	ref   fdRef
	flags flagWord
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
	f := &hostFile{ref: newFDRef(fd)}
	if fl, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0); err == nil {
		var flags FDFlags
		if fl&unix.O_APPEND != 0 {
			flags |= FDAppend
		}
		if fl&unix.O_NONBLOCK != 0 {
			flags |= FDNonblock
		}
		f.flags.set(flags)
	}
	return f
}

func (f *hostFile) HostFD() int                       { return f.ref.peek() }
func (f *hostFile) UseFD(fn func(fd int) error) error { return f.use(fn) }

// use runs fn with the descriptor held.
func (f *hostFile) use(fn func(fd int) error) error {
	fd, err := f.ref.acquire()
	if err != nil {
		return err
	}
	defer f.ref.release()
	return fn(fd)
}

// io runs a transfer with the descriptor held, retrying on EINTR.
func (f *hostFile) io(fn func(fd int) (int, error)) (int, error) {
	fd, err := f.ref.acquire()
	if err != nil {
		return 0, err
	}
	defer f.ref.release()
	for {
		n, err := fn(fd)
		if err != unix.EINTR {
			if n < 0 {
				n = 0
			}
			return n, err
		}
	}
}

func (f *hostFile) Stat() (st Stat, err error) {
	err = f.use(func(fd int) (e error) { st, e = fdStat(fd); return e })
	return st, err
}

func (f *hostFile) SetTimes(t Times) error {
	return f.use(func(fd int) error { return fdSetTimes(fd, t) })
}

func (f *hostFile) Sync() error     { return f.use(func(fd int) error { return fdSync(fd, false) }) }
func (f *hostFile) Datasync() error { return f.use(func(fd int) error { return fdSync(fd, true) }) }
func (f *hostFile) Flags() FDFlags  { return f.flags.get() }
func (f *hostFile) Close() error    { return f.ref.close() }

// SetFlags changes FDAppend and FDNonblock; the synchronous-I/O flags are
// fixed at open on the host, so changing them is ENOTSUP.
func (f *hostFile) SetFlags(fl FDFlags) error {
	const fixed = FDDSync | FDRSync | FDSync
	if fl&fixed != f.flags.get()&fixed {
		return unix.ENOTSUP
	}
	return f.use(func(fd int) error {
		cur, err := unix.FcntlInt(uintptr(fd), unix.F_GETFL, 0)
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
		if _, err := unix.FcntlInt(uintptr(fd), unix.F_SETFL, cur); err != nil {
			return err
		}
		f.flags.set(fl)
		return nil
	})
}

func (f *hostFile) Read(p []byte) (int, error) {
	return f.io(func(fd int) (int, error) { return unix.Read(fd, p) })
}

func (f *hostFile) Write(p []byte) (int, error) {
	return f.io(func(fd int) (int, error) { return unix.Write(fd, p) })
}

func (f *hostFile) Readv(bufs [][]byte) (int, error) {
	return f.io(func(fd int) (int, error) { return unix.Readv(fd, bufs) })
}

func (f *hostFile) Writev(bufs [][]byte) (int, error) {
	return f.io(func(fd int) (int, error) { return unix.Writev(fd, bufs) })
}

func (f *hostFile) Preadv(bufs [][]byte, off int64) (int, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	return f.io(func(fd int) (int, error) { return unix.Preadv(fd, bufs, off) })
}

func (f *hostFile) Pwritev(bufs [][]byte, off int64) (int, error) {
	if off < 0 {
		return 0, unix.EINVAL
	}
	return f.io(func(fd int) (int, error) { return unix.Pwritev(fd, bufs, off) })
}

func (f *hostFile) Seek(off int64, whence int) (pos int64, err error) {
	err = f.use(func(fd int) (e error) { pos, e = unix.Seek(fd, off, whence); return e })
	return pos, err
}

func (f *hostFile) Truncate(size int64) error {
	if size < 0 {
		return unix.EINVAL
	}
	return f.use(func(fd int) error { return unix.Ftruncate(fd, size) })
}

// Allocate uses fallocate; where the file system lacks it, growing the
// file with ftruncate gives the same visible size.
func (f *hostFile) Allocate(off, n int64) error {
	if off < 0 || n <= 0 {
		return unix.EINVAL
	}
	return f.use(func(fd int) error {
		err := unix.Fallocate(fd, 0, off, n)
		if err != unix.EOPNOTSUPP {
			return err
		}
		var st unix.Stat_t
		if err := unix.Fstat(fd, &st); err != nil {
			return err
		}
		if st.Size < off+n {
			return unix.Ftruncate(fd, off+n)
		}
		return nil
	})
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
	return f.use(func(fd int) error { return unix.Fadvise(fd, off, n, fadvise[a]) })
}

// NewPipe creates a host pipe; both ends are owned by the caller.
func NewPipe() (r, w File, err error) {
	var p [2]int
	if err := unix.Pipe2(p[:], unix.O_CLOEXEC); err != nil {
		return nil, nil, err
	}
	return AdoptHostFD(p[0]), AdoptHostFD(p[1]), nil
}
