package vfs

import (
	"golang.org/x/sys/unix"
)

// resolveFlags confine openat2: no escape from the starting directory, by
// "..", by absolute symlinks or by /proc magic links.
const resolveFlags = unix.RESOLVE_BENEATH | unix.RESOLVE_NO_MAGICLINKS

// openBeneath opens path relative to dirfd without ever leaving dirfd.
// follow says whether a symbolic link in the last component is expanded
// (earlier components always are, beneath dirfd). Escapes fail with EPERM.
func (h *HostFS) openBeneath(dirfd int, path string, flags int, mode uint32, follow bool) (int, error) {
	if err := checkPath(path); err != nil {
		return -1, err
	}
	flags |= unix.O_CLOEXEC
	if !follow {
		flags |= unix.O_NOFOLLOW
	}
	if flags&unix.O_CREAT == 0 {
		mode = 0 // openat2 insists
	}
	if !h.noOpenat2.Load() {
		how := unix.OpenHow{Flags: uint64(flags), Mode: uint64(mode), Resolve: resolveFlags}
		for tries := 0; ; tries++ {
			fd, err := unix.Openat2(dirfd, path, &how)
			switch {
			case err == nil:
				return fd, nil
			case err == unix.EINTR, err == unix.EAGAIN && tries < 32:
				// EAGAIN: a concurrent rename raced the ".." check.
				continue
			case err == unix.EXDEV:
				return -1, unix.EPERM
			case err == unix.ENOSYS:
				h.noOpenat2.Store(true)
			default:
				return -1, err
			}
			break
		}
	}
	return walkOpen(dirfd, path, flags, mode, follow)
}

// walkOpen is openBeneath for kernels without openat2: it walks the path
// one component at a time with O_NOFOLLOW, keeps its own stack of
// directories for "..", and expands symbolic links itself, so that the
// host never resolves more than one plain name at a time.
func walkOpen(root int, path string, flags int, mode uint32, follow bool) (int, error) {
	parts, trailing := splitComponents(path)
	var stack []int // directories below root, owned
	defer func() {
		for _, fd := range stack {
			unix.Close(fd)
		}
	}()
	cur := func() int {
		if len(stack) == 0 {
			return root
		}
		return stack[len(stack)-1]
	}
	finalFlags := flags | unix.O_NOFOLLOW | unix.O_CLOEXEC
	links := 0
	for len(parts) > 0 {
		c := parts[0]
		parts = parts[1:]
		last := len(parts) == 0
		switch c {
		case ".":
			continue
		case "..":
			if len(stack) == 0 {
				return -1, unix.EPERM
			}
			unix.Close(stack[len(stack)-1])
			stack = stack[:len(stack)-1]
			continue
		}
		if last && !follow && !trailing {
			return openatRetry(cur(), c, finalFlags, mode)
		}
		var st unix.Stat_t
		err := unix.Fstatat(cur(), c, &st, unix.AT_SYMLINK_NOFOLLOW)
		if err == nil && st.Mode&unix.S_IFMT == unix.S_IFLNK {
			links++
			if links > maxSymlinks {
				return -1, unix.ELOOP
			}
			target, err := readlinkAt(cur(), c)
			if err != nil {
				return -1, err
			}
			if err := checkPath(target); err != nil {
				return -1, err
			}
			tparts, ttrail := splitComponents(target)
			if last {
				trailing = trailing || ttrail
			}
			parts = append(tparts, parts...)
			continue
		}
		if err != nil && err != unix.ENOENT {
			return -1, err
		}
		if last {
			name := c
			if trailing {
				name += "/"
			}
			return openatRetry(cur(), name, finalFlags, mode)
		}
		if err != nil {
			return -1, err
		}
		fd, err := openatRetry(cur(), c, unix.O_PATH|unix.O_DIRECTORY|unix.O_NOFOLLOW|unix.O_CLOEXEC, 0)
		if err != nil {
			return -1, err
		}
		stack = append(stack, fd)
	}
	// The path ended in "." or "..": open the directory reached.
	return openatRetry(cur(), ".", flags|unix.O_CLOEXEC, mode)
}

func openatRetry(dirfd int, name string, flags int, mode uint32) (int, error) {
	for {
		fd, err := unix.Openat(dirfd, name, flags, mode)
		if err != unix.EINTR {
			return fd, err
		}
	}
}

// readlinkAt reads a symbolic link's target, growing the buffer as needed.
func readlinkAt(dirfd int, name string) (string, error) {
	for size := 256; ; size *= 2 {
		buf := make([]byte, size)
		n, err := unix.Readlinkat(dirfd, name, buf)
		if err != nil {
			return "", err
		}
		if n < size {
			return string(buf[:n]), nil
		}
		if size >= 1<<20 {
			return "", unix.ENAMETOOLONG
		}
	}
}
