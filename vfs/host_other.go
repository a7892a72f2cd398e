//go:build !linux

package vfs

import (
	"fmt"

	"golang.org/x/sys/unix"
)

// HostFS is a host directory mounted into the guest. Confining paths
// beneath it needs Linux (openat2, or O_PATH for the component walk), so on
// other systems NewHostFS fails with ENOSYS; use MemFS there.
type HostFS struct{ root string }

// NewHostFS reports ENOSYS on this system.
func NewHostFS(root string) (*HostFS, error) {
	return nil, fmt.Errorf("vfs: host directory %q: confinement needs Linux: %w", root, unix.ENOSYS)
}

// Root returns the host path of the file system's root.
func (h *HostFS) Root() string { return h.root }

// OpenRoot reports ENOSYS on this system.
func (h *HostFS) OpenRoot() (Dir, error) { return nil, unix.ENOSYS }

// NewHostFile reports ENOSYS on this system; callers fall back to Stream.
func NewHostFile(fd int) (File, error) { return nil, unix.ENOSYS }

// NewPipe reports ENOSYS on this system.
func NewPipe() (r, w File, err error) { return nil, nil, unix.ENOSYS }

// mountRoots needs Linux; host mounts do not exist elsewhere.
type mountRoots struct{}

// nest returns fs unchanged: there are no host mounts on this system.
func (t *MountTable) nest(fs FS, readOnly bool) (FS, error) { return fs, nil }
