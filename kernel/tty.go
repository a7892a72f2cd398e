package kernel

import (
	"sync"

	"github.com/kilnrt/kiln/vfs"
)

// TTY is the state of the terminal behind the process's standard
// streams (WASIX tty_get and tty_set): its size in characters and pixels,
// which of descriptors 0, 1 and 2 are terminals, and three modes: Echo
// (termios ECHO), LineBuffered (ICANON, input handed over a line at a
// time) and LineFeeds (ONLCR, output line feeds sent as CR LF).
type TTY struct {
	Cols, Rows, Width, Height      uint32
	StdinTTY, StdoutTTY, StderrTTY bool
	Echo, LineBuffered, LineFeeds  bool
}

// ttyRestore puts the modes of the terminal back as they were before the
// guest's first TTYSet, when the process ends: a guest that turns echo
// off and exits must not leave the user's terminal so. It holds its own
// host descriptor of the terminal, so that it works even when the guest
// closed its standard streams.
type ttyRestore struct {
	mu      sync.Mutex
	restore func() // nil until the first TTYSet
}

// run restores the terminal once.
func (r *ttyRestore) run() {
	r.mu.Lock()
	f := r.restore
	r.restore = nil
	r.mu.Unlock()
	if f != nil {
		f()
	}
}

// terminal returns the host descriptor of the first of descriptors 0, 1
// and 2 that is a terminal, and which of the three are.
func (p *Process) terminal() (vfs.HostDescriptor, [3]bool) {
	var first vfs.HostDescriptor
	var is [3]bool
	for fd := FD(0); fd <= maxStdio; fd++ {
		d, e := p.fds.Get(fd)
		if e != ESUCCESS {
			continue
		}
		h, ok := d.Node.(vfs.HostDescriptor)
		if !ok || h.UseFD(func(fd int) error { return isTerminal(fd) }) != nil {
			continue
		}
		is[fd] = true
		if first == nil {
			first = h
		}
	}
	return first, is
}

// TTYGet reports the terminal's state. Without a terminal among the
// standard streams it is ENOTSUP: the guest has no terminal.
func (p *Process) TTYGet() (TTY, Errno) {
	h, is := p.terminal()
	if h == nil {
		return TTY{}, ENOTSUP
	}
	var t TTY
	err := h.UseFD(func(fd int) error { return getTTY(fd, &t) })
	if err != nil {
		return TTY{}, ErrnoOf(err)
	}
	t.StdinTTY, t.StdoutTTY, t.StderrTTY = is[0], is[1], is[2]
	return t, ESUCCESS
}

// TTYSet changes the terminal's modes (Echo, LineBuffered, LineFeeds);
// the size and the terminal flags are facts it leaves alone. The modes
// the terminal had before are restored when the process ends. Without a
// terminal it is ENOTSUP.
func (p *Process) TTYSet(t TTY) Errno {
	h, _ := p.terminal()
	if h == nil {
		return ENOTSUP
	}
	return ErrnoOf(h.UseFD(func(fd int) error {
		p.tty.mu.Lock()
		defer p.tty.mu.Unlock()
		if p.tty.restore == nil {
			restore, err := saveTTY(fd)
			if err != nil {
				return err
			}
			p.tty.restore = restore
		}
		return setTTY(fd, t)
	}))
}
