package vfs

import (
	"strings"

	"golang.org/x/sys/unix"
)

// maxSymlinks bounds symbolic link expansion during one resolution, like
// the host's own limit (Linux MAXSYMLINKS).
const maxSymlinks = 40

// checkPath rejects paths no resolution may accept: empty (ENOENT),
// containing NUL (EINVAL) or absolute (EPERM: it would leave the handle).
func checkPath(p string) error {
	switch {
	case p == "":
		return unix.ENOENT
	case strings.IndexByte(p, 0) >= 0:
		return unix.EINVAL
	case p[0] == '/':
		return unix.EPERM
	}
	return nil
}

// splitParent splits p into the directory part and the last component.
// The last component keeps any trailing slashes so that the host applies
// its own trailing-slash rules; base is that component without them.
func splitParent(p string) (dir, last, base string, err error) {
	if err := checkPath(p); err != nil {
		return "", "", "", err
	}
	trimmed := strings.TrimRight(p, "/")
	i := strings.LastIndexByte(trimmed, '/')
	dir, last = "", p
	if i >= 0 {
		dir, last = p[:i+1], p[i+1:]
	}
	return dir, last, strings.TrimRight(last, "/"), nil
}

// dotError is the error a mutation gets when its last component is "." or
// "..", which names a directory that cannot be created, removed or
// replaced through its own entry. ok is false for ordinary names.
func dotError(base string, op string) (err error, ok bool) {
	if base != "." && base != ".." {
		return nil, false
	}
	switch op {
	case "rmdir":
		if base == "." {
			return unix.EINVAL, true
		}
		return unix.ENOTEMPTY, true
	case "unlink":
		return unix.EISDIR, true
	case "rename":
		return unix.EBUSY, true
	}
	return unix.EEXIST, true // mkdir, link, symlink targets
}

// splitComponents splits a relative path into its components, dropping
// empty ones. trailing reports whether p ends with a slash.
func splitComponents(p string) (parts []string, trailing bool) {
	for _, c := range strings.Split(p, "/") {
		if c != "" {
			parts = append(parts, c)
		}
	}
	return parts, strings.HasSuffix(p, "/")
}
