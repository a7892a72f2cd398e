//go:build linux

package vfs

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

func TestReadOnlyRefusesEveryWrite(t *testing.T) {
	h, root := hostFS(t, false)
	must(t, "seed dir", os.Mkdir(filepath.Join(root, "dir"), 0o755))
	must(t, "seed file", os.WriteFile(filepath.Join(root, "file"), []byte("content"), 0o644))
	must(t, "seed link", os.Symlink("file", filepath.Join(root, "link")))
	mem := NewMemFS()
	must(t, "seed mem", mem.WriteFile("file", []byte("content")))
	mem.WriteFile("dir/x", nil)
	for _, c := range []struct {
		name string
		fs   FS
	}{{"host", h}, {"mem", mem}} {
		t.Run(c.name, func(t *testing.T) {
			d := openRoot(t, ReadOnly(c.fs))
			rw := openRoot(t, c.fs)
			before, _ := rw.StatAt("file", 0)
			now := Times{Atime: TimeSpec{Mode: TimeNow}, Mtime: TimeSpec{Mode: TimeNow}}
			errs := map[string]error{
				"mkdir":        d.MkdirAt("new"),
				"unlink":       d.UnlinkAt("file"),
				"rmdir":        d.RmdirAt("dir"),
				"rename":       d.RenameAt("file", d, "file2"),
				"rename in":    rw.RenameAt("file", d, "file2"),
				"link":         d.LinkAt("file", 0, d, "file2"),
				"link in":      rw.LinkAt("file", 0, d, "file2"),
				"symlink":      d.SymlinkAt("file", "ln2"),
				"set times at": d.SetTimesAt("file", 0, now),
				"set dir time": d.SetTimes(now),
			}
			for _, open := range []struct {
				name string
				of   OFlags
				acc  Access
			}{
				{"open create", OCreate, AccessRead},
				{"open truncate", OTruncate, AccessRead},
				{"open write", 0, AccessWrite},
				{"open create exclusive", OCreate | OExclusive, AccessWrite},
			} {
				_, err := d.OpenAt("file", 0, open.of, open.acc, 0)
				errs[open.name] = err
			}
			n, err := d.OpenAt("file", 0, 0, AccessRead, 0)
			must(t, "open for reading", err)
			defer n.Close()
			f := n.(File)
			_, errs["write"] = f.Write([]byte("x"))
			_, errs["writev"] = f.Writev([][]byte{[]byte("x")})
			_, errs["pwritev"] = f.Pwritev([][]byte{[]byte("x")}, 0)
			errs["truncate"] = f.Truncate(0)
			errs["allocate"] = f.Allocate(0, 100)
			errs["file times"] = f.SetTimes(now)
			for what, err := range errs {
				wantErrno(t, what, err, unix.EROFS)
			}
			buf := make([]byte, 16)
			if m, err := f.Read(buf); err != nil || string(buf[:m]) != "content" {
				t.Fatalf("read = %q, %v", buf[:m], err)
			}
			sub, err := d.OpenAt("dir", 0, ODirectory, AccessRead, 0)
			must(t, "open dir", err)
			wantErrno(t, "mkdir in a subdirectory", sub.(Dir).MkdirAt("x2"), unix.EROFS)
			sub.Close()
			after, _ := rw.StatAt("file", 0)
			after.Atim = before.Atim // reading may update the access time
			if after != before {
				t.Fatalf("file changed: %+v -> %+v", before, after)
			}
			ents, _ := rw.ReadDir(0)
			if len(ents) != 2+3 && c.name == "host" || len(ents) != 2+2 && c.name == "mem" {
				t.Fatalf("entries changed: %+v", ents)
			}
		})
	}
}
