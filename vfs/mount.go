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
	roots  *mountRoots // host mount roots, for nested mounts (Linux)
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
	// A host directory gets its own copy that knows the table's other
	// host mounts, so that a read-only mount nested in a writable one
	// holds whatever path the writable one offers.
	fs, err := t.nest(fs, readOnly)
	if err != nil {
		return fmt.Errorf("vfs: mount %q: %w", guestPath, err)
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
	best := -1
	bestLen := -1
	for i, mt := range t.mounts {
		r, matched := MatchMount(mt.Path, guestPath)
		if l := len(path.Clean(mt.Path)); matched && l > bestLen {
			best, bestLen, rest = i, l, r
		}
	}
	if best < 0 {
		return Mount{}, "", false
	}
	return t.mounts[best], rest, true
}

// MatchMount reports whether guestPath lies at or below the mount point
// mountPath (both cleaned; "." matches relative paths that do not climb)
// and returns the rest relative to the mount point.
func MatchMount(mountPath, guestPath string) (rest string, ok bool) {
	clean := path.Clean(guestPath)
	mp := path.Clean(mountPath)
	switch {
	case mp == clean:
		return ".", true
	case mp == "/" && strings.HasPrefix(clean, "/"):
		return clean[1:], true
	case mp == "." && !strings.HasPrefix(clean, "/") && clean != ".." && !strings.HasPrefix(clean, "../"):
		return clean, true
	case strings.HasPrefix(clean, mp+"/"):
		return clean[len(mp)+1:], true
	}
	return "", false
}
