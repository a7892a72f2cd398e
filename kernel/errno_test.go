package kernel

import (
	"context"
	"errors"
	"fmt"
	"os"
	"testing"

	"golang.org/x/sys/unix"
)

func TestErrnoNumbering(t *testing.T) {
	// Spot checks against the witx errno enum.
	for _, c := range []struct {
		e    Errno
		n    uint16
		name string
	}{
		{ESUCCESS, 0, "success"}, {E2BIG, 1, "2big"}, {EACCES, 2, "acces"},
		{EAGAIN, 6, "again"}, {EBADF, 8, "badf"}, {EEXIST, 20, "exist"},
		{EINVAL, 28, "inval"}, {EISDIR, 31, "isdir"}, {ELOOP, 32, "loop"},
		{EMFILE, 33, "mfile"}, {ENOENT, 44, "noent"}, {ENOSYS, 52, "nosys"},
		{ENOTDIR, 54, "notdir"}, {ENOTEMPTY, 55, "notempty"},
		{ENOTSUP, 58, "notsup"}, {EPERM, 63, "perm"}, {EPIPE, 64, "pipe"},
		{EROFS, 69, "rofs"}, {ESPIPE, 70, "spipe"}, {EXDEV, 75, "xdev"},
		{ENOTCAPABLE, 76, "notcapable"},
	} {
		if uint16(c.e) != c.n || c.e.String() != c.name {
			t.Errorf("%s = %d (%q), want %d", c.name, c.e, c.e.String(), c.n)
		}
	}
	for e := Errno(0); e < errnoCount; e++ {
		if errnoNames[e] == "" {
			t.Errorf("errno %d has no name", e)
		}
	}
	if got := Errno(200).String(); got != "errno(200)" {
		t.Errorf("unknown errno string = %q", got)
	}
}

func TestErrnoOf(t *testing.T) {
	for _, c := range []struct {
		err  error
		want Errno
	}{
		{nil, ESUCCESS},
		{unix.ENOENT, ENOENT},
		{fmt.Errorf("open x: %w", unix.EACCES), EACCES},
		{&os.PathError{Op: "open", Path: "x", Err: unix.ENOTDIR}, ENOTDIR},
		{unix.EOPNOTSUPP, ENOTSUP},
		{unix.EWOULDBLOCK, EAGAIN},
		{unix.EROFS, EROFS},
		{unix.EXDEV, EXDEV},
		{unix.EHOSTDOWN, EHOSTUNREACH},
		{unix.Errno(4095), EIO},
		{ENOTCAPABLE, ENOTCAPABLE},
		{fmt.Errorf("wrapped: %w", EMFILE), EMFILE},
		{context.Canceled, ECANCELED},
		{context.DeadlineExceeded, ETIMEDOUT},
		{errors.New("something else"), EIO},
	} {
		if got := ErrnoOf(c.err); got != c.want {
			t.Errorf("ErrnoOf(%v) = %v, want %v", c.err, got, c.want)
		}
	}
	// Every mapped host errno lands on a defined WASI errno.
	for u, w := range fromUnix {
		if w >= errnoCount {
			t.Errorf("%v maps to undefined errno %d", u, w)
		}
	}
}
