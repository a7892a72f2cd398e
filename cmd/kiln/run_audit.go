package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
)

// auditOps maps kernel operations to the audit log's names.
var auditOps = map[kernel.Op]sandbox.Op{
	kernel.OpOpen:    sandbox.OpOpen,
	kernel.OpCreate:  sandbox.OpCreate,
	kernel.OpUnlink:  sandbox.OpUnlink,
	kernel.OpRmdir:   sandbox.OpRmdir,
	kernel.OpMkdir:   sandbox.OpMkdir,
	kernel.OpRename:  sandbox.OpRename,
	kernel.OpLink:    sandbox.OpLink,
	kernel.OpConnect: sandbox.OpConnect,
	kernel.OpBind:    sandbox.OpBind,
	kernel.OpListen:  sandbox.OpListen,
	kernel.OpAccept:  sandbox.OpAccept,
}

// kernelAuditor writes the kernel's audit events to a sandbox.Auditor
// (one JSON object per line).
type kernelAuditor struct {
	a      *sandbox.Auditor
	module string
}

func (k *kernelAuditor) Audit(ctx context.Context, ev kernel.AuditEvent) {
	op, ok := auditOps[ev.Op]
	detail := ""
	if !ok {
		op, detail = sandbox.OpUnknown, string(ev.Op) // symlink and future operations
	}
	rec := sandbox.Event{
		Module: k.module, PID: 1, TID: 1, Op: op, Path: ev.Path, Path2: ev.Path2,
		Addr: ev.Addr, Detail: detail, Decision: sandbox.DecisionAllowed,
	}
	switch ev.Network {
	case "tcp":
		rec.Proto = sandbox.ProtoTCP
	case "udp":
		rec.Proto = sandbox.ProtoUDP
	}
	if !ev.Allowed {
		rec.Decision = sandbox.DecisionDenied
	}
	if ev.Errno != kernel.ESUCCESS {
		rec.Err = ev.Errno
	}
	k.a.Record(ctx, rec)
}

// openAudit opens the --audit destination ("-" is standard error); the
// returned closer is nil when nothing needs closing.
func openAudit(path string, stderr io.Writer) (io.Writer, io.Closer, error) {
	if path == "-" {
		return stderr, nil, nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return nil, nil, fmt.Errorf("--audit: %w", err)
	}
	return f, f, nil
}
