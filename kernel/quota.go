package kernel

import (
	"context"

	"github.com/kilnrt/kiln/sandbox"
)

// Quotas the kernel enforces, and the errno a guest sees at each limit:
//
//	open descriptors (Config.MaxFDs)          EMFILE
//	sockets (sandbox.ResSockets)              EMFILE
//	bytes written to files (ResFileWrite)     EDQUOT once nothing is left;
//	                                          a write that only partly fits
//	                                          is shortened; growing a file
//	                                          (fd_allocate, set_size) is
//	                                          charged all or nothing
//	bytes sent / received (ResNetSend/Recv)   EDQUOT, shortened likewise
//	entries created (ResFileEntries)          EDQUOT: mkdir, symlink, link
//	                                          and path_open creating a file
//
// Every refusal is audited as OpQuota with a *sandbox.QuotaExceeded.

// insert adds d to the descriptor table; EMFILE is audited as a quota hit.
func (p *Process) insert(ctx context.Context, d *Descriptor) (FD, Errno) {
	fd, e := p.fds.Insert(d)
	if e == EMFILE {
		p.auditDescriptorQuota(ctx, d.GuestPath)
	}
	return fd, e
}

// roomFor reports EMFILE (audited) unless n more descriptors fit.
func (p *Process) roomFor(ctx context.Context, n int, what string) Errno {
	if p.fds.Len()+n > p.fds.max {
		p.auditDescriptorQuota(ctx, what)
		return EMFILE
	}
	return ESUCCESS
}

func (p *Process) auditDescriptorQuota(ctx context.Context, path string) {
	if p.auditor == nil {
		return
	}
	n := uint64(p.fds.Len())
	p.audit(ctx, AuditEvent{Op: OpQuota, Path: path, Errno: EMFILE,
		Err: &sandbox.QuotaExceeded{Resource: sandbox.ResDescriptors, Limit: uint64(p.fds.max), Used: n, Requested: 1}})
}

// quotaErrno audits a refused charge and returns the errno for it.
func (p *Process) quotaErrno(ctx context.Context, err error, e Errno, ev AuditEvent) Errno {
	ev.Op, ev.Errno, ev.Err = OpQuota, e, err
	p.audit(ctx, ev)
	return e
}

// reserve charges up to the total length of iovs to r and returns the
// buffers trimmed to what was granted, the amount charged (to settle
// with refund), or EDQUOT when nothing is left.
func (p *Process) reserve(ctx context.Context, r sandbox.Resource, iovs [][]byte, ev AuditEvent) ([][]byte, uint64, Errno) {
	if p.quota == nil {
		return iovs, 0, ESUCCESS
	}
	var want uint64
	for _, b := range iovs {
		want += uint64(len(b))
	}
	got, err := p.quota.AcquireUpTo(r, want)
	if err != nil {
		return nil, 0, p.quotaErrno(ctx, err, EDQUOT, ev)
	}
	return trimIovs(iovs, got), got, ESUCCESS
}

// settle gives back the part of a reservation that was not transferred.
func (p *Process) settle(r sandbox.Resource, reserved uint64, n int) {
	if p.quota != nil && n >= 0 && uint64(n) < reserved {
		p.quota.Refund(r, reserved-uint64(n))
	}
}

// trimIovs returns iovs shortened to n bytes in total (sharing memory).
func trimIovs(iovs [][]byte, n uint64) [][]byte {
	var total uint64
	for i, b := range iovs {
		if total+uint64(len(b)) > n {
			out := append([][]byte(nil), iovs[:i]...)
			return append(out, b[:n-total])
		}
		total += uint64(len(b))
	}
	return iovs
}

// advanceIovs drops the first n bytes of iovs.
func advanceIovs(iovs [][]byte, n int) [][]byte {
	for len(iovs) > 0 && n >= len(iovs[0]) {
		n -= len(iovs[0])
		iovs = iovs[1:]
	}
	if len(iovs) > 0 && n > 0 {
		out := append([][]byte(nil), iovs...)
		out[0] = out[0][n:]
		return out
	}
	return iovs
}
