package rt

import "golang.org/x/sys/unix"

// mapNoReserve maps a machine stack without reserving swap for it: its
// pages are committed as the stack reaches them.
const mapNoReserve = unix.MAP_NORESERVE

// mapPopulate faults a code mapping's pages in with the mmap call that
// makes it: its every byte is about to be written, and one call is far
// cheaper than a fault per page (an 11 MB module: 2,700 faults).
const mapPopulate = unix.MAP_POPULATE
