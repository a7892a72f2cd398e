package vfs

import (
	"archive/zip"
	"bytes"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand"
	"strings"
	"testing"
	"testing/fstest"

	"golang.org/x/sys/unix"
)

//go:embed testdata/iofs
var embedded embed.FS

// zipEntry is one entry of a test archive: a directory (name ending in
// "/"), a regular file, or a symbolic link to target.
type zipEntry struct {
	name, data, target string
}

// makeZip builds an archive in memory.
func makeZip(t *testing.T, entries []zipEntry) *zip.Reader {
	t.Helper()
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate}
		data := e.data
		switch {
		case strings.HasSuffix(e.name, "/"):
			h.SetMode(fs.ModeDir | 0o755)
		case e.target != "":
			h.SetMode(fs.ModeSymlink | 0o777)
			data = e.target
		default:
			h.SetMode(0o644)
		}
		f, err := w.CreateHeader(h)
		must(t, "zip "+e.name, err)
		_, err = f.Write([]byte(data))
		must(t, "zip "+e.name, err)
	}
	must(t, "zip close", w.Close())
	r, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	must(t, "zip open", err)
	return r
}

func TestFromIOFSEmbed(t *testing.T) {
	sub, err := fs.Sub(embedded, "testdata/iofs")
	must(t, "sub", err)
	root := openRoot(t, FromIOFS(sub))
	if got := readFile(t, root, "hello.txt"); got != "hello from an embedded file\n" {
		t.Errorf("hello.txt = %q", got)
	}
	if got := readFile(t, root, "docs/../docs/./readme.md"); got != "nested\n" {
		t.Errorf("docs/readme.md = %q", got)
	}
	st, err := root.StatAt("hello.txt", 0)
	must(t, "stat", err)
	if st.Type != TypeRegular || st.Size != 28 || st.Nlink != 1 {
		t.Errorf("stat hello.txt = %+v", st)
	}
	if st, err := root.StatAt("docs", 0); err != nil || st.Type != TypeDirectory {
		t.Errorf("stat docs = %+v, %v", st, err)
	}
	if got := names(t, root); got != "docs hello.txt" {
		t.Errorf("root lists %q", got)
	}

	n, err := root.OpenAt("hello.txt", 0, 0, AccessRead, 0)
	must(t, "open", err)
	defer n.Close()
	f := n.(File)
	buf := make([]byte, 4)
	if k, err := f.Preadv([][]byte{buf[:2], buf[2:]}, 6); err != nil || string(buf[:k]) != "from" {
		t.Errorf("preadv at 6 = %q, %v", buf[:k], err)
	}
	if off, err := f.Seek(-5, io.SeekEnd); err != nil || off != 23 {
		t.Errorf("seek end-5 = %d, %v", off, err)
	}
	if k, err := f.Read(buf); err != nil || string(buf[:k]) != "file" {
		t.Errorf("read after seek = %q, %v", buf[:k], err)
	}

	// Read-only, and confined.
	_, err = f.Write([]byte("x"))
	wantErrno(t, "write", err, unix.EROFS)
	_, err = root.OpenAt("new", 0, OCreate, AccessWrite, 0)
	wantErrno(t, "create", err, unix.EROFS)
	_, err = root.OpenAt("hello.txt", 0, 0, AccessRead|AccessWrite, 0)
	wantErrno(t, "open for writing", err, unix.EROFS)
	wantErrno(t, "mkdir", root.MkdirAt("d"), unix.EROFS)
	wantErrno(t, "unlink", root.UnlinkAt("hello.txt"), unix.EROFS)
	wantErrno(t, "rename", root.RenameAt("hello.txt", root, "x"), unix.EROFS)
	_, err = root.StatAt("../iofs/hello.txt", 0)
	wantErrno(t, "climb out", err, unix.EPERM)
	_, err = root.StatAt("/hello.txt", 0)
	wantErrno(t, "absolute", err, unix.EPERM)
	_, err = root.StatAt("missing", 0)
	wantErrno(t, "missing", err, unix.ENOENT)
	_, err = root.StatAt("hello.txt/x", 0)
	wantErrno(t, "through a file", err, unix.ENOTDIR)

	// A handle on a subdirectory cannot climb above itself either.
	dn, err := root.OpenAt("docs", 0, ODirectory, AccessRead, 0)
	must(t, "open docs", err)
	defer dn.Close()
	_, err = dn.(Dir).StatAt("../hello.txt", 0)
	wantErrno(t, "climb above docs", err, unix.EPERM)
	must(t, "close", dn.Close())
	wantErrno(t, "second close", dn.Close(), unix.EBADF)
}

// names lists a directory without "." and "..".
func names(t *testing.T, d Dir) string {
	t.Helper()
	ents, err := d.ReadDir(0)
	must(t, "readdir", err)
	var out []string
	for _, e := range ents {
		if e.Name != "." && e.Name != ".." {
			out = append(out, e.Name)
		}
	}
	return strings.Join(out, " ")
}

func TestFromIOFSZip(t *testing.T) {
	big := strings.Repeat("0123456789", 1000)
	zr := makeZip(t, []zipEntry{
		{name: "dir/"},
		{name: "dir/big.txt", data: big},
		{name: "dir/up", target: "../top.txt"},
		{name: "top.txt", data: "top\n"},
		{name: "link", target: "dir/big.txt"},
		{name: "dirlink", target: "dir"},
		{name: "escape", target: "../outside"},
		{name: "absolute", target: "/etc/passwd"},
		{name: "loop", target: "loop"},
	})
	root := openRoot(t, FromIOFS(zr))

	// Zip entries cannot seek: reads out of order reopen the entry.
	n, err := root.OpenAt("link", FollowSymlinks, 0, AccessRead, 0)
	must(t, "open link", err)
	defer n.Close()
	f := n.(File)
	r := rand.New(rand.NewSource(1))
	for i := 0; i < 50; i++ {
		off := r.Intn(len(big) + 20)
		buf := make([]byte, 1+r.Intn(40))
		k, err := f.Preadv([][]byte{buf}, int64(off))
		want := big[min(off, len(big)):min(off+len(buf), len(big))]
		if err != nil || string(buf[:k]) != want {
			t.Fatalf("pread %d bytes at %d = %q, %v; want %q", len(buf), off, buf[:k], err, want)
		}
	}
	if st, err := f.Stat(); err != nil || st.Size != uint64(len(big)) || st.Type != TypeRegular {
		t.Errorf("stat = %+v, %v", st, err)
	}

	if got := readFile(t, root, "dir/up"); got != "top\n" {
		t.Errorf("dir/up = %q", got)
	}
	if got := readFile(t, root, "dirlink/up"); got != "top\n" {
		t.Errorf("dirlink/up = %q", got)
	}
	if target, err := root.ReadlinkAt("dir/up"); err != nil || target != "../top.txt" {
		t.Errorf("readlink dir/up = %q, %v", target, err)
	}
	_, err = root.ReadlinkAt("top.txt")
	wantErrno(t, "readlink of a file", err, unix.EINVAL)
	if st, err := root.StatAt("link", 0); err != nil || st.Type != TypeSymlink {
		t.Errorf("lstat link = %+v, %v", st, err)
	}
	_, err = root.OpenAt("link", 0, 0, AccessRead, 0)
	wantErrno(t, "open a link without following", err, unix.ELOOP)
	_, err = root.StatAt("escape", FollowSymlinks)
	wantErrno(t, "link out of the root", err, unix.EPERM)
	_, err = root.StatAt("absolute", FollowSymlinks)
	wantErrno(t, "absolute link", err, unix.EPERM)
	_, err = root.StatAt("loop", FollowSymlinks)
	wantErrno(t, "link loop", err, unix.ELOOP)

	// From a handle on dir, its link to ../top.txt climbs above the handle.
	dn, err := root.OpenAt("dir", 0, ODirectory, AccessRead, 0)
	must(t, "open dir", err)
	defer dn.Close()
	_, err = dn.(Dir).StatAt("up", FollowSymlinks)
	wantErrno(t, "link above the handle", err, unix.EPERM)
}

// TestFromIOFSMatchesMemFS builds the same random tree (directories,
// files, symbolic links) in a MemFS and in a zip archive and requires the
// same answers from both for random paths: the io/fs view resolves like
// the rest of the package.
func TestFromIOFSMatchesMemFS(t *testing.T) {
	names := []string{"a", "b", "c"}
	seen := map[string]bool{} // outcomes met, so the test shows it reached each kind
	for seed := int64(1); seed <= 20; seed++ {
		r := rand.New(rand.NewSource(seed))
		mem := NewMemFS()
		mroot := openRoot(t, mem)
		var entries []zipEntry
		randPath := func(depth int) string { return randomPath(r, names, depth) }
		// Directories a, a/b, ..., then files and links inside them.
		for _, d := range []string{"a", "b", "a/b", "a/c", "b/a", "a/b/c"} {
			if r.Intn(4) != 0 {
				if err := mroot.MkdirAt(d); err == nil {
					entries = append(entries, zipEntry{name: d + "/"})
				}
			}
		}
		for i := 0; i < 12; i++ {
			dir := []string{"", "a/", "b/", "a/b/", "a/c/"}[r.Intn(5)]
			p := dir + names[r.Intn(len(names))]
			if _, err := mroot.StatAt(p, 0); err == nil || !errors.Is(err, unix.ENOENT) {
				continue
			}
			if r.Intn(2) == 0 {
				data := fmt.Sprintf("file %d of seed %d", i, seed)
				if err := mem.WriteFile(p, []byte(data)); err == nil {
					entries = append(entries, zipEntry{name: p, data: data})
				}
			} else {
				target := randPath(1 + r.Intn(3))
				if err := mroot.SymlinkAt(target, p); err == nil {
					entries = append(entries, zipEntry{name: p, target: target})
				}
			}
		}
		zroot := openRoot(t, FromIOFS(makeZip(t, entries)))
		for step := 0; step < 300; step++ {
			p := randPath(1 + r.Intn(4))
			if r.Intn(5) == 0 {
				p += "/"
			}
			lf := LookupFlags(r.Intn(2))
			m, z := describeAt(mroot, p, lf), describeAt(zroot, p, lf)
			seen[strings.Join(strings.Fields(m)[:2], " ")] = true
			if m != z {
				t.Fatalf("seed %d: %q (flags %d): MemFS %s, io/fs %s\ntree: %s", seed, p, lf, m, z, tree(t, mroot))
			}
		}
	}
	for _, want := range []string{"type 3", "type 4", "type 7", "stat " + unix.ENOENT.Error(),
		"stat " + unix.ENOTDIR.Error(), "stat " + unix.EPERM.Error(), "stat " + unix.ELOOP.Error()} {
		if !seen[strings.Join(strings.Fields(want)[:2], " ")] {
			t.Errorf("no path gave %q: the random trees miss a case", want)
		}
	}
}

// describeAt summarises what a directory says about a path: its type and
// size, its link target, its content or listing, or the errno.
func describeAt(d Dir, p string, lf LookupFlags) string {
	st, err := d.StatAt(p, lf)
	if err != nil {
		return "stat " + errnoOf(err).Error()
	}
	out := fmt.Sprintf("type %d", st.Type)
	if st.Type != TypeDirectory { // a directory's size is the file system's own
		out += fmt.Sprintf(" size %d", st.Size)
	}
	if target, err := d.ReadlinkAt(p); err == nil {
		out += " -> " + target
	} else {
		out += " readlink " + errnoOf(err).Error()
	}
	n, err := d.OpenAt(p, lf, 0, AccessRead, 0)
	if err != nil {
		return out + " open " + errnoOf(err).Error()
	}
	defer n.Close()
	switch n := n.(type) {
	case File:
		buf := make([]byte, 256)
		k, err := n.Read(buf)
		return out + fmt.Sprintf(" content %q %v", buf[:k], errnoOf(err))
	case Dir:
		ents, err := n.ReadDir(0)
		var list []string
		for _, e := range ents {
			list = append(list, fmt.Sprintf("%s(%d)", e.Name, e.Type))
		}
		return out + fmt.Sprintf(" lists %v %v", list, errnoOf(err))
	}
	return out
}

func TestAsIOFS(t *testing.T) {
	mem := NewMemFS()
	must(t, "write", mem.WriteFile("a/b/c.txt", []byte("see")))
	must(t, "write", mem.WriteFile("top.txt", []byte("top")))
	must(t, "write", mem.WriteFile("empty", nil))
	view := AsIOFS(mem)
	if err := fstest.TestFS(view, "a/b/c.txt", "top.txt", "empty"); err != nil {
		t.Fatal(err)
	}
	if b, err := fs.ReadFile(view, "a/b/c.txt"); err != nil || string(b) != "see" {
		t.Errorf("ReadFile = %q, %v", b, err)
	}
	if _, err := view.Open("missing"); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("open missing: %v, want fs.ErrNotExist", err)
	}
	if _, err := view.Open("../x"); !errors.Is(err, fs.ErrInvalid) {
		t.Errorf("open ../x: %v, want fs.ErrInvalid", err)
	}
	var walked []string
	err := fs.WalkDir(view, ".", func(p string, d fs.DirEntry, err error) error {
		walked = append(walked, p)
		return err
	})
	if got := strings.Join(walked, " "); err != nil || got != ". a a/b a/b/c.txt empty top.txt" {
		t.Errorf("WalkDir = %q, %v", got, err)
	}
}

// TestIOFSRoundTrip views a zip archive through both adapters: the io/fs
// view of the vfs view must pass the standard library's file system test.
func TestIOFSRoundTrip(t *testing.T) {
	zr := makeZip(t, []zipEntry{
		{name: "d/"},
		{name: "d/one.txt", data: strings.Repeat("one ", 300)},
		{name: "d/e/two.txt", data: "two"},
		{name: "three.txt", data: "three"},
	})
	if err := fstest.TestFS(AsIOFS(FromIOFS(zr)), "d/one.txt", "d/e/two.txt", "three.txt"); err != nil {
		t.Fatal(err)
	}
	sub, err := fs.Sub(embedded, "testdata/iofs")
	must(t, "sub", err)
	if err := fstest.TestFS(AsIOFS(FromIOFS(sub)), "hello.txt", "docs/readme.md"); err != nil {
		t.Fatal(err)
	}
}
