package vfs

import (
	"io"

	"golang.org/x/sys/unix"
)

// maxMemFileSize bounds a MemFS file so a guest cannot ask for absurd
// allocations with one seek-and-write (EFBIG beyond it).
const maxMemFileSize = 1 << 32

// memFile is an open MemFS regular file with its own cursor.
type memFile struct {
	fs     *MemFS
	node   *memNode
	off    int64
	flags  flagWord
	acc    Access
	closed bool
}

func (f *memFile) check(need Access) error {
	if f.closed || f.acc&need != need {
		return unix.EBADF
	}
	return nil
}

func (f *memFile) Stat() (Stat, error) {
	f.fs.mu.RLock()
	defer f.fs.mu.RUnlock()
	if err := f.check(0); err != nil {
		return Stat{}, err
	}
	return f.node.stat(f.fs.dev), nil
}

func (f *memFile) SetTimes(t Times) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check(0); err != nil {
		return err
	}
	f.fs.setTimes(f.node, t)
	return nil
}

func (f *memFile) Sync() error     { return f.locked(func() error { return f.check(0) }) }
func (f *memFile) Datasync() error { return f.Sync() }
func (f *memFile) Flags() FDFlags  { return f.flags.get() }

func (f *memFile) SetFlags(fl FDFlags) error {
	return f.locked(func() error { f.flags.set(fl); return f.check(0) })
}

func (f *memFile) Close() error {
	return f.locked(func() error {
		if f.closed {
			return unix.EBADF
		}
		f.closed = true
		return nil
	})
}

// locked runs fn under the file system lock.
func (f *memFile) locked(fn func() error) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return fn()
}

func (f *memFile) Read(p []byte) (int, error) { return f.Readv([][]byte{p}) }

func (f *memFile) Write(p []byte) (int, error) { return f.Writev([][]byte{p}) }

func (f *memFile) Readv(bufs [][]byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	n, err := f.preadv(bufs, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) Writev(bufs [][]byte) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if f.flags.get()&FDAppend != 0 {
		f.off = int64(len(f.node.data))
	}
	n, err := f.pwritev(bufs, f.off)
	f.off += int64(n)
	return n, err
}

func (f *memFile) Preadv(bufs [][]byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return f.preadv(bufs, off)
}

func (f *memFile) Pwritev(bufs [][]byte, off int64) (int, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	return f.pwritev(bufs, off)
}

func (f *memFile) preadv(bufs [][]byte, off int64) (int, error) {
	if err := f.check(AccessRead); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	total := 0
	for _, b := range bufs {
		if off >= int64(len(f.node.data)) {
			break
		}
		n := copy(b, f.node.data[off:])
		off += int64(n)
		total += n
	}
	f.node.atim = f.fs.now().UnixNano()
	return total, nil
}

func (f *memFile) pwritev(bufs [][]byte, off int64) (int, error) {
	if err := f.check(AccessWrite); err != nil {
		return 0, err
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	size := 0
	for _, b := range bufs {
		size += len(b)
	}
	end := off + int64(size)
	if end > maxMemFileSize {
		return 0, unix.EFBIG
	}
	f.grow(end)
	for _, b := range bufs {
		off += int64(copy(f.node.data[off:], b))
	}
	if size > 0 {
		f.fs.touch(f.node)
	}
	return size, nil
}

// grow extends the file with zeros up to size (never shrinks).
func (f *memFile) grow(size int64) {
	if size <= int64(len(f.node.data)) {
		return
	}
	if size <= int64(cap(f.node.data)) {
		f.node.data = f.node.data[:size]
		return
	}
	data := make([]byte, size, size+size/4)
	copy(data, f.node.data)
	f.node.data = data
}

func (f *memFile) Seek(off int64, whence int) (int64, error) {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check(0); err != nil {
		return 0, err
	}
	off, err := seekOffset(off, whence, f.off, int64(len(f.node.data)))
	if err == nil {
		f.off = off
	}
	return off, err
}

// seekOffset is the cursor a seek moves to from cur in a file of size
// bytes (EINVAL for an unknown whence or a negative result).
func seekOffset(off int64, whence int, cur, size int64) (int64, error) {
	switch whence {
	case io.SeekCurrent:
		off += cur
	case io.SeekEnd:
		off += size
	case io.SeekStart:
	default:
		return 0, unix.EINVAL
	}
	if off < 0 {
		return 0, unix.EINVAL
	}
	return off, nil
}

func (f *memFile) Truncate(size int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check(AccessWrite); err != nil {
		return err
	}
	if size < 0 {
		return unix.EINVAL
	}
	if size > maxMemFileSize {
		return unix.EFBIG
	}
	if size < int64(len(f.node.data)) {
		clear(f.node.data[size:])
		f.node.data = f.node.data[:size]
	} else {
		f.grow(size)
	}
	f.fs.touch(f.node)
	return nil
}

func (f *memFile) Allocate(off, n int64) error {
	f.fs.mu.Lock()
	defer f.fs.mu.Unlock()
	if err := f.check(AccessWrite); err != nil {
		return err
	}
	if off < 0 || n <= 0 {
		return unix.EINVAL
	}
	if off+n > maxMemFileSize {
		return unix.EFBIG
	}
	f.grow(off + n)
	return nil
}

func (f *memFile) Advise(off, n int64, a Advice) error {
	if a > AdviceNoReuse || off < 0 || n < 0 {
		return unix.EINVAL
	}
	return f.Sync()
}
