package vfs

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/sys/unix"
)

// nestedMounts mounts root/rw at /data (writable) and root/rw/sub at
// /data/sub (read-only), as `--dir rw::/data --dir rw/sub::/data/sub:ro`,
// and returns the writable mount's root handle and the host directory.
func nestedMounts(t *testing.T) (Dir, string) {
	t.Helper()
	root := t.TempDir()
	rw := filepath.Join(root, "rw")
	must(t, "mkdir", os.MkdirAll(filepath.Join(rw, "sub", "deep"), 0o755))
	must(t, "write", os.WriteFile(filepath.Join(rw, "sub", "f.txt"), []byte("keep"), 0o644))
	var mt MountTable
	for _, m := range []struct {
		host, guest string
		ro          bool
	}{{rw, "/data", false}, {filepath.Join(rw, "sub"), "/data/sub", true}} {
		h, err := NewHostFS(m.host)
		must(t, "host fs", err)
		must(t, "mount", mt.Add(m.guest, h, m.ro))
	}
	d, err := mt.Mounts()[0].FS.OpenRoot()
	must(t, "open root", err)
	t.Cleanup(func() { d.Close() })
	return d, rw
}

// TestNestedReadOnlyMountHolds: a read-only mount nested in a writable
// one stays read-only through every path the writable mount offers:
// symbolic links, "..", the plain path, hard links and renames. The
// decision is made on the host object reached, not on the guest path.
func TestNestedReadOnlyMountHolds(t *testing.T) {
	d, rw := nestedMounts(t)
	must(t, "symlink s -> sub", d.SymlinkAt("sub", "s"))
	must(t, "symlink l -> sub/f.txt", d.SymlinkAt("sub/f.txt", "l"))
	must(t, "mkdir x", d.MkdirAt("x"))
	f, err := d.OpenAt("own.txt", 0, OCreate, AccessWrite, 0)
	must(t, "create own.txt", err)
	f.Close()

	for _, tc := range []struct {
		name string
		do   func() error
		want unix.Errno
	}{
		{"truncate through a symlinked directory", func() error {
			return closeNode(d.OpenAt("s/f.txt", FollowSymlinks, OTruncate, AccessWrite, 0))
		}, unix.EROFS},
		{"truncate by the plain path", func() error { return closeNode(d.OpenAt("sub/f.txt", 0, OTruncate, 0, 0)) }, unix.EROFS},
		{"write through ..", func() error { return closeNode(d.OpenAt("x/../sub/f.txt", 0, 0, AccessWrite, 0)) }, unix.EROFS},
		{"write through a symlink to the file", func() error { return closeNode(d.OpenAt("l", FollowSymlinks, 0, AccessWrite, 0)) }, unix.EROFS},
		{"create below", func() error { return closeNode(d.OpenAt("s/new.txt", 0, OCreate, AccessWrite, 0)) }, unix.EROFS},
		{"mkdir below", func() error { return d.MkdirAt("s/deep/new") }, unix.EROFS},
		{"symlink below", func() error { return d.SymlinkAt("x", "sub/y") }, unix.EROFS},
		{"unlink below", func() error { return d.UnlinkAt("s/f.txt") }, unix.EROFS},
		{"rmdir below", func() error { return d.RmdirAt("s/deep") }, unix.EROFS},
		{"set times below", func() error { return d.SetTimesAt("s/f.txt", FollowSymlinks, Times{Mtime: TimeSpec{Mode: TimeNow}}) }, unix.EROFS},
		{"set times through a symlink", func() error { return d.SetTimesAt("l", FollowSymlinks, Times{Mtime: TimeSpec{Mode: TimeNow}}) }, unix.EROFS},
		{"rename out", func() error { return d.RenameAt("s/f.txt", d, "stolen.txt") }, unix.EROFS},
		{"rename in", func() error { return d.RenameAt("own.txt", d, "s/own.txt") }, unix.EROFS},
		{"hard link out (then writable)", func() error { return d.LinkAt("s/f.txt", 0, d, "hl") }, unix.EROFS},
		{"hard link in", func() error { return d.LinkAt("own.txt", 0, d, "sub/hl") }, unix.EROFS},
		{"rename the mount point", func() error { return d.RenameAt("sub", d, "moved") }, unix.EBUSY},
		{"replace the mount point", func() error { return d.RenameAt("x", d, "sub") }, unix.EBUSY},
	} {
		wantErrno(t, tc.name, tc.do(), tc.want)
	}
	if b, err := os.ReadFile(filepath.Join(rw, "sub", "f.txt")); err != nil || string(b) != "keep" {
		t.Fatalf("file below the read-only mount = %q, %v", b, err)
	}
	for _, p := range []string{"sub/new.txt", "sub/deep/new", "sub/y", "stolen.txt", "sub/own.txt", "hl", "sub/hl", "moved"} {
		if _, err := os.Lstat(filepath.Join(rw, p)); err == nil {
			t.Errorf("%s exists", p)
		}
	}

	// Reading is allowed, and what was opened for reading stays read-only.
	n, err := d.OpenAt("s/f.txt", FollowSymlinks, 0, AccessRead, 0)
	must(t, "open for reading", err)
	rf := n.(File)
	buf := make([]byte, 8)
	if k, err := rf.Read(buf); err != nil || string(buf[:k]) != "keep" {
		t.Errorf("read %q, %v", buf[:k], err)
	}
	wantErrno(t, "set times on a file opened below", rf.SetTimes(Times{Mtime: TimeSpec{Mode: TimeNow}}), unix.EROFS)
	rf.Close()
	sd, err := d.OpenAt("s", FollowSymlinks, ODirectory, AccessRead, 0)
	must(t, "open the directory", err)
	wantErrno(t, "mkdir beneath a directory handle opened below", sd.(Dir).MkdirAt("z"), unix.EROFS)
	sd.Close()

	// Everything outside the read-only mount stays writable.
	must(t, "mkdir beside", d.MkdirAt("x/y"))
	must(t, "rename beside", d.RenameAt("own.txt", d, "x/own.txt"))
	must(t, "link beside", d.LinkAt("x/own.txt", 0, d, "x/hl"))
	must(t, "truncate beside", closeNode(d.OpenAt("x/hl", 0, OTruncate, AccessWrite, 0)))
	must(t, "symlinks are still followed beside", closeNode(d.OpenAt("s2", 0, OCreate, AccessWrite, 0)))
}

// TestWritableMountNestedInReadOnly: the nearest enclosing mount decides,
// so a writable mount inside a read-only one is writable through its own
// handle.
func TestWritableMountNestedInReadOnly(t *testing.T) {
	root := t.TempDir()
	must(t, "mkdir", os.MkdirAll(filepath.Join(root, "w"), 0o755))
	var mt MountTable
	for _, m := range []struct {
		host, guest string
		ro          bool
	}{{root, "/r", true}, {filepath.Join(root, "w"), "/r/w", false}} {
		h, err := NewHostFS(m.host)
		must(t, "host fs", err)
		must(t, "mount", mt.Add(m.guest, h, m.ro))
	}
	w, err := mt.Mounts()[1].FS.OpenRoot()
	must(t, "open", err)
	defer w.Close()
	must(t, "mkdir in the writable mount", w.MkdirAt("d"))
	must(t, "create", closeNode(w.OpenAt("d/f", 0, OCreate, AccessWrite, 0)))
}

func closeNode(n Node, err error) error {
	if err != nil {
		return err
	}
	return n.Close()
}
