package kernel

import "golang.org/x/sys/unix"

// isTerminal reports (nil) whether fd is a terminal, as isatty(3).
func isTerminal(fd int) error {
	_, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	return err
}

// getTTY reads the terminal's size and modes into t.
func getTTY(fd int, t *TTY) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	if ws, err := unix.IoctlGetWinsize(fd, unix.TIOCGWINSZ); err == nil {
		t.Cols, t.Rows, t.Width, t.Height = uint32(ws.Col), uint32(ws.Row), uint32(ws.Xpixel), uint32(ws.Ypixel)
	}
	t.Echo = tio.Lflag&unix.ECHO != 0
	t.LineBuffered = tio.Lflag&unix.ICANON != 0
	t.LineFeeds = tio.Oflag&unix.ONLCR != 0
	return nil
}

// saveTTY returns a function that puts the terminal's current modes
// back, through a duplicate of fd that it closes then.
func saveTTY(fd int) (func(), error) {
	old, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return nil, err
	}
	dup, err := unix.FcntlInt(uintptr(fd), unix.F_DUPFD_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	return func() {
		unix.IoctlSetTermios(dup, unix.TCSETS, old)
		unix.Close(dup)
	}, nil
}

// setTTY sets the terminal's modes from t.
func setTTY(fd int, t TTY) error {
	tio, err := unix.IoctlGetTermios(fd, unix.TCGETS)
	if err != nil {
		return err
	}
	tio.Lflag = setBit(tio.Lflag, unix.ECHO, t.Echo)
	tio.Lflag = setBit(tio.Lflag, unix.ICANON, t.LineBuffered)
	tio.Oflag = setBit(tio.Oflag, unix.ONLCR, t.LineFeeds)
	return unix.IoctlSetTermios(fd, unix.TCSETS, tio)
}

func setBit(v, bit uint32, on bool) uint32 {
	if on {
		return v | bit
	}
	return v &^ bit
}
