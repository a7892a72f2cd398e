//go:build !linux

package kernel

import "golang.org/x/sys/unix"

// Terminals are served on Linux only: elsewhere no standard stream counts
// as one, and tty_get and tty_set are ENOTSUP.
func isTerminal(fd int) error { return unix.ENOTSUP }

func getTTY(fd int, t *TTY) error { return unix.ENOTSUP }

func saveTTY(fd int) (func(), error) { return nil, unix.ENOTSUP }

func setTTY(fd int, t TTY) error { return unix.ENOTSUP }
