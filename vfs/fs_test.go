package vfs

import (
	"errors"
	"io"
	"sort"
	"testing"

	"golang.org/x/sys/unix"
)

// fsCase is one file system under test, with a fresh root handle.
type fsCase struct {
	name string
	root func(t *testing.T) Dir
}

func openRoot(t *testing.T, fs FS) Dir {
	t.Helper()
	d, err := fs.OpenRoot()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { d.Close() })
	return d
}

// allFS lists the file systems every semantic test runs on: MemFS here,
// plus the host ones where the system supports them (hostCases).
func allFS() []fsCase {
	return append(hostCases(), fsCase{"mem", func(t *testing.T) Dir { return openRoot(t, NewMemFS()) }})
}

func wantErrno(t *testing.T, what string, err error, want ...unix.Errno) {
	t.Helper()
	for _, w := range want {
		if errors.Is(err, w) {
			return
		}
	}
	t.Errorf("%s: got error %v, want one of %v", what, err, want)
}

func must(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

func createFile(t *testing.T, d Dir, p, content string) {
	t.Helper()
	n, err := d.OpenAt(p, 0, OCreate|OTruncate, AccessWrite, 0)
	must(t, "create "+p, err)
	defer n.Close()
	if _, err := n.(File).Write([]byte(content)); err != nil {
		t.Fatalf("write %s: %v", p, err)
	}
}

func readFile(t *testing.T, d Dir, p string) string {
	t.Helper()
	n, err := d.OpenAt(p, FollowSymlinks, 0, AccessRead, 0)
	must(t, "open "+p, err)
	defer n.Close()
	f, ok := n.(File)
	if !ok {
		t.Fatalf("open %s: got a directory", p)
	}
	buf := make([]byte, 4096)
	m, err := f.Read(buf)
	must(t, "read "+p, err)
	return string(buf[:m])
}

func TestFileIO(t *testing.T) {
	for _, c := range allFS() {
		t.Run(c.name, func(t *testing.T) {
			d := c.root(t)
			n, err := d.OpenAt("f", 0, OCreate|OExclusive, AccessRead|AccessWrite, 0)
			must(t, "create", err)
			defer n.Close()
			f := n.(File)
			if _, err := f.Writev([][]byte{[]byte("hello "), []byte("world")}); err != nil {
				t.Fatal(err)
			}
			if off, err := f.Seek(0, 1); err != nil || off != 11 {
				t.Fatalf("tell = %d, %v; want 11", off, err)
			}
			buf := make([]byte, 5)
			if m, err := f.Preadv([][]byte{buf}, 6); err != nil || string(buf[:m]) != "world" {
				t.Fatalf("pread = %q, %v", buf[:m], err)
			}
			if _, err := f.Pwritev([][]byte{[]byte("W")}, 6); err != nil {
				t.Fatal(err)
			}
			if _, err := f.Seek(0, 0); err != nil {
				t.Fatal(err)
			}
			big := make([]byte, 64)
			m, err := f.Read(big)
			if err != nil || string(big[:m]) != "hello World" {
				t.Fatalf("read = %q, %v", big[:m], err)
			}
			if m, err := f.Read(big); m != 0 || err != nil {
				t.Fatalf("read at EOF = %d, %v; want 0, nil", m, err)
			}
			must(t, "truncate", f.Truncate(5))
			must(t, "allocate", f.Allocate(0, 100))
			st, err := f.Stat()
			must(t, "stat", err)
			if st.Size != 100 || st.Type != TypeRegular || st.Nlink != 1 {
				t.Fatalf("stat = %+v", st)
			}
			must(t, "advise", f.Advise(0, 0, AdviceSequential))
			must(t, "sync", f.Sync())
			must(t, "datasync", f.Datasync())
			must(t, "set times", f.SetTimes(Times{Atime: TimeSpec{Mode: TimeSet, Nanos: 1e9}, Mtime: TimeSpec{Mode: TimeSet, Nanos: 2e9 + 7}}))
			st, _ = f.Stat()
			if st.Atim != 1e9 || st.Mtim != 2e9+7 {
				t.Fatalf("times = %d %d", st.Atim, st.Mtim)
			}
			must(t, "set mtime now", f.SetTimes(Times{Mtime: TimeSpec{Mode: TimeNow}}))
			st2, _ := f.Stat()
			if st2.Atim != 1e9 || st2.Mtim <= 2e9+7 {
				t.Fatalf("after now: times = %d %d", st2.Atim, st2.Mtim)
			}
			_, err = d.OpenAt("f", 0, OCreate|OExclusive, AccessWrite, 0)
			wantErrno(t, "exclusive create of existing", err, unix.EEXIST)

			a, err := d.OpenAt("f", 0, 0, AccessWrite, FDAppend)
			must(t, "open append", err)
			if _, err := a.(File).Write([]byte("!")); err != nil {
				t.Fatal(err)
			}
			a.Close()
			st, _ = f.Stat()
			if st.Size != 101 {
				t.Fatalf("size after append = %d", st.Size)
			}
			ro, err := d.OpenAt("f", 0, 0, AccessRead, 0)
			must(t, "open read-only", err)
			_, err = ro.(File).Write([]byte("x"))
			wantErrno(t, "write to read-only descriptor", err, unix.EBADF)
			ro.Close()
			wantErrno(t, "double close", ro.Close(), unix.EBADF)
		})
	}
}

func TestDirectoryOps(t *testing.T) {
	for _, c := range allFS() {
		t.Run(c.name, func(t *testing.T) {
			d := c.root(t)
			must(t, "mkdir", d.MkdirAt("a"))
			must(t, "mkdir nested", d.MkdirAt("a/b/"))
			wantErrno(t, "mkdir existing", d.MkdirAt("a"), unix.EEXIST)
			wantErrno(t, "mkdir ..", d.MkdirAt("a/.."), unix.EEXIST)
			createFile(t, d, "a/b/file", "data")
			if got := readFile(t, d, "a/./b/../b//file"); got != "data" {
				t.Fatalf("read through dots = %q", got)
			}
			_, err := d.OpenAt("a/b/file/", 0, 0, AccessRead, 0)
			wantErrno(t, "file with trailing slash", err, unix.ENOTDIR, unix.ENOENT)
			sub, err := d.OpenAt("a/b/", 0, 0, AccessRead|AccessWrite, 0)
			must(t, "open dir with write access asked", err)
			subDir, ok := sub.(Dir)
			if !ok {
				t.Fatal("directory opened as a file")
			}
			defer subDir.Close()
			_, err = d.OpenAt("a/b/file", 0, ODirectory, AccessRead, 0)
			wantErrno(t, "O_DIRECTORY on file", err, unix.ENOTDIR)
			_, err = subDir.OpenAt("../b/file", 0, 0, AccessRead, 0)
			wantErrno(t, ".. above a subdirectory handle", err, unix.EPERM)

			// Symbolic links.
			must(t, "symlink", d.SymlinkAt("a/b/file", "ln"))
			wantErrno(t, "symlink over existing", d.SymlinkAt("x", "ln"), unix.EEXIST)
			wantErrno(t, "absolute symlink target", d.SymlinkAt("/etc/passwd", "abs"), unix.EPERM)
			target, err := d.ReadlinkAt("ln")
			if err != nil || target != "a/b/file" {
				t.Fatalf("readlink = %q, %v", target, err)
			}
			_, err = d.ReadlinkAt("a")
			wantErrno(t, "readlink of a directory", err, unix.EINVAL)
			st, err := d.StatAt("ln", 0)
			if err != nil || st.Type != TypeSymlink || st.Size != uint64(len("a/b/file")) {
				t.Fatalf("lstat = %+v, %v", st, err)
			}
			st, err = d.StatAt("ln", FollowSymlinks)
			if err != nil || st.Type != TypeRegular || st.Size != 4 {
				t.Fatalf("stat = %+v, %v", st, err)
			}
			_, err = d.OpenAt("ln", 0, 0, AccessRead, 0)
			wantErrno(t, "open symlink without follow", err, unix.ELOOP)
			if got := readFile(t, d, "ln"); got != "data" {
				t.Fatalf("read through symlink = %q", got)
			}
			must(t, "loop a", d.SymlinkAt("loopb", "loopa"))
			must(t, "loop b", d.SymlinkAt("loopa", "loopb"))
			_, err = d.OpenAt("loopa", FollowSymlinks, 0, AccessRead, 0)
			wantErrno(t, "symlink loop", err, unix.ELOOP)
			must(t, "dangling", d.SymlinkAt("nowhere", "dangling"))
			_, err = d.StatAt("dangling", FollowSymlinks)
			wantErrno(t, "stat dangling", err, unix.ENOENT)
			must(t, "set times of link itself", d.SetTimesAt("dangling", 0, Times{Mtime: TimeSpec{Mode: TimeSet, Nanos: 5e9}}))
			st, _ = d.StatAt("dangling", 0)
			if st.Mtim != 5e9 {
				t.Fatalf("symlink mtime = %d", st.Mtim)
			}

			// Hard links.
			must(t, "link", d.LinkAt("a/b/file", 0, subDir, "hard"))
			st, _ = d.StatAt("a/b/file", 0)
			if st.Nlink != 2 {
				t.Fatalf("nlink after link = %d", st.Nlink)
			}
			wantErrno(t, "link over existing", d.LinkAt("a/b/file", 0, d, "a"), unix.EEXIST)
			wantErrno(t, "link to a directory", d.LinkAt("a", 0, d, "adir"), unix.EPERM)
			wantErrno(t, "link following symlinks", d.LinkAt("ln", FollowSymlinks, d, "x"), unix.EINVAL)
			wantErrno(t, "link with trailing slash", d.LinkAt("a/b/file", 0, d, "x/"), unix.ENOENT)

			// Rename, across two handles.
			must(t, "rename across dirs", d.RenameAt("a/b/hard", subDir, "moved"))
			if got := readFile(t, subDir, "moved"); got != "data" {
				t.Fatalf("moved file = %q", got)
			}
			must(t, "mkdir c", d.MkdirAt("c"))
			wantErrno(t, "rename dir into itself", d.RenameAt("a", d, "a/b/x"), unix.EINVAL)
			wantErrno(t, "rename file over dir", d.RenameAt("ln", d, "c"), unix.EISDIR)
			wantErrno(t, "rename dir over file", d.RenameAt("c", d, "ln"), unix.ENOTDIR)
			wantErrno(t, "rename dir over non-empty dir", d.RenameAt("c", d, "a"), unix.ENOTEMPTY)
			must(t, "rename dir", d.RenameAt("c/", d, "c2"))

			// Removal.
			wantErrno(t, "rmdir non-empty", d.RmdirAt("a"), unix.ENOTEMPTY)
			wantErrno(t, "rmdir file", d.RmdirAt("ln"), unix.ENOTDIR)
			wantErrno(t, "rmdir .", d.RmdirAt("c2/."), unix.EINVAL)
			wantErrno(t, "unlink dir", d.UnlinkAt("c2"), unix.EISDIR, unix.EPERM)
			wantErrno(t, "unlink file with slash", d.UnlinkAt("a/b/file/"), unix.ENOTDIR)
			must(t, "unlink", d.UnlinkAt("a/b/file"))
			must(t, "unlink moved", d.UnlinkAt("a/b/moved"))
			must(t, "rmdir trailing slash", d.RmdirAt("c2/"))
			must(t, "rmdir", d.RmdirAt("a/b"))
			wantErrno(t, "unlink missing", d.UnlinkAt("a/b/file"), unix.ENOENT)
			_, err = d.StatAt("", 0)
			wantErrno(t, "empty path", err, unix.ENOENT)
			_, err = d.StatAt("a\x00", 0)
			wantErrno(t, "NUL in path", err, unix.EINVAL)
		})
	}
}

func TestReadDirCookies(t *testing.T) {
	for _, c := range allFS() {
		t.Run(c.name, func(t *testing.T) {
			d := c.root(t)
			must(t, "mkdir", d.MkdirAt("sub"))
			n, err := d.OpenAt("sub", 0, ODirectory, AccessRead, 0)
			must(t, "open sub", err)
			sub := n.(Dir)
			defer sub.Close()
			self, _ := sub.Stat()
			ents, err := sub.ReadDir(0)
			must(t, "readdir empty", err)
			if len(ents) != 2 || ents[0].Name != "." || ents[1].Name != ".." ||
				ents[0].Type != TypeDirectory || ents[1].Type != TypeDirectory || ents[0].Ino != self.Ino {
				t.Fatalf("empty dir = %+v", ents)
			}
			const files = 300
			for i := 0; i < files; i++ {
				createFile(t, sub, "file."+itoa(i), "")
			}
			must(t, "mkdir in sub", sub.MkdirAt("zdir"))
			// Page through in batches of 7 entries, continuing from Next.
			var names []string
			var cookie uint64
			for {
				ents, err := sub.ReadDir(cookie)
				must(t, "readdir", err)
				if len(ents) == 0 {
					break
				}
				if len(ents) > 7 {
					ents = ents[:7]
				}
				for _, e := range ents {
					names = append(names, e.Name)
					if e.Name == "zdir" && e.Type != TypeDirectory {
						t.Errorf("zdir type = %d", e.Type)
					}
				}
				cookie = ents[len(ents)-1].Next
			}
			if len(names) != files+3 || names[0] != "." || names[1] != ".." {
				t.Fatalf("listed %d entries starting %v", len(names), names[:2])
			}
			seen := map[string]bool{}
			for _, nm := range names {
				if seen[nm] {
					t.Fatalf("duplicate entry %q", nm)
				}
				seen[nm] = true
			}
			// A cookie from the middle replays the same tail.
			all, _ := sub.ReadDir(0)
			mid := all[100].Next
			tail, _ := sub.ReadDir(mid)
			if len(tail) != len(all)-101 || tail[0].Name != all[101].Name {
				t.Fatalf("tail from cookie %d starts with %q, want %q", mid, tail[0].Name, all[101].Name)
			}
			past, err := sub.ReadDir(uint64(len(all) + 10))
			if err != nil || len(past) != 0 {
				t.Fatalf("cookie past end = %v, %v", past, err)
			}
		})
	}
}

func itoa(i int) string {
	s := ""
	for {
		s = string(rune('0'+i%10)) + s
		i /= 10
		if i == 0 {
			return s
		}
	}
}

func TestMemFSWriteFile(t *testing.T) {
	fs := NewMemFS()
	must(t, "write", fs.WriteFile("etc/conf/app.toml", []byte("x=1")))
	d := openRoot(t, fs)
	if got := readFile(t, d, "etc/conf/app.toml"); got != "x=1" {
		t.Fatalf("got %q", got)
	}
	ents, _ := d.ReadDir(0)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name)
	}
	sort.Strings(names)
	if len(names) != 3 || names[2] != "etc" {
		t.Fatalf("root entries = %v", names)
	}
	if err := fs.WriteFile("etc/conf/app.toml/x", nil); !errors.Is(err, unix.ENOTDIR) {
		t.Fatalf("write below a file: %v", err)
	}
}

// TestFlagsConcurrent: one thread may change a handle's flags while
// another reads them (the kernel asks for FDNonblock on every read and
// write); under -race this must not be a data race.
func TestFlagsConcurrent(t *testing.T) {
	mem := NewMemFS()
	if err := mem.WriteFile("f", nil); err != nil {
		t.Fatal(err)
	}
	root, err := mem.OpenRoot()
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	f, err := root.OpenAt("f", 0, 0, AccessRead, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	nodes := []Node{root, f, NewStream(nil, io.Discard)}
	if r, w, err := NewPipe(); err == nil { // Linux only
		defer r.Close()
		defer w.Close()
		nodes = append(nodes, r)
	}
	for _, n := range nodes {
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := 0; i < 100; i++ {
				n.SetFlags(FDFlags(i%2) * FDNonblock)
			}
		}()
		for i := 0; i < 100; i++ {
			_ = n.Flags()
		}
		<-done
		if err := n.SetFlags(FDNonblock); err != nil || n.Flags() != FDNonblock {
			t.Errorf("%T: SetFlags(FDNonblock) = %v, Flags() = %v", n, err, n.Flags())
		}
	}
}

// TestStreamCloseWhileWriting: process exit closes standard output while
// another guest thread may still be writing to it.
func TestStreamCloseWhileWriting(t *testing.T) {
	s := NewStream(nil, io.Discard)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 0; i < 100; i++ {
			s.Write([]byte("x"))
		}
	}()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	<-done
	if _, err := s.Write([]byte("x")); !errors.Is(err, unix.EBADF) {
		t.Errorf("write after close = %v, want EBADF", err)
	}
	if err := s.Close(); !errors.Is(err, unix.EBADF) {
		t.Errorf("second close = %v, want EBADF", err)
	}
}
