// Package boundedread reads input files with a size limit, so that a tool
// given /dev/zero, a FIFO or a huge file stops with a clear error instead
// of reading (and allocating) without end.
package boundedread

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"os"
)

// ErrTooLarge is matched (errors.Is) by the error for an input over its
// limit.
var ErrTooLarge = errors.New("input too large")

// ReadFile reads the file name, failing with an error matching ErrTooLarge
// once more than limit bytes have been read. what names the input in that
// error ("module", "key file").
func ReadFile(name string, limit int64, what string) ([]byte, error) {
	return ReadFileChecked(name, limit, what, nil)
}

// ReadFileChecked is ReadFile that first passes the input's first block
// (up to 4 KiB, less for a shorter input) to check, which can refuse an
// input that is not of the expected kind before the rest is read.
func ReadFileChecked(name string, limit int64, what string, check func(head []byte) error) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hint int64
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() {
		hint = st.Size()
	}
	var r io.Reader = f
	if check != nil {
		br := bufio.NewReaderSize(f, headSize)
		head, _ := br.Peek(headSize)
		if err := check(head); err != nil {
			return nil, err
		}
		r = br
	}
	return ReadAll(r, limit, hint, name, what)
}

// headSize is the first block ReadFileChecked shows its check.
const headSize = 4096

// ReadAll reads r to its end as ReadFile does; sizeHint (0 when unknown)
// sizes the buffer, and name is used in the error.
func ReadAll(r io.Reader, limit, sizeHint int64, name, what string) ([]byte, error) {
	tooLarge := func() error {
		return fmt.Errorf("%s: %s larger than %d bytes: %w", name, what, limit, ErrTooLarge)
	}
	if sizeHint > limit {
		return nil, tooLarge()
	}
	buf := make([]byte, 0, min(max(sizeHint+1, 512), limit+1))
	for {
		if len(buf) == cap(buf) {
			// Grow by doubling, but never past limit+1 (one byte more
			// than allowed tells the limit was crossed).
			nb := make([]byte, len(buf), min(2*int64(cap(buf)), limit+1))
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if int64(len(buf)) > limit {
			return nil, tooLarge()
		}
		switch {
		case err == io.EOF:
			return buf, nil
		case err != nil:
			return nil, err
		}
	}
}
