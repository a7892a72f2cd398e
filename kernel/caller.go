package kernel

import "context"

// The thread whose guest call caused a kernel operation travels in the
// context the operation receives: the ABI layer binds it once per thread
// (WithThread) and passes the host call's context to the kernel, which
// names that thread in its audit records (AuditEvent.TID). Only auditing
// reads it, so the ABI needs to bind it only when an Auditor is set.

// callerKey is the context key of the calling thread.
type callerKey struct{}

// WithThread returns ctx carrying t as the calling thread.
func WithThread(ctx context.Context, t *Thread) context.Context {
	return context.WithValue(ctx, callerKey{}, t)
}

// CallerThread returns the calling thread ctx carries (WithThread), or
// nil.
func CallerThread(ctx context.Context) *Thread {
	if ctx == nil {
		return nil
	}
	t, _ := ctx.Value(callerKey{}).(*Thread)
	return t
}

// callerTID is the ID of the thread of p that ctx names, 0 when ctx names
// none of p's threads (an operation no thread of p asked for, such as the
// setup of a new process).
func (p *Process) callerTID(ctx context.Context) TID {
	if t := CallerThread(ctx); t != nil && t.p == p {
		return t.id
	}
	return 0
}
