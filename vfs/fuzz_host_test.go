//go:build linux

package vfs

import (
	"testing"
)

// FuzzHostConfinement runs arbitrary paths through every path operation of
// a host directory (both resolvers) and checks that the sibling directory
// "outside" is never changed and its secret never read.
func FuzzHostConfinement(f *testing.F) {
	for _, s := range []string{"reldir/secret", "../outside/x", "abs", "deep/new", "sub/../../outside", "dangout", "absdir/", "inside"} {
		f.Add(s, s, uint8(0))
	}
	f.Fuzz(func(t *testing.T, p, q string, op uint8) {
		d, _, outside := sandboxWithOutside(t, op&0x80 != 0)
		before := snapshotTree(t, outside)
		switch op % 9 {
		case 0:
			if n, err := d.OpenAt(p, LookupFlags(op>>3&1), OCreate|OTruncate, AccessRead|AccessWrite, 0); err == nil {
				if f, ok := n.(File); ok {
					buf := make([]byte, 16)
					m, _ := f.Preadv([][]byte{buf}, 0)
					if string(buf[:m]) == "secret" {
						t.Fatalf("%q reached the outside secret", p)
					}
					f.Write([]byte("x"))
				}
				n.Close()
			}
		case 1:
			d.MkdirAt(p)
		case 2:
			d.UnlinkAt(p)
			d.RmdirAt(p)
		case 3:
			d.RenameAt(p, d, q)
		case 4:
			d.LinkAt(p, 0, d, q)
		case 5:
			d.SymlinkAt(q, p)
		case 6:
			d.SetTimesAt(p, LookupFlags(op>>3&1), Times{Mtime: TimeSpec{Mode: TimeSet, Nanos: 1}})
		case 7:
			d.ReadlinkAt(p)
			d.StatAt(p, FollowSymlinks)
		default:
			if n, err := d.OpenAt(p, FollowSymlinks, 0, AccessRead, 0); err == nil {
				if f, ok := n.(File); ok {
					buf := make([]byte, 16)
					m, _ := f.Read(buf)
					if string(buf[:m]) == "secret" {
						t.Fatalf("%q reached the outside secret", p)
					}
				}
				n.Close()
			}
		}
		after := snapshotTree(t, outside)
		if len(after) != len(before) {
			t.Fatalf("op %d %q %q changed the outside: %v -> %v", op%9, p, q, before, after)
		}
		for k, v := range before {
			if after[k] != v {
				t.Fatalf("op %d %q %q changed %s: %q -> %q", op%9, p, q, k, v, after[k])
			}
		}
	})
}
