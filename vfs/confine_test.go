//go:build linux

package vfs

import (
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// sandboxWithOutside builds <tmp>/root (mounted) next to <tmp>/outside,
// which holds a secret file and must never be reached or changed.
func sandboxWithOutside(t *testing.T, walk bool) (Dir, string, string) {
	t.Helper()
	h, root := hostFS(t, walk)
	outside := filepath.Join(filepath.Dir(root), "outside")
	if err := os.Mkdir(outside, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(outside, "secret"), []byte("secret"), 0o644); err != nil {
		t.Fatal(err)
	}
	for name, target := range map[string]string{
		"abs":     filepath.Join(outside, "secret"),
		"absdir":  outside,
		"rel":     "../outside/secret",
		"reldir":  "../outside",
		"dangout": "../outside/created",
		"deep":    "sub/../../outside",
	} {
		if err := os.Symlink(target, filepath.Join(root, name)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(root, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "inside"), []byte("inside"), 0o644); err != nil {
		t.Fatal(err)
	}
	return openRoot(t, h), root, outside
}

// snapshotTree records names, sizes and contents below dir.
func snapshotTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		v := info.Mode().String() + "@" + info.ModTime().String()
		if info.Mode().IsRegular() {
			b, _ := os.ReadFile(p)
			v += ":" + string(b)
		}
		out[p] = v
		return nil
	})
	return out
}

func TestHostConfinement(t *testing.T) {
	for _, walk := range []bool{false, true} {
		name := "openat2"
		if walk {
			name = "walk"
		}
		t.Run(name, func(t *testing.T) {
			d, _, outside := sandboxWithOutside(t, walk)
			before := snapshotTree(t, outside)
			escapes := []string{
				"../outside/secret", "/etc/passwd", "sub/../../outside/secret",
				"abs", "rel", "absdir/secret", "reldir/secret", "deep/secret",
				"sub/../..", "..", "absdir", "reldir/",
			}
			for _, p := range escapes {
				n, err := d.OpenAt(p, FollowSymlinks, 0, AccessRead, 0)
				if err == nil {
					n.Close()
					t.Errorf("open %q escaped the sandbox", p)
					continue
				}
				wantErrno(t, "open "+p, err, unix.EPERM)
				_, err = d.StatAt(p, FollowSymlinks)
				wantErrno(t, "stat "+p, err, unix.EPERM)
				wantErrno(t, "set times "+p, d.SetTimesAt(p, FollowSymlinks, Times{Mtime: TimeSpec{Mode: TimeNow}}), unix.EPERM)
			}
			// Mutations through escaping parents.
			muts := map[string]error{
				"mkdir":           d.MkdirAt("reldir/newdir"),
				"mkdir abs":       d.MkdirAt("/tmp/kiln-escape"),
				"unlink":          d.UnlinkAt("reldir/secret"),
				"unlink abs":      d.UnlinkAt("absdir/secret"),
				"rmdir":           d.RmdirAt("sub/../../outside"),
				"rename out":      d.RenameAt("inside", d, "reldir/stolen"),
				"rename in":       d.RenameAt("../outside/secret", d, "stolen"),
				"symlink":         d.SymlinkAt("x", "reldir/link"),
				"link in":         d.LinkAt("../outside/secret", 0, d, "hard"),
				"link in via dir": d.LinkAt("reldir/secret", 0, d, "hard"),
				"link out":        d.LinkAt("inside", 0, d, "reldir/hard"),
			}
			for what, err := range muts {
				wantErrno(t, what, err, unix.EPERM)
			}
			_, err := d.OpenAt("dangout", FollowSymlinks, OCreate, AccessWrite, 0)
			wantErrno(t, "create through a symlink pointing outside", err, unix.EPERM)
			_, err = d.ReadlinkAt("reldir/x")
			wantErrno(t, "readlink through escaping dir", err, unix.EPERM)
			// Following is refused for hard links; linking the symlink
			// itself keeps it a symlink that still cannot be followed.
			wantErrno(t, "link following a symlink out", d.LinkAt("abs", FollowSymlinks, d, "hard"), unix.EINVAL)
			must(t, "link of the symlink itself", d.LinkAt("abs", 0, d, "hardlink-to-symlink"))
			st, err := d.StatAt("hardlink-to-symlink", 0)
			if err != nil || st.Type != TypeSymlink {
				t.Fatalf("hard link to a symlink: %+v, %v", st, err)
			}
			_, err = d.OpenAt("hardlink-to-symlink", FollowSymlinks, 0, AccessRead, 0)
			wantErrno(t, "open the hard-linked symlink", err, unix.EPERM)
			// Non-following lookups of the links themselves are fine.
			if st, err := d.StatAt("abs", 0); err != nil || st.Type != TypeSymlink {
				t.Fatalf("lstat abs = %+v, %v", st, err)
			}
			after := snapshotTree(t, outside)
			if len(after) != len(before) {
				t.Fatalf("outside changed: before %v after %v", before, after)
			}
			for k, v := range before {
				if after[k] != v {
					t.Fatalf("outside %s changed: %q -> %q", k, v, after[k])
				}
			}
		})
	}
}

// TestHostMagicLinks mounts /proc/self and checks that its magic links
// (root, cwd, exe, fd/N) cannot be followed to the host.
func TestHostMagicLinks(t *testing.T) {
	if _, err := os.Stat("/proc/self/root"); err != nil {
		t.Skip("no /proc on this host")
	}
	for _, walk := range []bool{false, true} {
		h, err := NewHostFS("/proc/self")
		if err != nil {
			t.Fatal(err)
		}
		h.noOpenat2.Store(walk)
		d := openRoot(t, ReadOnly(h))
		for _, p := range []string{"root/etc/passwd", "root", "cwd", "exe", "fd/0", "root/"} {
			n, err := d.OpenAt(p, FollowSymlinks, 0, AccessRead, 0)
			if err == nil {
				n.Close()
				t.Errorf("walk=%v: opened magic link path %q", walk, p)
				continue
			}
			wantErrno(t, p, err, unix.ELOOP, unix.EPERM, unix.EXDEV)
		}
	}
}

// TestHostSymlinkSwapRace swaps a directory with a symlink to the outside
// while another goroutine keeps opening a file through it: no open may
// ever reach the outside secret.
func TestHostSymlinkSwapRace(t *testing.T) {
	for _, walk := range []bool{false, true} {
		d, root, outside := sandboxWithOutside(t, walk)
		real := filepath.Join(root, "realdir")
		if err := os.Mkdir(real, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(real, "secret"), []byte("inside"), 0o644); err != nil {
			t.Fatal(err)
		}
		evil := filepath.Join(root, "evil")
		if err := os.Symlink(outside, evil); err != nil {
			t.Fatal(err)
		}
		sw := filepath.Join(root, "d")
		if err := os.Symlink("realdir", sw); err != nil {
			t.Fatal(err)
		}
		var stop atomic.Bool
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				// Atomically exchange "d" (-> realdir) and "evil" (-> outside).
				unix.Renameat2(unix.AT_FDCWD, sw, unix.AT_FDCWD, evil, unix.RENAME_EXCHANGE)
			}
		}()
		leaked, opened := 0, 0
		buf := make([]byte, 16)
		// 3000 opens, and more until one succeeds: on a loaded machine
		// the swapper may win every race of the first 3000 (each open
		// then fails, which is safe but proves nothing).
		start := time.Now()
		for i := 0; i < 3000 || opened == 0 && time.Since(start) < time.Minute; i++ {
			n, err := d.OpenAt("d/secret", FollowSymlinks, 0, AccessRead, 0)
			if err != nil {
				continue
			}
			opened++
			m, _ := n.(File).Read(buf)
			if string(buf[:m]) == "secret" {
				leaked++
			}
			n.Close()
		}
		stop.Store(true)
		wg.Wait()
		if leaked > 0 {
			t.Fatalf("walk=%v: %d of %d opens reached the outside", walk, leaked, opened)
		}
		if opened == 0 {
			t.Fatalf("walk=%v: no open succeeded; the test did not exercise the inside path", walk)
		}
	}
}
