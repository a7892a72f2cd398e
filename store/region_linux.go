package store

import "golang.org/x/sys/unix"

// reserveFlags keeps a reservation out of the commit accounting.
const reserveFlags = unix.MAP_NORESERVE
