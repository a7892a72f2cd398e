//go:build linux

package wasix_test

import (
	"testing"
	"time"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// want checks one call's results.
func (g *guestModule) want(name string, args []uint64, want ...uint64) []uint64 {
	g.t.Helper()
	got := g.call(name, args...)
	for i := range want {
		if got[i] != want[i] {
			g.t.Errorf("%s%v = %v, want %v", name, args, got, want)
			break
		}
	}
	return got
}

func a(v ...uint64) []uint64 { return v }

const untouched = 0xdead

func TestPipeDupABI(t *testing.T) {
	g := loadWAT(t, "fds", wasi.Config{})
	g.want("pipe", nil, 0, 3, 4)
	// The pipe carries data from the write end to the read end, which
	// cannot write (kiln's pipes are one-way, as POSIX's).
	g.want("write8", a(4, 0x0807060504030201), 0, 8)
	g.want("read", a(3, 8), 0, 8, 0x0807060504030201)
	g.want("write8", a(3, 1), uint64(kernel.ENOTCAPABLE))

	// A result location out of memory is EFAULT and makes no descriptor:
	// the next pipe gets 5 and 6.
	g.want("pipe_bad", a(1), uint64(kernel.EFAULT), untouched)
	g.want("pipe_bad", a(0), uint64(kernel.EFAULT), untouched)
	g.want("dup", a(4), 0, 5)
	g.want("close", a(5), 0)

	// fd_dup: the lowest free number, sharing the object.
	g.want("close", a(0), 0)
	g.want("dup", a(4), 0, 0)
	g.want("write8", a(0, 42), 0, 8)
	g.want("read", a(3, 8), 0, 8, 42)
	g.want("dup", a(99), uint64(kernel.EBADF), untouched)
	g.errno(kernel.EFAULT, "dup_bad", 4)
	g.errno(kernel.EFAULT, "dup_bad", 99) // the result location is checked first

	// fd_dup2 is F_DUPFD: the lowest free number at or above min.
	g.want("dup2", a(4, 10, 0), 0, 10)
	g.want("dup2", a(4, 10, 1), 0, 11)
	g.want("dup2", a(4, 2, 0), 0, 5) // 2 is taken, so is 3 and 4
	g.want("dup2", a(99, 0, 0), uint64(kernel.EBADF), untouched)
	g.want("dup2", a(4, kernel.DefaultMaxFDs, 0), uint64(kernel.EINVAL), untouched)
	g.want("dup2", a(4, 0xffffffff, 0), uint64(kernel.EINVAL), untouched)
	g.errno(kernel.EFAULT, "dup2_bad", 4)

	// Close-on-exec belongs to the number: set by dup2(cloexec), clear
	// on fd_dup's and dup2's copies, and settable per descriptor.
	g.want("fdflags_get", a(11), 0, 1, untouched)
	g.want("fdflags_get", a(10), 0, 0, untouched)
	g.want("fdflags_get", a(4), 0, 0, untouched)
	g.want("dup", a(11), 0, 6)
	g.want("fdflags_get", a(6), 0, 0)
	g.errno(kernel.ESUCCESS, "fdflags_set", 4, 1)
	g.want("fdflags_get", a(4), 0, 1)
	g.want("fdflags_get", a(10), 0, 0) // a duplicate of 4 keeps its own flag
	g.errno(kernel.ESUCCESS, "fdflags_set", 4, 0)
	g.want("fdflags_get", a(4), 0, 0)
	g.errno(kernel.EINVAL, "fdflags_set", 4, 2)
	g.errno(kernel.EBADF, "fdflags_set", 99, 1)
	g.want("fdflags_get", a(99), uint64(kernel.EBADF), 0xbeef)
	g.errno(kernel.EFAULT, "fdflags_get_bad", 4)
	g.errno(kernel.EBADF, "fdflags_get_bad", 99)
	// The write end stays open until its last number is closed.
	for _, fd := range []uint64{4, 0, 5, 6, 10} {
		g.want("close", a(fd), 0)
	}
	g.want("write8", a(11, 7), 0, 8)
	g.want("read", a(3, 8), 0, 8, 7)
	g.want("close", a(11), 0)
	g.want("read", a(3, 8), 0, 0) // end of file: no writer is left
}

func TestEventABI(t *testing.T) {
	g := loadWAT(t, "fds", wasi.Config{})
	// A counter: a read takes the whole value and resets it; writes add.
	fd := g.want("event", a(5, 0), 0, 3)[1]
	g.want("read", a(fd, 8), 0, 8, 5)
	g.want("write8", a(fd, 2), 0, 8)
	g.want("write8", a(fd, 3), 0, 8)
	g.want("read", a(fd, 8), 0, 8, 5)
	g.want("write8", a(fd, 1), 0, 8)
	g.want("read", a(fd, 4), uint64(kernel.EINVAL))            // fewer than 8 bytes
	g.want("write8", a(fd, ^uint64(0)), uint64(kernel.EINVAL)) // 2^64-1 is not a value

	// Semaphore mode: each read takes 1. A start above 32 bits works.
	sem := g.want("event", a(1<<33, 1), 0, 4)[1]
	g.want("read", a(sem, 8), 0, 8, 1)
	g.want("read", a(sem, 8), 0, 8, 1)

	g.want("event", a(^uint64(0), 0), uint64(kernel.EINVAL), untouched)
	g.want("event", a(0, 2), uint64(kernel.EINVAL), untouched)
	g.errno(kernel.EFAULT, "event_bad")
	g.want("event", a(0, 0), 0, 5) // the refusals made no descriptor
}

// TestEventBlocks checks that a read of an empty counter waits for a
// write from another thread of the host, cancellably.
func TestEventBlocks(t *testing.T) {
	g := loadWAT(t, "fds", wasi.Config{})
	fd := g.want("event", a(0, 0), 0, 3)[1]
	done := make(chan []uint64, 1)
	go func() {
		r, _ := g.callErr("read", fd, 8)
		done <- r
	}()
	select {
	case r := <-done:
		t.Fatalf("read of an empty eventfd returned %v", r)
	case <-time.After(50 * time.Millisecond):
	}
	if err := writeEvent(g, fd, 9); err != nil {
		t.Fatal(err)
	}
	select {
	case r := <-done:
		if r == nil || r[0] != 0 || r[2] != 9 {
			t.Errorf("blocked read: %v, want [0 8 9]", r)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the write did not wake the blocked read")
	}
}

// writeEvent adds v to the counter fd through the process's kernel, as
// a second guest thread would.
func writeEvent(g *guestModule, fd, v uint64) error {
	var b [8]byte
	for i := range b {
		b[i] = byte(v >> (8 * i))
	}
	_, e := g.sys.Process().FDWrite(g.ctx, uint32(fd), [][]byte{b[:]})
	if e != kernel.ESUCCESS {
		return e
	}
	return nil
}

func TestDescriptorQuota(t *testing.T) {
	var log auditLog
	g := loadWAT(t, "fds", wasi.Config{MaxFDs: 5, Auditor: &log})
	g.want("pipe", nil, 0, 3, 4)
	g.want("pipe", nil, uint64(kernel.EMFILE), untouched, untouched)
	g.want("event", a(0, 0), uint64(kernel.EMFILE), untouched)
	g.want("dup", a(3), uint64(kernel.EMFILE), untouched)
	g.want("dup2", a(3, 0, 0), uint64(kernel.EMFILE), untouched)
	if !log.saw(kernel.OpQuota) {
		t.Error("the refusals were not audited")
	}
	g.want("close", a(4), 0)
	g.want("pipe", nil, uint64(kernel.EMFILE), untouched, untouched) // one number is free, a pipe needs two
	g.want("event", a(0, 0), 0, 4)
}

// TestDescriptorsDoNotLeak makes every kind of descriptor, closes some
// and leaves the rest to the end of the process: no host descriptor
// remains.
func TestDescriptorsDoNotLeak(t *testing.T) {
	baseline := testsuite.OpenFDs(t)
	g := loadWAT(t, "fds", wasi.Config{})
	for i := 0; i < 20; i++ {
		_, r, w := unpack3(g.call("pipe"))
		ev := g.call("event", 1, uint64(i%2))[1]
		d := g.call("dup", w)[1]
		d2 := g.call("dup2", ev, 50, 1)[1]
		for _, fd := range []uint64{r, w, ev, d, d2} {
			if i%2 == 0 {
				g.want("close", a(fd), 0)
			}
		}
	}
	if err := g.sys.Close(); err != nil {
		t.Fatal(err)
	}
	if n := testsuite.OpenFDs(t); n > baseline {
		t.Errorf("%d host descriptors open after the process closed, %d before", n, baseline)
	}
}

func unpack3(r []uint64) (uint64, uint64, uint64) { return r[0], r[1], r[2] }

// TestRenumberDup2 checks fd_renumber in a WASIX process, under both
// module names: POSIX dup2, which wasix-libc builds dup2 and dup3 on.
func TestRenumberDup2(t *testing.T) {
	g := loadWAT(t, "fds", wasi.Config{})
	g.want("pipe", nil, 0, 3, 4)
	// Onto a number that is not open: the source stays open and both
	// names write to the pipe.
	g.errno(0, "renumber_p1", 4, 10)
	g.want("write8", a(10, 1), 0, 8)
	g.want("write8", a(4, 2), 0, 8)
	g.want("read", a(3, 8), 0, 8, 1)
	g.want("read", a(3, 8), 0, 8, 2)
	// Onto an open number: what it held is closed. The copy's
	// close-on-exec flag is clear.
	g.errno(0, "fdflags_set", 4, 1)
	g.errno(0, "renumber", 4, 0)
	g.want("fdflags_get", a(0), 0, 0)
	g.want("fdflags_get", a(4), 0, 1)
	g.want("write8", a(0, 3), 0, 8)
	g.want("read", a(3, 8), 0, 8, 3)
	g.errno(0, "renumber", 4, 4)
	g.errno(kernel.EBADF, "renumber", 99, 5)
	g.errno(kernel.EBADF, "renumber_p1", 4, kernel.DefaultMaxFDs) // beyond the limit
	// The write end closes with its last number.
	for _, fd := range []uint64{4, 10, 0} {
		g.want("close", a(fd), 0)
	}
	g.want("read", a(3, 8), 0, 0)
}

func TestPathOpen2(t *testing.T) {
	g := loadWAT(t, "fds", wasi.Config{Mounts: []wasi.Mount{{HostDir: t.TempDir(), GuestPath: "/"}}})
	const create = 1
	g.want("open2", a(3, 'a', create, 1, 0x104), 0, 4)
	g.want("fdflags_get", a(4), 0, 1)
	g.want("open2", a(3, 'a', 0, 0, 0x104), 0, 5)
	g.want("fdflags_get", a(5), 0, 0)
	g.want("open2", a(3, 'b', create, 2, 0x104), uint64(kernel.EINVAL), untouched)
	g.want("open2", a(3, 'b', create, 1, 0xfffe), uint64(kernel.EFAULT), untouched)
	g.want("open2", a(3, 'b', 0, 0, 0x104), uint64(kernel.ENOENT), untouched) // the refusals created nothing
	g.want("open2", a(99, 'b', create, 0, 0x104), uint64(kernel.EBADF), untouched)
	g.errno(kernel.ENOTSUP, "port_mac")
}
