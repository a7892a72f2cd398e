//go:build linux

package kernel

import (
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/kilnrt/kiln/internal/testsuite"
	"github.com/kilnrt/kiln/vfs"
)

func TestEMFILEAndNoLeaks(t *testing.T) {
	baseline := testsuite.OpenFDs(t)
	host, err := vfs.NewHostFS(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var mt vfs.MountTable
	mt.Add("/", host, false)
	r, w, _ := os.Pipe()
	defer r.Close()
	defer w.Close()
	baseline += 2
	const max = 16
	p, err := New(context.Background(), Config{Mounts: &mt, MaxFDs: max, Stdin: r, Stdout: w})
	if err != nil {
		t.Fatal(err)
	}
	if p.FDs().Len() != 4 {
		t.Fatalf("initial descriptors = %d, want 4", p.FDs().Len())
	}
	opened := 0
	for i := 0; ; i++ {
		_, e := p.PathOpen(context.Background(), 3, 0, "f"+strconv.Itoa(i), vfs.OCreate, RightFDRead|RightFDWrite, 0, 0)
		if e == EMFILE {
			break
		}
		if e != ESUCCESS {
			t.Fatalf("open %d: %v", i, e)
		}
		opened++
		if opened > max {
			t.Fatal("no EMFILE past the limit")
		}
	}
	if opened != max-4 || p.FDs().Len() != max {
		t.Fatalf("opened %d (table %d), want %d (table %d)", opened, p.FDs().Len(), max-4, max)
	}
	// A failed open must not leak the host descriptor it created; every
	// descriptor but stderr (an in-memory stream) holds one host one.
	if got := testsuite.OpenFDs(t); got != baseline+max-1 {
		t.Fatalf("host descriptors = %d, want %d", got, baseline+max-1)
	}
	wantE(t, "socket when full", func() Errno { _, e := p.SockOpen(context.Background(), "tcp", false); return e }(), EMFILE)
	wantE(t, "close one", p.FDClose(10), ESUCCESS)
	if fd, e := p.PathOpen(context.Background(), 3, 0, "again", vfs.OCreate, RightFDRead, 0, 0); e != ESUCCESS || fd != 10 {
		t.Fatalf("reopen = %d, %v; want lowest free 10", fd, e)
	}
	p.Exit(3)
	if code, ok := p.ExitCode(); !ok || code != 3 {
		t.Fatalf("exit code = %d, %v", code, ok)
	}
	if got := testsuite.OpenFDs(t); got != baseline {
		t.Fatalf("after exit: %d host descriptors, want baseline %d", got, baseline)
	}
	_, e := p.FDFdstatGet(0)
	wantE(t, "descriptor after exit", e, EBADF)
	// A thread still running after exit cannot open anything new.
	_, e = p.PathOpen(context.Background(), 3, 0, "late", vfs.OCreate, RightFDRead, 0, 0)
	wantE(t, "open after exit", e, EBADF)
	_, _, e = p.Pipe(context.Background())
	wantE(t, "pipe after exit", e, EBADF)
	if got := testsuite.OpenFDs(t); got != baseline {
		t.Fatalf("after late opens: %d host descriptors, want baseline %d", got, baseline)
	}
	p.Close() // idempotent
}

func TestFDTable(t *testing.T) {
	tb := NewFDTable(0)
	if tb.max != DefaultMaxFDs {
		t.Fatalf("default max = %d", tb.max)
	}
	_, e := tb.Get(1 << 31)
	wantE(t, "get huge fd", e, EBADF)
	_, e = tb.Remove(0)
	wantE(t, "remove from empty table", e, EBADF)
	wantE(t, "renumber in empty table", tb.Renumber(0, 0), EBADF)
	wantE(t, "set rights in empty table", tb.SetRights(0, 0, 0), EBADF)
}

func TestDupSharesUntilLastClose(t *testing.T) {
	p, _ := newProc(t, Config{})
	baseline := testsuite.OpenFDs(t)
	fd, e := p.PathOpen(context.Background(), dataFD, 0, "f", vfs.OCreate, RightFDWrite|RightFDRead|RightFDSeek|RightFDTell, 0, 0)
	wantE(t, "create", e, ESUCCESS)
	dup, e := p.FDDup(context.Background(), fd)
	wantE(t, "dup", e, ESUCCESS)
	p.FDWrite(bg, fd, [][]byte{[]byte("ab")})
	if pos, _ := p.FDTell(dup); pos != 2 {
		t.Fatalf("dup does not share the cursor: %d", pos)
	}
	wantE(t, "close original", p.FDClose(fd), ESUCCESS)
	if _, e := p.FDWrite(bg, dup, [][]byte{[]byte("c")}); e != ESUCCESS {
		t.Fatalf("write through dup after closing the original: %v", e)
	}
	if got := testsuite.OpenFDs(t); got != baseline+1 {
		t.Fatalf("host descriptors = %d, want %d", got, baseline+1)
	}
	dup2, _ := p.FDDup(context.Background(), dup)
	wantE(t, "renumber over a dup", p.FDRenumber(dup2, dup), ESUCCESS)
	wantE(t, "close last", p.FDClose(dup), ESUCCESS)
	if got := testsuite.OpenFDs(t); got != baseline {
		t.Fatalf("host descriptors = %d, want baseline %d", got, baseline)
	}
	_, e = p.FDDup(context.Background(), 99)
	wantE(t, "dup of a closed fd", e, EBADF)
}
