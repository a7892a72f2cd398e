package rt

import "golang.org/x/sys/unix"

// mapNoReserve maps a machine stack without reserving swap for it: its
// pages are committed as the stack reaches them.
const mapNoReserve = unix.MAP_NORESERVE
