package vfs

import (
	"errors"
	"strings"
	"testing"

	"golang.org/x/sys/unix"
)

// FuzzMemFSPaths throws arbitrary paths at a small MemFS tree (mounted as
// a subdirectory handle) and checks that nothing panics and that no path
// reaches the sibling directory "outside" beside the handle.
func FuzzMemFSPaths(f *testing.F) {
	for _, s := range []string{"a", "../outside/secret", "l/..", "a/./b/", "loop", "..", "/x", "a\x00", "up/secret", ""} {
		f.Add(s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, p string, op uint8) {
		fs := NewMemFS()
		fs.WriteFile("outside/secret", []byte("secret"))
		fs.WriteFile("jail/a/b/file", []byte("inside"))
		root := openRoot(t, fs)
		n, err := root.OpenAt("jail", 0, ODirectory, AccessRead, 0)
		if err != nil {
			t.Fatal(err)
		}
		d := n.(Dir)
		defer d.Close()
		d.SymlinkAt("../outside", "up")
		d.SymlinkAt("a", "l")
		d.SymlinkAt("loop", "loop")
		var errs []error
		switch op % 6 {
		case 0:
			if n, err := d.OpenAt(p, FollowSymlinks, 0, AccessRead, 0); err == nil {
				if f, ok := n.(File); ok {
					buf := make([]byte, 16)
					m, _ := f.Read(buf)
					if string(buf[:m]) == "secret" {
						t.Fatalf("%q reached outside", p)
					}
				}
				n.Close()
			}
		case 1:
			_, err := d.StatAt(p, FollowSymlinks)
			errs = append(errs, err)
		case 2:
			errs = append(errs, d.MkdirAt(p), d.RmdirAt(p))
		case 3:
			errs = append(errs, d.UnlinkAt(p), d.SymlinkAt(p, "new"))
		case 4:
			errs = append(errs, d.RenameAt(p, d, "moved"), d.LinkAt(p, 0, d, "hard"))
		default:
			_, err := d.ReadlinkAt(p)
			errs = append(errs, err, d.SetTimesAt(p, 0, Times{}))
		}
		for _, err := range errs {
			var e unix.Errno
			if err != nil && !errors.As(err, &e) {
				t.Fatalf("%q: error %v is not an errno", p, err)
			}
		}
		if got := readFile(t, root, "outside/secret"); got != "secret" {
			t.Fatalf("%q changed the outside: %q", p, got)
		}
		if ents, _ := root.ReadDir(0); len(ents) != 4 {
			t.Fatalf("%q changed the root: %+v", p, ents)
		}
		if strings.HasPrefix(p, "/") && !strings.Contains(p, "\x00") {
			if _, err := d.StatAt(p, 0); !errors.Is(err, unix.EPERM) {
				t.Fatalf("absolute %q: %v", p, err)
			}
		}
	})
}
