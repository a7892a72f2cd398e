package sandbox

import (
	"errors"
	"fmt"
)

// ErrDenied is matched (with errors.Is) by every *Denied error.
var ErrDenied = errors.New("denied by sandbox policy")

// DenyCode classifies a denial so that an ABI layer can pick the errno the
// guest sees. The suggested mapping is in the comments of each constant.
type DenyCode uint8

const (
	// DenyNotGranted: no rule grants the capability (path outside every
	// mount, address outside every rule). Suggested errno: ENOTCAPABLE in
	// WASI preview 1, EACCES elsewhere.
	DenyNotGranted DenyCode = iota + 1
	// DenyReadOnly: the path is inside a mount granted read-only and the
	// operation modifies it. Suggested errno: EROFS or EACCES.
	DenyReadOnly
	// DenyDisabled: the whole facility is switched off (process spawning,
	// name resolution). Suggested errno: EPERM (ENOTSUP for resolution).
	DenyDisabled
	// DenyInvalid: the request itself cannot be checked (relative or
	// escaping path, invalid address). Suggested errno: EINVAL or EACCES.
	DenyInvalid
)

var denyCodeNames = [...]string{
	DenyNotGranted: "not granted",
	DenyReadOnly:   "read-only",
	DenyDisabled:   "disabled",
	DenyInvalid:    "invalid request",
}

// String names the code.
func (c DenyCode) String() string {
	if int(c) < len(denyCodeNames) && denyCodeNames[c] != "" {
		return denyCodeNames[c]
	}
	return fmt.Sprintf("DenyCode(%d)", uint8(c))
}

// Denied is the error returned by every policy check that refuses an
// operation. It is a value the kernel converts to an errno; it never means
// the runtime itself failed.
type Denied struct {
	Op     Op       // the operation that was refused
	Target string   // what it was applied to: a path, "addr:port/proto", a program
	Code   DenyCode // why, in a form that maps to an errno
	Reason string   // human-readable detail
}

// Error describes the denial, e.g.
// "sandbox: connect 10.1.2.3:80/tcp denied: not granted: no connect rule matches".
func (d *Denied) Error() string {
	return fmt.Sprintf("sandbox: %s %s denied: %s: %s", d.Op, d.Target, d.Code, d.Reason)
}

// Is reports whether target is ErrDenied.
func (d *Denied) Is(target error) bool { return target == ErrDenied }

func deny(op Op, target string, code DenyCode, reason string) *Denied {
	return &Denied{Op: op, Target: target, Code: code, Reason: reason}
}
