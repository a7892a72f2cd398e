package sandbox

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"sync"
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
	Path     string         // file operations: the guest path, resolved against its descriptor and cleaned
	Written  string         // file operations: the path as the guest wrote it, if it differs from Path
	Path2    string         // rename/link: the new path
	Written2 string         // rename/link: the new path as written
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
//
// A guest decides how often its operations are refused, so an Auditor
// bounds what it writes (AuditLimits): records of one kind beyond a rate
// are counted instead of written, and a byte quota caps the whole log.
type Auditor struct {
	h     slog.Handler
	lim   *auditLimiter // nil: no rate limit
	quota *quotaWriter  // nil: no byte quota
	wmu   sync.Mutex    // serialises writes when quota is set
}

// AuditMessage is the slog message of every audit record.
const AuditMessage = "audit"

// NewAuditor records to h with DefaultAuditLimits. Allowed operations are
// logged at slog.LevelInfo, denials and quota hits at slog.LevelWarn. A
// nil h gives a nil Auditor.
func NewAuditor(h slog.Handler) *Auditor {
	return NewAuditorLimits(h, AuditLimits{})
}

// NewAuditorLimits is NewAuditor with the given limits (MaxBytes is
// ignored: a handler's output cannot be measured).
func NewAuditorLimits(h slog.Handler, l AuditLimits) *Auditor {
	if h == nil {
		return nil
	}
	return &Auditor{h: h, lim: newAuditLimiter(l)}
}

// NewJSONAuditor writes one JSON object per line to w, e.g.
//
//	{"time":"2026-11-25T08:00:00Z","level":"WARN","msg":"audit","module":"app.wasm",
//	 "pid":1,"tid":1,"op":"connect","addr":"10.0.0.1:80","proto":"tcp",
//	 "decision":"denied","result":"sandbox: connect ... denied: ..."}
//
// with DefaultAuditLimits (no byte quota).
func NewJSONAuditor(w io.Writer) *Auditor {
	return NewJSONAuditorLimits(w, AuditLimits{})
}

// NewJSONAuditorLimits is NewJSONAuditor with the given limits, including
// the byte quota l.MaxBytes.
func NewJSONAuditorLimits(w io.Writer, l AuditLimits) *Auditor {
	var q *quotaWriter
	if l.MaxBytes > 0 {
		q = &quotaWriter{w: w, max: l.MaxBytes}
		w = q
	}
	a := NewAuditorLimits(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}), l)
	a.quota = q
	return a
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
	level := ev.level()
	if !a.h.Enabled(ctx, level) {
		return
	}
	result := ev.result()
	if a.lim != nil {
		ok, summary := a.lim.admit(ev, result)
		if summary != nil {
			a.write(ctx, summary.ev, summary.ev.level(), result, summary.n, slog.Uint64("suppressed", summary.n))
		}
		if !ok {
			return
		}
	}
	a.write(ctx, ev, level, result, 1)
}

func (ev *Event) level() slog.Level {
	if ev.Decision == DecisionDenied || ev.Op == OpQuota || ev.Op == OpPolicyDenial {
		return slog.LevelWarn
	}
	return slog.LevelInfo
}

func (ev *Event) result() string {
	if ev.Err == nil {
		return "ok"
	}
	return ev.Err.Error()
}

// write formats and writes one record, with extra attributes at the end;
// it stands for n records (a summary for those it counts), which the byte
// quota counts as dropped if it drops it.
func (a *Auditor) write(ctx context.Context, ev *Event, level slog.Level, result string, n uint64, extra ...slog.Attr) {
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
	if ev.Written != "" && ev.Written != ev.Path {
		r.AddAttrs(slog.String("written", ev.Written))
	}
	if ev.Path2 != "" {
		r.AddAttrs(slog.String("path2", ev.Path2))
	}
	if ev.Written2 != "" && ev.Written2 != ev.Path2 {
		r.AddAttrs(slog.String("written2", ev.Written2))
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
	r.AddAttrs(slog.String("decision", ev.Decision.String()), slog.String("result", result))
	r.AddAttrs(extra...)
	if a.quota == nil {
		_ = a.h.Handle(ctx, r) // an audit sink failure must not change the guest's result
		return
	}
	a.wmu.Lock()
	defer a.wmu.Unlock()
	before := a.quota.dropped
	_ = a.h.Handle(ctx, r)
	if a.quota.dropped > before {
		a.quota.dropped += n - 1
	}
	if a.quota.noticeDue() {
		n := slog.NewRecord(time.Now(), slog.LevelWarn, AuditMessage, 0)
		n.AddAttrs(slog.String("module", ev.Module), slog.Int64("pid", int64(ev.PID)),
			slog.String("op", OpAuditLimit.String()),
			slog.String("detail", fmt.Sprintf("audit log size limit of %d bytes reached: later records are counted, not written", a.quota.max)),
			slog.String("decision", DecisionDenied.String()), slog.String("result", "dropped"))
		a.quota.inReserve(func() { _ = a.h.Handle(ctx, n) })
	}
}

// Flush writes what the limits still hold back: one "suppressed" record
// for every kind of record that was rate limited since it last wrote,
// and, when the byte quota was reached, one record with the number of
// records dropped. Call it when the guest ends (kiln run does).
func (a *Auditor) Flush(ctx context.Context) {
	if a == nil {
		return
	}
	if ctx == nil {
		ctx = context.Background()
	}
	if a.lim != nil {
		for _, s := range a.lim.drain() {
			a.write(ctx, s.ev, s.ev.level(), s.result, s.n, slog.Uint64("suppressed", s.n))
		}
	}
	if a.quota == nil {
		return
	}
	a.wmu.Lock()
	defer a.wmu.Unlock()
	if d := a.quota.takeDropped(); d > 0 {
		r := slog.NewRecord(time.Now(), slog.LevelWarn, AuditMessage, 0)
		r.AddAttrs(slog.String("op", OpAuditLimit.String()),
			slog.String("detail", fmt.Sprintf("%d records dropped: audit log size limit of %d bytes reached", d, a.quota.max)),
			slog.String("decision", DecisionDenied.String()), slog.String("result", "dropped"), slog.Uint64("dropped", d))
		a.quota.inReserve(func() { _ = a.h.Handle(ctx, r) })
	}
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
