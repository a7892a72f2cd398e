package sandbox

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net/netip"
	"time"
)

// Decision is the outcome of a policy or quota check.
type Decision uint8

// The two decisions.
const (
	DecisionAllowed Decision = iota + 1
	DecisionDenied
)

// String returns "allowed" or "denied".
func (d Decision) String() string {
	switch d {
	case DecisionAllowed:
		return "allowed"
	case DecisionDenied:
		return "denied"
	}
	return "unknown"
}

// Event is one audit record. Fields that do not apply stay zero and are left
// out of the record.
type Event struct {
	Time     time.Time      // when; zero means now
	Module   string         // module (program) name
	PID      int32          // guest process id
	TID      int32          // guest thread id
	Op       Op             // what was attempted
	Path     string         // file operations: the guest path
	Path2    string         // rename/link: the new path
	Addr     netip.AddrPort // network operations: the address
	Proto    Proto          // network operations: tcp or udp
	Program  string         // spawn/exec: the program
	Signal   int            // signal: the signal number
	Target   int32          // signal: the target process id
	Detail   string         // free text: denial reason, quota resource
	Decision Decision       // allowed or denied
	Err      error          // result: nil means ok, else the errno or error
}

// Auditor writes audit events to a slog.Handler. A nil *Auditor is the "off"
// state: every method returns at once without allocating, so the kernel can
// call Record unconditionally (but should guard expensive argument building,
// such as formatting, with Enabled).
type Auditor struct {
	h slog.Handler
}

// AuditMessage is the slog message of every audit record.
const AuditMessage = "audit"

// NewAuditor records to h. Allowed operations are logged at slog.LevelInfo,
// denials and quota hits at slog.LevelWarn. A nil h gives a nil Auditor.
func NewAuditor(h slog.Handler) *Auditor {
	if h == nil {
		return nil
	}
	return &Auditor{h: h}
}

// NewJSONAuditor writes one JSON object per line to w, e.g.
//
//	{"time":"2026-11-25T08:00:00Z","level":"WARN","msg":"audit","module":"app.wasm",
//	 "pid":1,"tid":1,"op":"connect","addr":"10.0.0.1:80","proto":"tcp",
//	 "decision":"denied","result":"sandbox: connect ... denied: ..."}
func NewJSONAuditor(w io.Writer) *Auditor {
	return NewAuditor(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}

// Enabled reports whether records are written at all.
func (a *Auditor) Enabled() bool { return a != nil }

// Record writes ev.
func (a *Auditor) Record(ctx context.Context, ev Event) {
	if a == nil {
		return
	}
	a.record(ctx, &ev)
}

// record is kept out of Record so that the nil check inlines and the event
// does not escape when auditing is off.
func (a *Auditor) record(ctx context.Context, ev *Event) {
	if ctx == nil {
		ctx = context.Background()
	}
	level := slog.LevelInfo
	if ev.Decision == DecisionDenied || ev.Op == OpQuota || ev.Op == OpPolicyDenial {
		level = slog.LevelWarn
	}
	if !a.h.Enabled(ctx, level) {
		return
	}
	t := ev.Time
	if t.IsZero() {
		t = time.Now()
	}
	r := slog.NewRecord(t, level, AuditMessage, 0)
	r.AddAttrs(
		slog.String("module", ev.Module),
		slog.Int64("pid", int64(ev.PID)),
		slog.Int64("tid", int64(ev.TID)),
		slog.String("op", ev.Op.String()),
	)
	if ev.Path != "" {
		r.AddAttrs(slog.String("path", ev.Path))
	}
	if ev.Path2 != "" {
		r.AddAttrs(slog.String("path2", ev.Path2))
	}
	if ev.Addr.IsValid() {
		r.AddAttrs(slog.String("addr", ev.Addr.String()))
	}
	if ev.Proto != 0 {
		r.AddAttrs(slog.String("proto", ev.Proto.String()))
	}
	if ev.Program != "" {
		r.AddAttrs(slog.String("program", ev.Program))
	}
	if ev.Op == OpSignal {
		r.AddAttrs(slog.Int("signal", ev.Signal), slog.Int64("target", int64(ev.Target)))
	}
	if ev.Detail != "" {
		r.AddAttrs(slog.String("detail", ev.Detail))
	}
	r.AddAttrs(slog.String("decision", ev.Decision.String()))
	result := "ok"
	if ev.Err != nil {
		result = ev.Err.Error()
	}
	r.AddAttrs(slog.String("result", result))
	_ = a.h.Handle(ctx, r) // an audit sink failure must not change the guest's result
}

// Subject identifies who performed an operation.
type Subject struct {
	Module string
	PID    int32
	TID    int32
}

// RecordResult records the outcome of a policy or quota check made by the kernel:
// err nil is an allowed op, a *Denied or *QuotaExceeded is recorded as
// denied with its reason; any other error is recorded as an allowed
// operation that failed. Arguments are passed in base (Path, Addr, ...).
func (a *Auditor) RecordResult(ctx context.Context, who Subject, base Event, err error) {
	if a == nil {
		return
	}
	a.recordResult(ctx, &who, &base, err)
}

func (a *Auditor) recordResult(ctx context.Context, who *Subject, base *Event, err error) {
	base.Module, base.PID, base.TID = who.Module, who.PID, who.TID
	base.Err = err
	base.Decision = DecisionAllowed
	var d *Denied
	var q *QuotaExceeded
	switch {
	case errors.As(err, &d):
		base.Decision = DecisionDenied
		if base.Op == OpUnknown {
			base.Op = d.Op
		}
		base.Detail = d.Code.String() + ": " + d.Reason
	case errors.As(err, &q):
		base.Decision = DecisionDenied
		base.Detail = q.Resource.String()
	}
	a.record(ctx, base)
}
