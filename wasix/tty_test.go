//go:build linux

package wasix_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal (/dev/ptmx and its /dev/pts peer,
// without cgo) and returns its terminal end, sized 80x24 characters and
// 640x480 pixels.
func openPTY(t *testing.T) *os.File {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals on this host: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatal(err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatal(err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|unix.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	ws := &unix.Winsize{Col: 80, Row: 24, Xpixel: 640, Ypixel: 480}
	if err := unix.IoctlSetWinsize(int(s.Fd()), unix.TIOCSWINSZ, ws); err != nil {
		t.Fatal(err)
	}
	return s
}

// ttyState decodes the tty struct tty_get wrote at 0x100.
func ttyState(g *guestModule) (dims [4]uint32, flags [6]byte, pad [2]byte) {
	b := g.bytes(0x100, 24)
	for i := range dims {
		dims[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	copy(flags[:], b[16:22])
	copy(pad[:], b[22:24])
	return
}

func termiosOf(t *testing.T, f *os.File) *unix.Termios {
	t.Helper()
	tio, err := unix.IoctlGetTermios(int(f.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	return tio
}

func TestTTYTerminal(t *testing.T) {
	pty := openPTY(t)
	start := termiosOf(t, pty)
	var out bytes.Buffer
	g := loadWAT(t, "tty", wasi.Config{Stdin: pty, Stdout: &out, Stderr: pty})
	g.errno(0, "get")
	dims, flags, pad := ttyState(g)
	// A new pseudo-terminal echoes, is line-buffered and maps output
	// line feeds to CR LF.
	if dims != [4]uint32{80, 24, 640, 480} || flags != [6]byte{1, 0, 1, 1, 1, 1} || pad != [2]byte{} {
		t.Errorf("tty_get: size %v, flags %v, padding %v; want [80 24 640 480] [1 0 1 1 1 1] [0 0]", dims, flags, pad)
	}

	g.errno(0, "set", 0, 0, 0)
	tio := termiosOf(t, pty)
	if tio.Lflag&(unix.ECHO|unix.ICANON) != 0 || tio.Oflag&unix.ONLCR != 0 {
		t.Errorf("after tty_set(no echo, raw, no line feeds) the terminal has lflag %#x oflag %#x", tio.Lflag, tio.Oflag)
	}
	g.errno(0, "get")
	if _, flags, _ := ttyState(g); flags != [6]byte{1, 0, 1, 0, 0, 0} {
		t.Errorf("tty_get after tty_set: flags %v, want [1 0 1 0 0 0]", flags)
	}
	g.errno(0, "set", 1, 0, 7) // any non-zero byte is true
	if tio := termiosOf(t, pty); tio.Lflag&unix.ECHO == 0 || tio.Lflag&unix.ICANON != 0 || tio.Oflag&unix.ONLCR == 0 {
		t.Errorf("after tty_set(echo, raw, line feeds): lflag %#x oflag %#x", tio.Lflag, tio.Oflag)
	}
	g.errno(kernel.EFAULT, "get_bad")
	g.errno(kernel.EFAULT, "set_bad")

	// The end of the process gives the terminal its modes back, even
	// when the guest closed its standard streams.
	g.errno(0, "set", 0, 0, 0)
	for fd := uint32(0); fd < 3; fd++ {
		g.sys.Process().FDClose(fd)
	}
	if err := g.sys.Close(); err != nil {
		t.Fatal(err)
	}
	if end := termiosOf(t, pty); end.Lflag != start.Lflag || end.Oflag != start.Oflag {
		t.Errorf("after the process: lflag %#x oflag %#x, want %#x %#x as before", end.Lflag, end.Oflag, start.Lflag, start.Oflag)
	}
}

// TestTTYNone checks the documented error without a terminal.
func TestTTYNone(t *testing.T) {
	g := loadWAT(t, "tty", wasi.Config{})
	g.errno(kernel.ENOTSUP, "get")
	if b := g.bytes(0x100, 24); !bytes.Equal(b, bytes.Repeat([]byte{0xee}, 24)) {
		t.Errorf("tty_get without a terminal wrote %x", b)
	}
	g.errno(kernel.ENOTSUP, "set", 1, 1, 1)
	g.errno(kernel.EFAULT, "get_bad")
}
