package vfs

import (
	"errors"
	"io"
	"sync"
	"sync/atomic"

	"golang.org/x/sys/unix"
)

// Stream is a File over an embedder's io.Reader and/or io.Writer, used for
// standard input and output that are not host descriptors. It reports a
// character device, cannot seek, and never closes the reader or writer.
type Stream struct {
	r      io.Reader
	w      io.Writer
	flags  flagWord
	closed atomic.Bool // Close may run while another thread reads or writes
	// wmu serialises writes: guest threads share the stream, and the
	// embedder's writer (a bytes.Buffer, say) need not be safe for
	// concurrent use.
	wmu sync.Mutex
}

// NewStream returns a stream reading from r and writing to w; either may
// be nil (reads or writes then fail with EBADF).
func NewStream(r io.Reader, w io.Writer) *Stream { return &Stream{r: r, w: w} }

func (s *Stream) Stat() (Stat, error) {
	if s.closed.Load() {
		return Stat{}, unix.EBADF
	}
	return Stat{Type: TypeCharDevice, Nlink: 1}, nil
}

func (s *Stream) SetTimes(Times) error      { return unix.ENOTSUP }
func (s *Stream) Sync() error               { return s.check(true) }
func (s *Stream) Datasync() error           { return s.check(true) }
func (s *Stream) Flags() FDFlags            { return s.flags.get() }
func (s *Stream) SetFlags(fl FDFlags) error { s.flags.set(fl); return s.check(true) }

func (s *Stream) check(ok bool) error {
	if s.closed.Load() || !ok {
		return unix.EBADF
	}
	return nil
}

func (s *Stream) Close() error {
	if !s.closed.CompareAndSwap(false, true) {
		return unix.EBADF
	}
	return nil
}

// Read returns (0, nil) at end of input, as read(2) does.
func (s *Stream) Read(p []byte) (int, error) {
	if err := s.check(s.r != nil); err != nil {
		return 0, err
	}
	if len(p) == 0 {
		return 0, nil
	}
	n, err := s.r.Read(p)
	if err != nil && !errors.Is(err, io.EOF) && n == 0 {
		return 0, ioError(err)
	}
	return n, nil
}

func (s *Stream) Write(p []byte) (int, error) {
	if err := s.check(s.w != nil); err != nil {
		return 0, err
	}
	s.wmu.Lock()
	n, err := s.w.Write(p)
	s.wmu.Unlock()
	if err != nil {
		return n, ioError(err)
	}
	return n, nil
}

// Readv fills only the first non-empty buffer: one read, like readv(2) on
// a terminal that has less data than asked.
func (s *Stream) Readv(bufs [][]byte) (int, error) {
	for _, b := range bufs {
		if len(b) > 0 {
			return s.Read(b)
		}
	}
	return s.Read(nil)
}

func (s *Stream) Writev(bufs [][]byte) (int, error) {
	total := 0
	for _, b := range bufs {
		n, err := s.Write(b)
		total += n
		if err != nil {
			return total, err
		}
	}
	if len(bufs) == 0 {
		return 0, s.check(s.w != nil)
	}
	return total, nil
}

func (s *Stream) Preadv([][]byte, int64) (int, error)  { return 0, unix.ESPIPE }
func (s *Stream) Pwritev([][]byte, int64) (int, error) { return 0, unix.ESPIPE }
func (s *Stream) Seek(int64, int) (int64, error)       { return 0, unix.ESPIPE }
func (s *Stream) Truncate(int64) error                 { return unix.EINVAL }
func (s *Stream) Allocate(int64, int64) error          { return unix.ESPIPE }
func (s *Stream) Advise(int64, int64, Advice) error    { return unix.ESPIPE }

// ioError keeps a unix.Errno from the reader or writer and maps anything
// else to EIO (EPIPE for io.ErrClosedPipe).
func ioError(err error) error {
	var e unix.Errno
	if errors.As(err, &e) {
		return e
	}
	if errors.Is(err, io.ErrClosedPipe) {
		return unix.EPIPE
	}
	return unix.EIO
}
