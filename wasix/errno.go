package wasix

import "github.com/kilnrt/kiln/kernel"

// The errno values WASIX adds after preview 1's last (ENOTCAPABLE, 76).
// Errnos 0 to 76 are preview 1's, with the same numbers (kernel.Errno).
const (
	ESHUTDOWN     kernel.Errno = 77 // cannot send after socket shutdown
	EMEMVIOLATION kernel.Errno = 78 // memory access violation
	EUNKNOWN      kernel.Errno = 79 // an unknown error
	EPENDING      kernel.Errno = 80 // an asynchronous wake is pending
)

// wasixErrnoNames are the witx names of the errnos WASIX adds.
var wasixErrnoNames = [...]string{
	0:                         "shutdown", // ESHUTDOWN - ESHUTDOWN
	EMEMVIOLATION - ESHUTDOWN: "memviolation",
	EUNKNOWN - ESHUTDOWN:      "unknown",
	EPENDING - ESHUTDOWN:      "pending",
}

// NumErrnos is the number of WASIX errno values (0 through EPENDING).
const NumErrnos = int(EPENDING) + 1

// ErrnoName returns the witx name of a WASIX errno ("noent", "fault",
// "shutdown", ...), or "" for a number WASIX does not define.
func ErrnoName(e kernel.Errno) string {
	switch {
	case e < ESHUTDOWN:
		return e.String()
	case e <= EPENDING:
		return wasixErrnoNames[e-ESHUTDOWN]
	}
	return ""
}
