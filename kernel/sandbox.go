package kernel

import (
	"context"
	"errors"

	"github.com/kilnrt/kiln/sandbox"
)

// The kernel's hooks (FilePolicy, NetPolicy, Auditor) are interfaces so
// that embedders can supply their own; this file adapts package sandbox's
// Policy and Auditor to them. The network half needs no adapter:
// sandbox.Policy.Net() implements NetPolicy, ListenPolicy, RecvPolicy and
// ResolvePolicy.

// SandboxFiles returns a FilePolicy that checks every open and every
// path mutation against the mounts of p (sandbox.Policy.CheckPath): a path outside every
// mount is refused with EPERM (the errno the file system gives a path that
// escapes its mount), a modification below a read-only mount with EROFS.
// The check is lexical and comes before the file system's own
// confinement, which stays in force. p's mounts must name the mount
// points the process has (its Mounts); host paths are not used.
func SandboxFiles(p *sandbox.Policy) FilePolicy { return sandboxFiles{p} }

type sandboxFiles struct{ p *sandbox.Policy }

// fileOps maps kernel operations to sandbox operations and their access.
var fileOps = map[Op]struct {
	op     sandbox.Op
	access sandbox.Access
}{
	OpOpen:      {sandbox.OpOpen, sandbox.AccessRead},
	OpOpenWrite: {sandbox.OpOpen, sandbox.AccessWrite},
	OpSetTimes:  {sandbox.OpSetTimes, sandbox.AccessWrite},
	OpCreate:    {sandbox.OpCreate, sandbox.AccessWrite},
	OpUnlink:    {sandbox.OpUnlink, sandbox.AccessWrite},
	OpRmdir:     {sandbox.OpRmdir, sandbox.AccessWrite},
	OpMkdir:     {sandbox.OpMkdir, sandbox.AccessWrite},
	OpRename:    {sandbox.OpRename, sandbox.AccessWrite},
	OpLink:      {sandbox.OpLink, sandbox.AccessWrite},
	OpSymlink:   {sandbox.OpSymlink, sandbox.AccessWrite},
}

func (f sandboxFiles) CheckFile(op Op, guestPath string) error {
	m, ok := fileOps[op]
	if !ok {
		m.op, m.access = sandbox.OpUnknown, sandbox.AccessWrite
	}
	_, _, err := f.p.CheckPath(m.op, guestPath, m.access)
	if err == nil {
		return nil
	}
	e := EPERM
	var d *sandbox.Denied
	if errors.As(err, &d) && d.Code == sandbox.DenyReadOnly {
		e = EROFS
	}
	return &policyError{err: err, errno: e}
}

// policyError carries a policy's refusal and the errno the guest sees.
type policyError struct {
	err   error
	errno Errno
}

func (e *policyError) Error() string { return e.err.Error() }
func (e *policyError) Unwrap() []error {
	return []error{e.err, e.errno}
}

// SandboxAuditor returns an Auditor that writes the kernel's events to a
// (who's Module and PID identify the guest in every record; its TID is
// ignored: each record names the thread of its event, AuditEvent.TID, 0
// when no thread of the process made it). Denials and quota hits carry
// the reason in the record's detail and the errno as its result.
func SandboxAuditor(a *sandbox.Auditor, who sandbox.Subject) Auditor {
	if a == nil {
		return nil
	}
	return &sandboxAuditor{a: a, who: who}
}

type sandboxAuditor struct {
	a   *sandbox.Auditor
	who sandbox.Subject
}

// forProcess returns the auditor for process pid running program name
// (a spawned or forked process of the same tree).
func (s *sandboxAuditor) forProcess(pid PID, name string) Auditor {
	who := s.who
	who.PID = int32(pid)
	if name != "" {
		who.Module = name
	}
	return &sandboxAuditor{a: s.a, who: who}
}

// auditOps maps kernel operations to the audit log's names.
var auditOps = map[Op]sandbox.Op{
	OpOpen:      sandbox.OpOpen,
	OpOpenWrite: sandbox.OpOpen,
	OpSetTimes:  sandbox.OpSetTimes,
	OpCreate:    sandbox.OpCreate,
	OpUnlink:    sandbox.OpUnlink,
	OpRmdir:     sandbox.OpRmdir,
	OpMkdir:     sandbox.OpMkdir,
	OpRename:    sandbox.OpRename,
	OpLink:      sandbox.OpLink,
	OpSymlink:   sandbox.OpSymlink,
	OpConnect:   sandbox.OpConnect,
	OpBind:      sandbox.OpBind,
	OpListen:    sandbox.OpListen,
	OpAccept:    sandbox.OpAccept,
	OpSend:      sandbox.OpSend,
	OpRecv:      sandbox.OpRecv,
	OpResolve:   sandbox.OpResolve,
	OpQuota:     sandbox.OpQuota,
	OpSignal:    sandbox.OpSignal,
	OpSpawn:     sandbox.OpSpawn,
	OpExec:      sandbox.OpExec,
}

func (s *sandboxAuditor) Audit(ctx context.Context, ev AuditEvent) {
	op, ok := auditOps[ev.Op]
	detail := ""
	if !ok {
		op, detail = sandbox.OpUnknown, string(ev.Op)
	}
	rec := sandbox.Event{
		Module: s.who.Module, PID: s.who.PID, TID: int32(ev.TID), Op: op,
		Path: ev.Path, Written: ev.Written, Path2: ev.Path2, Written2: ev.Written2, Addr: ev.Addr, Detail: detail,
		Decision: sandbox.DecisionAllowed, Signal: ev.Signal, Program: ev.Program,
	}
	if ev.Op == OpSignal {
		rec.Target = s.who.PID
		if ev.Target != 0 {
			rec.Target = int32(ev.Target)
		}
	}
	switch ev.Network {
	case "tcp":
		rec.Proto = sandbox.ProtoTCP
	case "udp":
		rec.Proto = sandbox.ProtoUDP
	}
	if !ev.Allowed {
		rec.Decision = sandbox.DecisionDenied
		if ev.Err != nil {
			rec.Detail = denialDetail(ev.Err)
		}
	}
	switch {
	case ev.Errno != ESUCCESS:
		rec.Err = ev.Errno
	case !ev.Allowed:
		rec.Err = errRefused // a refusal without an errno: memory.grow's -1
	}
	s.a.Record(ctx, rec)
}

// errRefused is the result of a refusal the guest sees without an errno
// (a refused memory or table growth returns -1).
var errRefused = errors.New("refused")

// denialDetail describes a refusal: the policy's reason or the quota.
func denialDetail(err error) string {
	var d *sandbox.Denied
	var q *sandbox.QuotaExceeded
	switch {
	case errors.As(err, &d):
		return d.Code.String() + ": " + d.Reason
	case errors.As(err, &q):
		return q.Error()
	}
	return err.Error()
}
