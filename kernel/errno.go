package kernel

import (
	"context"
	"errors"
	"os"
	"strconv"

	"golang.org/x/sys/unix"
)

// Errno is a WASI preview 1 error number (WASIX uses the same numbering).
type Errno uint16

// Error numbers, in witx order.
const (
	ESUCCESS Errno = iota
	E2BIG
	EACCES
	EADDRINUSE
	EADDRNOTAVAIL
	EAFNOSUPPORT
	EAGAIN
	EALREADY
	EBADF
	EBADMSG
	EBUSY
	ECANCELED
	ECHILD
	ECONNABORTED
	ECONNREFUSED
	ECONNRESET
	EDEADLK
	EDESTADDRREQ
	EDOM
	EDQUOT
	EEXIST
	EFAULT
	EFBIG
	EHOSTUNREACH
	EIDRM
	EILSEQ
	EINPROGRESS
	EINTR
	EINVAL
	EIO
	EISCONN
	EISDIR
	ELOOP
	EMFILE
	EMLINK
	EMSGSIZE
	EMULTIHOP
	ENAMETOOLONG
	ENETDOWN
	ENETRESET
	ENETUNREACH
	ENFILE
	ENOBUFS
	ENODEV
	ENOENT
	ENOEXEC
	ENOLCK
	ENOLINK
	ENOMEM
	ENOMSG
	ENOPROTOOPT
	ENOSPC
	ENOSYS
	ENOTCONN
	ENOTDIR
	ENOTEMPTY
	ENOTRECOVERABLE
	ENOTSOCK
	ENOTSUP
	ENOTTY
	ENXIO
	EOVERFLOW
	EOWNERDEAD
	EPERM
	EPIPE
	EPROTO
	EPROTONOSUPPORT
	EPROTOTYPE
	ERANGE
	EROFS
	ESPIPE
	ESRCH
	ESTALE
	ETIMEDOUT
	ETXTBSY
	EXDEV
	ENOTCAPABLE
	errnoCount
)

// errnoNames are the witx names.
var errnoNames = [errnoCount]string{
	"success", "2big", "acces", "addrinuse", "addrnotavail", "afnosupport",
	"again", "already", "badf", "badmsg", "busy", "canceled", "child",
	"connaborted", "connrefused", "connreset", "deadlk", "destaddrreq", "dom",
	"dquot", "exist", "fault", "fbig", "hostunreach", "idrm", "ilseq",
	"inprogress", "intr", "inval", "io", "isconn", "isdir", "loop", "mfile",
	"mlink", "msgsize", "multihop", "nametoolong", "netdown", "netreset",
	"netunreach", "nfile", "nobufs", "nodev", "noent", "noexec", "nolck",
	"nolink", "nomem", "nomsg", "noprotoopt", "nospc", "nosys", "notconn",
	"notdir", "notempty", "notrecoverable", "notsock", "notsup", "notty",
	"nxio", "overflow", "ownerdead", "perm", "pipe", "proto",
	"protonosupport", "prototype", "range", "rofs", "spipe", "srch", "stale",
	"timedout", "txtbsy", "xdev", "notcapable",
}

// String returns the witx name ("noent", "badf", ...).
func (e Errno) String() string {
	if e < errnoCount {
		return errnoNames[e]
	}
	return "errno(" + strconv.FormatUint(uint64(e), 10) + ")"
}

// Error makes Errno an error; ESUCCESS should not be used as one.
func (e Errno) Error() string { return "wasi errno " + e.String() }

// ErrnoOf maps any error to a WASI errno: nil is ESUCCESS, an Errno is
// itself, a host unix.Errno is translated, context cancellation and
// deadlines map to ECANCELED and ETIMEDOUT, anything else is EIO.
func ErrnoOf(err error) Errno {
	if err == nil {
		return ESUCCESS
	}
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	var u unix.Errno
	if errors.As(err, &u) {
		return FromUnix(u)
	}
	switch {
	case errors.Is(err, context.Canceled):
		return ECANCELED
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, os.ErrDeadlineExceeded):
		return ETIMEDOUT
	case errors.Is(err, os.ErrNotExist):
		return ENOENT
	case errors.Is(err, os.ErrExist):
		return EEXIST
	case errors.Is(err, os.ErrPermission):
		return EACCES
	}
	return EIO
}
