package wasix

import (
	"context"
	"encoding/binary"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// tty: {u32 cols, rows, width, height; bool stdin_tty, stdout_tty,
// stderr_tty, echo, line_buffered, line_feeds} with two bytes of
// padding, 24 bytes in both namespaces.
const (
	ttySize  = 24
	ttyFlags = 16 // offset of stdin_tty, the first bool
)

// ttyGet is tty_get(state *tty): the terminal behind the standard
// streams, ENOTSUP when none of them is one.
func ttyGet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	b, e := m.Bytes(a[0], ttySize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	tty, e := t.Process().TTYGet()
	if e != kernel.ESUCCESS {
		return e, nil
	}
	clear(b)
	for i, v := range []uint32{tty.Cols, tty.Rows, tty.Width, tty.Height} {
		binary.LittleEndian.PutUint32(b[4*i:], v)
	}
	for i, v := range []bool{tty.StdinTTY, tty.StdoutTTY, tty.StderrTTY, tty.Echo, tty.LineBuffered, tty.LineFeeds} {
		if v {
			b[ttyFlags+i] = 1
		}
	}
	return kernel.ESUCCESS, nil
}

// ttySet is tty_set(state *tty): only echo, line_buffered and line_feeds
// are changed (a non-zero byte is true); the size and the *_tty flags
// describe the terminal and are not read.
func ttySet(ctx context.Context, t *wasi.Thread, m wasi.Mem, a []uint64) (kernel.Errno, error) {
	b, e := m.Bytes(a[0], ttySize)
	if e != kernel.ESUCCESS {
		return e, nil
	}
	return t.Process().TTYSet(kernel.TTY{
		Echo:         b[ttyFlags+3] != 0,
		LineBuffered: b[ttyFlags+4] != 0,
		LineFeeds:    b[ttyFlags+5] != 0,
	}), nil
}
