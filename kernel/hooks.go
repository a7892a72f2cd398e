package kernel

import (
	"context"
	"errors"
	"net/netip"
)

// Op names a sensitive operation in policy checks and audit records.
type Op string

// Operations the kernel checks and records.
const (
	OpOpen      Op = "open"
	OpOpenWrite Op = "open_write" // open for writing or truncation: checked as a modification, logged as open
	OpCreate    Op = "create"
	OpUnlink    Op = "unlink"
	OpRmdir     Op = "rmdir"
	OpMkdir     Op = "mkdir"
	OpRename    Op = "rename"
	OpLink      Op = "link"
	OpSymlink   Op = "symlink"
	OpSetTimes  Op = "set_times" // path_filestat_set_times
	OpConnect   Op = "connect"
	OpBind      Op = "bind"
	OpListen    Op = "listen"
	OpAccept    Op = "accept"
	OpSend      Op = "send"    // audited when refused (UDP to a peer outside the rules)
	OpRecv      Op = "recv"    // audited when refused (UDP from a peer outside the rules)
	OpResolve   Op = "resolve" // host name resolution
	OpQuota     Op = "quota"   // a quota refused an operation (Err is a *sandbox.QuotaExceeded)
	OpSignal    Op = "signal"  // the process was ended as by a signal (Signal)
	OpSpawn     Op = "spawn"   // a new process (spawn, fork): Program, "" for a fork
	OpExec      Op = "exec"    // the process replaced its program (Program)
)

// AuditEvent is one sensitive operation and its outcome.
type AuditEvent struct {
	Op       Op
	Path     string         // guest path (file operations), resolved against its descriptor and cleaned
	Written  string         // the same path as the guest wrote it (not cleaned)
	Path2    string         // rename/link/symlink: the second path
	Written2 string         // the second path as written
	Addr     netip.AddrPort // network operations
	Network  string         // "tcp" or "udp"
	Signal   int            // OpSignal: the signal number
	Target   PID            // OpSignal: the process signalled (0: the process itself)
	Program  string         // OpSpawn, OpExec: the program's guest path
	Allowed  bool           // false when a policy refused it
	Errno    Errno          // the result the guest sees
	Err      error          // the policy's refusal, when Allowed is false
	TID      TID            // the thread whose call caused it; 0: none (see Auditor)
}

// Auditor records sensitive operations. The kernel builds events only when
// an Auditor is configured. ctx is the context of the guest call that
// caused the operation (its CallerThread, when the ABI bound one), and
// AuditEvent.TID names that thread of the process; records made outside
// any call of one of its threads (the setup of a process, a quota tripped
// by a meter) have TID 0, or the thread they concern when the caller
// knows it.
type Auditor interface {
	Audit(ctx context.Context, ev AuditEvent)
}

// FilePolicy may refuse file operations beyond what the mounts allow
// (which is checked first). A non-nil error denies; its Errno, if it
// carries one, is what the guest sees, EACCES otherwise.
type FilePolicy interface {
	CheckFile(op Op, guestPath string) error
}

// NetPolicy decides which addresses a guest may reach or serve. network
// is "tcp" or "udp". A non-nil error denies (EACCES unless it carries an
// Errno).
type NetPolicy interface {
	CheckConnect(network string, addr netip.AddrPort) error
	CheckBind(network string, addr netip.AddrPort) error
}

// ListenPolicy is an optional extension of NetPolicy: a policy that
// implements it decides listen separately; otherwise listen is a TCP bind
// of the same address. addr is the address the socket was bound to as
// requested (port 0 for an ephemeral port), or the unspecified address
// with port 0 for a socket that was never bound (the host then binds it
// to an ephemeral port on every address).
type ListenPolicy interface {
	CheckListen(network string, addr netip.AddrPort) error
}

// RecvPolicy is an optional extension of NetPolicy deciding whether a
// datagram from addr may be delivered; without it a datagram is delivered
// when CheckConnect allows its sender. Refused datagrams are dropped (and
// audited), as a firewall would.
type RecvPolicy interface {
	CheckRecv(network string, addr netip.AddrPort) error
}

// ResolvePolicy is an optional extension of NetPolicy allowing host name
// resolution; without it (or without a NetPolicy) resolution is refused.
type ResolvePolicy interface {
	CheckResolve(name string) error
}

// denialErrno is the errno for a policy refusal.
func denialErrno(err error) Errno {
	var e Errno
	if errors.As(err, &e) {
		return e
	}
	return EACCES
}

// checkFile runs the file policy; a refusal is recorded as denied.
func (p *Process) checkFile(ctx context.Context, op Op, t fileTarget) Errno {
	if p.files == nil {
		return ESUCCESS
	}
	if err := p.files.CheckFile(op, t.path); err != nil {
		e := denialErrno(err)
		p.audit(ctx, AuditEvent{Op: op, Path: t.path, Written: t.written, Errno: e, Err: err})
		return e
	}
	return ESUCCESS
}

// ErrConfined is the Err of an audit event for a path operation that the
// file system refused with EPERM: a path that leaves its mount (by "..",
// an absolute path or a symbolic link), which such events record as
// denied. (A host that refuses an operation with EPERM for its own reasons
// is recorded the same way.)
var ErrConfined = errors.New("path leaves its mount (or the host refused it with EPERM)")

// ErrReadOnly is the Err of an audit event for a modification the file
// system refused with EROFS: the object it reached lies below a read-only
// mount (whatever the guest path said), which such events record as
// denied.
var ErrReadOnly = errors.New("below a read-only mount")

// auditDone records an operation the policy allowed, with its result; a
// refusal by the file system's own confinement or read-only mounts is
// recorded as a denial.
func (p *Process) auditDone(ctx context.Context, op Op, t, t2 fileTarget, e Errno) {
	if p.auditor == nil {
		return
	}
	ev := AuditEvent{Op: op, Path: t.path, Written: t.written, Path2: t2.path, Written2: t2.written, Allowed: true, Errno: e}
	switch e {
	case EPERM:
		ev.Allowed, ev.Err = false, ErrConfined
	case EROFS:
		ev.Allowed, ev.Err = false, ErrReadOnly
	}
	p.audit(ctx, ev)
}

// audit records ev, caused by the call ctx belongs to.
func (p *Process) audit(ctx context.Context, ev AuditEvent) {
	if p.auditor != nil {
		if ctx == nil {
			ctx = p.ctx
		}
		ev.TID = p.callerTID(ctx)
		p.auditor.Audit(ctx, ev)
	}
}
