package store

import "golang.org/x/sys/unix"

// prefault asks the kernel to back p's pages for writing in one call
// (MADV_POPULATE_WRITE, Linux 5.14), instead of a fault per page as
// they are first written. It is a hint: an older kernel's refusal
// changes nothing.
func prefault(p []byte) { _ = unix.Madvise(p, unix.MADV_POPULATE_WRITE) }
