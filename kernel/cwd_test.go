//go:build linux

package kernel

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln/vfs"
)

func TestCwdAndPreopenFor(t *testing.T) {
	p, _ := newProc(t, Config{})
	if p.Getcwd() != "/" {
		t.Fatalf("initial cwd = %q", p.Getcwd())
	}
	wantE(t, "mkdir", p.PathCreateDirectory(context.Background(), dataFD, "sub"), ESUCCESS)
	for _, c := range []struct {
		path string
		fd   FD
		rest string
		e    Errno
	}{
		{"/data/sub/x", dataFD, "sub/x", ESUCCESS},
		{"/data", dataFD, ".", ESUCCESS},
		{"/etc/hosts", etcFD, "hosts", ESUCCESS},
		{"/elsewhere", 0, "", ENOENT},
		{"", 0, "", ENOENT},
	} {
		fd, rest, e := p.PreopenFor(c.path)
		if fd != c.fd || rest != c.rest || e != c.e {
			t.Errorf("PreopenFor(%q) = %d %q %v; want %d %q %v", c.path, fd, rest, e, c.fd, c.rest, c.e)
		}
	}
	wantE(t, "chdir", p.Chdir("/data/sub"), ESUCCESS)
	if p.Getcwd() != "/data/sub" {
		t.Fatalf("cwd = %q", p.Getcwd())
	}
	if fd, rest, e := p.PreopenFor("../sub/file"); fd != dataFD || rest != "sub/file" || e != ESUCCESS {
		t.Fatalf("relative PreopenFor = %d %q %v", fd, rest, e)
	}
	wantE(t, "chdir to a file", p.Chdir("/etc/hosts"), ENOTDIR)
	wantE(t, "chdir to nowhere", p.Chdir("/data/missing"), ENOENT)
	if p.Getcwd() != "/data/sub" {
		t.Fatalf("failed chdir changed cwd to %q", p.Getcwd())
	}
	if _, err := New(context.Background(), Config{Cwd: "relative"}); err == nil {
		t.Fatal("relative Cwd accepted")
	}
}

func TestPipe(t *testing.T) {
	p, _ := newProc(t, Config{MaxFDs: 7})
	r, w, e := p.Pipe(context.Background())
	wantE(t, "pipe", e, ESUCCESS)
	if n, e := p.FDWrite(bg, w, [][]byte{[]byte("through")}); e != ESUCCESS || n != 7 {
		t.Fatalf("write = %d, %v", n, e)
	}
	buf := make([]byte, 16)
	if n, e := p.FDRead(bg, r, [][]byte{buf}); e != ESUCCESS || string(buf[:n]) != "through" {
		t.Fatalf("read = %q, %v", buf[:n], e)
	}
	_, e = p.FDWrite(bg, r, [][]byte{buf})
	wantE(t, "write to the read end", e, ENOTCAPABLE)
	_, _, e = p.Pipe(context.Background())
	wantE(t, "pipe past the limit", e, EMFILE)
	wantE(t, "close write end", p.FDClose(w), ESUCCESS)
	if n, e := p.FDRead(bg, r, [][]byte{buf}); e != ESUCCESS || n != 0 {
		t.Fatalf("read at EOF = %d, %v", n, e)
	}
	st, _ := p.FDFdstatGet(r)
	if st.Type != vfs.TypeUnknown || st.Rights.Has(RightFDSeek) {
		t.Fatalf("pipe fdstat = %+v", st)
	}
}
