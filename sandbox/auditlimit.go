package sandbox

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// AuditLimits bound what a guest can make an Auditor write, so that a
// flood of refused operations can neither fill the disk nor bury the
// other records.
type AuditLimits struct {
	// Burst records of one kind (module, process, operation, decision
	// and result; not the path, which the guest chooses freely) are
	// written at once; beyond it PerSecond of that kind are. Records over
	// the rate are counted, and the count is written as one record
	// ("suppressed": N, the kind's fields, a detail saying so) before the
	// kind's next written record and at Flush. Zero Burst and PerSecond
	// take DefaultAuditBurst and DefaultAuditRate; a negative Burst turns
	// rate limiting off.
	Burst     int
	PerSecond float64
	// MaxBytes caps the bytes a JSON auditor writes (0: no cap). The
	// record that crosses it is dropped, one record says the cap was
	// reached, later records are counted and dropped, and Flush writes
	// their number ("dropped": N, the records counted by a "suppressed"
	// record that was dropped included, so that written, suppressed and
	// dropped records always add up). A few KiB are kept in reserve for
	// these two records, so the log never exceeds MaxBytes.
	MaxBytes int64

	now func() time.Time // tests set a clock
}

// Defaults of AuditLimits: a kind of record may burst to 100 records,
// then write 10 a second (about 4 KB/s of JSON per kind).
const (
	DefaultAuditBurst = 100
	DefaultAuditRate  = 10
	// maxAuditKinds bounds the limiter's table; further kinds share one.
	maxAuditKinds = 1024
	// auditReserve is the part of MaxBytes kept for the limit's records.
	auditReserve = 2 << 10
)

type auditKind struct {
	module   string
	pid      int32
	op       Op
	decision Decision
	result   string
}

type auditBucket struct {
	tokens     float64
	last       time.Time
	suppressed uint64
	first      Event // the first suppressed record (identity fields)
}

type auditLimiter struct {
	mu    sync.Mutex
	burst float64
	rate  float64
	now   func() time.Time
	kinds map[auditKind]*auditBucket
}

// auditSummary is a count of suppressed records of one kind.
type auditSummary struct {
	ev     *Event
	result string
	n      uint64
}

func newAuditLimiter(l AuditLimits) *auditLimiter {
	if l.Burst < 0 {
		return nil
	}
	lim := &auditLimiter{burst: float64(l.Burst), rate: l.PerSecond, now: l.now, kinds: map[auditKind]*auditBucket{}}
	if lim.burst == 0 {
		lim.burst = DefaultAuditBurst
	}
	if lim.rate <= 0 {
		lim.rate = DefaultAuditRate
	}
	if lim.now == nil {
		lim.now = time.Now
	}
	return lim
}

// admit decides whether ev may be written now. When it may and records of
// its kind were suppressed before, summary holds their count, to be
// written first.
func (l *auditLimiter) admit(ev *Event, result string) (ok bool, summary *auditSummary) {
	k := auditKind{ev.Module, ev.PID, ev.Op, ev.Decision, result}
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b := l.kinds[k]
	if b == nil {
		if len(l.kinds) >= maxAuditKinds {
			k = auditKind{result: "(other kinds)"}
			b = l.kinds[k]
		}
		if b == nil {
			b = &auditBucket{tokens: l.burst, last: now}
			l.kinds[k] = b
		}
	}
	if el := now.Sub(b.last).Seconds(); el > 0 {
		b.tokens = min(l.burst, b.tokens+el*l.rate)
		b.last = now
	}
	if b.tokens < 1 {
		if b.suppressed == 0 {
			b.first = *ev
		}
		b.suppressed++
		return false, nil
	}
	b.tokens--
	if b.suppressed > 0 {
		summary = b.summary(result)
	}
	return true, summary
}

// summary takes the bucket's count as a record; the caller holds mu.
func (b *auditBucket) summary(result string) *auditSummary {
	ev := b.first
	ev.Time, ev.Path, ev.Path2, ev.Written, ev.Written2 = time.Time{}, "", "", "", ""
	ev.Detail = fmt.Sprintf("suppressed %d similar records (rate limit) since %s", b.suppressed, b.first.Time.Format(time.RFC3339Nano))
	if b.first.Time.IsZero() {
		ev.Detail = fmt.Sprintf("suppressed %d similar records (rate limit)", b.suppressed)
	}
	s := &auditSummary{ev: &ev, result: result, n: b.suppressed}
	b.suppressed, b.first = 0, Event{}
	return s
}

// drain returns the counts of every kind with suppressed records.
func (l *auditLimiter) drain() []*auditSummary {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []*auditSummary
	for k, b := range l.kinds {
		if b.suppressed > 0 {
			out = append(out, b.summary(k.result))
		}
	}
	return out
}

// quotaWriter passes whole writes to w while they fit in max minus the
// reserve, and counts the ones it drops. The Auditor serialises its use.
type quotaWriter struct {
	w        io.Writer
	max      int64
	written  int64
	dropped  uint64
	noticed  bool // the "limit reached" record was written
	reserved bool // the current write may use the reserve
}

func (q *quotaWriter) Write(p []byte) (int, error) {
	limit := q.max - auditReserve
	if q.reserved {
		limit = q.max
	}
	if q.written+int64(len(p)) > limit {
		if !q.reserved {
			q.dropped++
		}
		return len(p), nil // dropped, which is not the writer's failure
	}
	n, err := q.w.Write(p)
	q.written += int64(n)
	return n, err
}

// noticeDue reports (once) that a record was dropped for the first time.
func (q *quotaWriter) noticeDue() bool {
	if q.dropped == 0 || q.noticed {
		return false
	}
	q.noticed = true
	return true
}

// inReserve runs fn with the reserve available.
func (q *quotaWriter) inReserve(fn func()) {
	q.reserved = true
	defer func() { q.reserved = false }()
	fn()
}

// takeDropped returns and resets the count of dropped records.
func (q *quotaWriter) takeDropped() uint64 {
	d := q.dropped
	q.dropped = 0
	return d
}
