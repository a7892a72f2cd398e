package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeClock is a settable time source for the rate limiter.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

// TestAuditFloodIsRateLimited: 200,000 identical denials write a bounded
// number of records, a record of another kind is still written in the
// middle of the flood, and the suppressed ones are counted in one
// "suppressed" record when the kind may write again and at Flush.
func TestAuditFloodIsRateLimited(t *testing.T) {
	var buf bytes.Buffer
	clock := &fakeClock{t: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	a := NewJSONAuditorLimits(&buf, AuditLimits{Burst: 10, PerSecond: 2, now: clock.now})
	ctx := context.Background()
	who := Subject{Module: "bomb.wasm", PID: 1, TID: 1}
	deny := deny(OpOpen, "/etc/passwd", DenyNotGranted, "path is outside every mounted directory")
	const flood = 200000
	for i := 0; i < flood; i++ {
		a.RecordResult(ctx, who, Event{Op: OpOpen, Path: fmt.Sprintf("/etc/p%d", i)}, deny)
		if i == flood/2 {
			// A real record of another kind is not buried.
			a.RecordResult(ctx, who, Event{Op: OpConnect}, deny)
		}
	}
	clock.advance(500 * time.Millisecond) // one token: the summary goes out before the next record
	a.RecordResult(ctx, who, Event{Op: OpOpen, Path: "/etc/last"}, deny)
	a.RecordResult(ctx, who, Event{Op: OpOpen, Path: "/etc/gone"}, deny) // suppressed
	a.Flush(ctx)

	recs := decodeLines(t, &buf)
	if len(recs) > 20 || buf.Len() > 20<<10 {
		t.Fatalf("%d records, %d bytes for a flood of %d", len(recs), buf.Len(), flood)
	}
	var opens, connects int
	var suppressed []float64
	for _, r := range recs {
		switch {
		case r["suppressed"] != nil:
			suppressed = append(suppressed, r["suppressed"].(float64))
			if r["op"] != "open" || r["decision"] != "denied" || !strings.Contains(fmt.Sprint(r["detail"]), "similar records") {
				t.Errorf("summary record %v", r)
			}
		case r["op"] == "open":
			opens++
		case r["op"] == "connect":
			connects++
		}
	}
	if opens != 11 || connects != 1 {
		t.Errorf("%d open and %d connect records written, want 11 and 1", opens, connects)
	}
	if len(suppressed) != 2 || suppressed[0] != flood-10 || suppressed[1] != 1 {
		t.Errorf("suppressed counts %v, want [%d 1]", suppressed, flood-10)
	}
	if last := recs[len(recs)-2]; last["path"] != "/etc/last" {
		t.Errorf("record before the final summary: %v", last)
	}
}

// TestAuditByteQuota: past MaxBytes nothing more is written but one
// notice, and Flush reports how many records were dropped.
func TestAuditByteQuota(t *testing.T) {
	var buf bytes.Buffer
	a := NewJSONAuditorLimits(&buf, AuditLimits{Burst: -1, MaxBytes: 8 << 10})
	ctx := context.Background()
	who := Subject{Module: "m", PID: 1, TID: 1}
	for i := 0; i < 10000; i++ {
		a.RecordResult(ctx, who, Event{Op: OpMkdir, Path: fmt.Sprintf("/d/%d", i)}, syscall.Errno(0))
	}
	a.Flush(ctx)
	if buf.Len() > 8<<10 {
		t.Fatalf("%d bytes written, limit %d", buf.Len(), 8<<10)
	}
	recs := decodeLines(t, &buf)
	notice, summary := recs[len(recs)-2], recs[len(recs)-1]
	if !strings.Contains(fmt.Sprint(notice["detail"]), "size limit") {
		t.Errorf("no size-limit notice: %v", notice)
	}
	written := len(recs) - 2
	if d, ok := summary["dropped"].(float64); !ok || int(d) != 10000-written {
		t.Errorf("summary %v, want %d dropped", summary, 10000-written)
	}
}

// TestAuditUnlimited: a negative Burst and no MaxBytes write everything.
func TestAuditUnlimited(t *testing.T) {
	var buf bytes.Buffer
	a := NewJSONAuditorLimits(&buf, AuditLimits{Burst: -1})
	for i := 0; i < 500; i++ {
		a.RecordResult(context.Background(), Subject{}, Event{Op: OpOpen}, syscall.ENOENT)
	}
	if n := len(decodeLines(t, &buf)); n != 500 {
		t.Fatalf("%d records, want 500", n)
	}
}

// TestAuditLimitsConcurrent: records from many goroutines are written
// whole, and written, suppressed and dropped records add up.
func TestAuditLimitsConcurrent(t *testing.T) {
	var buf bytes.Buffer
	a := NewJSONAuditorLimits(&buf, AuditLimits{Burst: 50, PerSecond: 1, MaxBytes: 16 << 10})
	const workers, each = 8, 1000
	done := make(chan struct{})
	for w := 0; w < workers; w++ {
		go func(w int) {
			defer func() { done <- struct{}{} }()
			for i := 0; i < each; i++ {
				a.RecordResult(context.Background(), Subject{Module: "m", PID: int32(w % 2)}, Event{Op: OpOpen, Path: "/p"}, syscall.ENOENT)
			}
		}(w)
	}
	for w := 0; w < workers; w++ {
		<-done
	}
	a.Flush(context.Background())
	var written, counted int
	for _, r := range decodeLines(t, &buf) {
		switch {
		case r["suppressed"] != nil:
			counted += int(r["suppressed"].(float64))
		case r["dropped"] != nil:
			counted += int(r["dropped"].(float64))
		case r["op"] == "open":
			written++
		}
	}
	if written+counted != workers*each {
		t.Errorf("%d written + %d counted, want %d", written, counted, workers*each)
	}
}
