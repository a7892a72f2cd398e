package vfs

import (
	"fmt"
	"path"
	"strings"
)

// Mount places a file system at a guest path. FS is already wrapped with
// ReadOnly when ReadOnly is set.
type Mount struct {
	// Path is the guest name as given ("/", "/data", "." ...); WASI
	// preopens report it verbatim.
	Path     string
	FS       FS
	ReadOnly bool
}

// MountTable is the list of mounts of a process, in the order they were
// added (which is the order of WASI preopens).
type MountTable struct {
	mounts []Mount
}

// Add mounts fs at guestPath. Mounting twice at the same path is an error.
func (t *MountTable) Add(guestPath string, fs FS, readOnly bool) error {
	if fs == nil {
		return fmt.Errorf("vfs: mount %q: nil file system", guestPath)
	}
	if guestPath == "" || strings.IndexByte(guestPath, 0) >= 0 {
		return fmt.Errorf("vfs: mount %q: invalid guest path", guestPath)
	}
	clean := path.Clean(guestPath)
	for _, m := range t.mounts {
		if path.Clean(m.Path) == clean {
			return fmt.Errorf("vfs: mount %q: already mounted", guestPath)
		}
	}
	if readOnly {
		fs = ReadOnly(fs)
	}
	t.mounts = append(t.mounts, Mount{Path: guestPath, FS: fs, ReadOnly: readOnly})
	return nil
}

// Mounts returns the mounts in order. The slice must not be modified.
func (t *MountTable) Mounts() []Mount { return t.mounts }

// Lookup finds the mount with the longest path prefix of guestPath
// (compared after path.Clean) and returns the rest of the path relative to
// it ("." when guestPath names the mount point itself).
func (t *MountTable) Lookup(guestPath string) (m Mount, rest string, ok bool) {
	clean := path.Clean(guestPath)
	best := -1
	for i, mt := range t.mounts {
		mp := path.Clean(mt.Path)
		var r string
		switch {
		case mp == clean:
			r = "."
		case mp == "/" && strings.HasPrefix(clean, "/"):
			r = clean[1:]
		case mp == "." && !strings.HasPrefix(clean, "/") && clean != ".." && !strings.HasPrefix(clean, "../"):
			r = clean
		case strings.HasPrefix(clean, mp+"/"):
			r = clean[len(mp)+1:]
		default:
			continue
		}
		if best < 0 || len(mp) > len(path.Clean(t.mounts[best].Path)) {
			best, rest = i, r
		}
	}
	if best < 0 {
		return Mount{}, "", false
	}
	return t.mounts[best], rest, true
}
