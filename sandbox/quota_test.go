package sandbox

import (
	"context"
	"errors"
	"math"
	"sync"
	"testing"
	"time"
)

func TestAccountLimits(t *testing.T) {
	a := NewAccount(Limits{Threads: 2, MemoryBytes: 1 << 20, NetSendBytes: 100})
	if err := a.Acquire(ResThreads, 1); err != nil {
		t.Fatal(err)
	}
	if err := a.Acquire(ResThreads, 1); err != nil {
		t.Fatal(err)
	}
	err := a.Acquire(ResThreads, 1)
	var q *QuotaExceeded
	if !errors.As(err, &q) || !errors.Is(err, ErrQuotaExceeded) {
		t.Fatalf("third thread: %v", err)
	}
	if *q != (QuotaExceeded{Resource: ResThreads, Limit: 2, Used: 2, Requested: 1}) {
		t.Errorf("QuotaExceeded = %+v", *q)
	}
	if want := "quota exceeded: threads: requested 1, used 2 of 2"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err.Error(), want)
	}
	if a.Used(ResThreads) != 2 {
		t.Errorf("a refused charge changed usage to %d", a.Used(ResThreads))
	}
	a.Release(ResThreads, 1)
	if err := a.Acquire(ResThreads, 1); err != nil {
		t.Errorf("after release: %v", err)
	}

	// Exactly up to the limit is allowed, one past is not.
	if err := a.Acquire(ResMemory, 1<<20); err != nil {
		t.Errorf("memory up to the limit: %v", err)
	}
	if err := a.Acquire(ResMemory, 1); err == nil {
		t.Error("memory past the limit allowed")
	}
	// Overflowing the counter is a refusal, not a wrap-around.
	if err := a.Acquire(ResNetSend, math.MaxUint64); err == nil {
		t.Error("huge charge allowed")
	}
	if err := a.Acquire(ResNetSend, 60); err != nil {
		t.Error(err)
	}
	if err := a.Acquire(ResNetSend, 41); err == nil {
		t.Error("cumulative bytes past the limit allowed")
	}
	if r, limited := a.Remaining(ResNetSend); !limited || r != 40 {
		t.Errorf("Remaining = %d, %v", r, limited)
	}
	// Releasing more than is held clamps at zero.
	a.Release(ResMemory, 1<<30)
	if a.Used(ResMemory) != 0 {
		t.Errorf("usage after over-release = %d", a.Used(ResMemory))
	}
}

func TestAccountUnlimited(t *testing.T) {
	a := NewAccount(Limits{})
	for r := Resource(0); r < resourceCount; r++ {
		if r == ResWallTime {
			continue
		}
		if err := a.Acquire(r, math.MaxUint64/2); err != nil {
			t.Errorf("%v: %v", r, err)
		}
		if a.Used(r) != math.MaxUint64/2 {
			t.Errorf("%v: usage not counted", r)
		}
		if _, limited := a.Remaining(r); limited {
			t.Errorf("%v: reported limited", r)
		}
	}
	var none *Account
	if err := none.Acquire(ResThreads, 1<<40); err != nil || none.Used(ResThreads) != 0 || none.CheckWallTime() != nil {
		t.Error("nil account is not a no-op")
	}
	none.Release(ResThreads, 1)
	if n := testing.AllocsPerRun(100, func() { _ = none.Acquire(ResFuel, 1); _ = a.Acquire(ResFuel, 1) }); n != 0 {
		t.Errorf("unlimited Acquire allocates %v times", n)
	}
}

func TestAccountConcurrent(t *testing.T) {
	const limit, workers, tries = 50, 8, 200
	a := NewAccount(Limits{Descriptors: limit, FileWriteBytes: limit * 10})
	var mu sync.Mutex
	peak := uint64(0)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			held := 0
			for i := 0; i < tries; i++ {
				if a.Acquire(ResDescriptors, 1) == nil {
					held++
				}
				if u := a.Used(ResDescriptors); u > limit {
					mu.Lock()
					if u > peak {
						peak = u
					}
					mu.Unlock()
				}
				if i%3 == 0 && held > 0 {
					a.Release(ResDescriptors, 1)
					held--
				}
				_ = a.Acquire(ResFileWrite, 1)
			}
			a.Release(ResDescriptors, uint64(held))
		}()
	}
	wg.Wait()
	if peak != 0 {
		t.Errorf("usage reached %d, over the limit %d", peak, limit)
	}
	if u := a.Used(ResDescriptors); u != 0 {
		t.Errorf("descriptors in use after every release: %d", u)
	}
	if u := a.Used(ResFileWrite); u != limit*10 {
		t.Errorf("cumulative usage %d, want exactly the limit %d", u, limit*10)
	}
}

func TestAccountWallTime(t *testing.T) {
	a := NewAccount(Limits{WallTime: time.Nanosecond})
	time.Sleep(time.Millisecond)
	err := a.CheckWallTime()
	var q *QuotaExceeded
	if !errors.As(err, &q) || q.Resource != ResWallTime {
		t.Fatalf("CheckWallTime = %v", err)
	}
	ctx, cancel := a.Context(context.Background())
	defer cancel()
	<-ctx.Done()
	if !errors.As(context.Cause(ctx), &q) || q.Resource != ResWallTime {
		t.Errorf("context cause = %v", context.Cause(ctx))
	}
	if _, ok := NewAccount(Limits{}).Deadline(); ok {
		t.Error("deadline without a wall-time limit")
	}
	ctx, cancel = NewAccount(Limits{}).Context(context.Background())
	if ctx.Err() != nil {
		t.Error("unlimited context already done")
	}
	cancel()
}

func TestAccountUsage(t *testing.T) {
	a := NewAccount(Limits{})
	_ = a.Acquire(ResMemory, 65536)
	_ = a.Acquire(ResCPUTime, uint64(time.Millisecond))
	_ = a.Acquire(ResNetRecv, 10)
	u := a.Usage()
	if u.MemoryBytes != 65536 || u.CPUTime != time.Millisecond || u.NetRecvBytes != 10 || u.Threads != 0 || u.WallTime <= 0 {
		t.Errorf("usage %+v", u)
	}
	if (*Account)(nil).Usage() != (Limits{}) {
		t.Error("nil account has usage")
	}
	if err := NewAccount(Limits{WallTime: time.Hour}).Acquire(ResWallTime, 1<<60); err != nil {
		t.Errorf("wall time within the limit: %v", err)
	}
}

func BenchmarkAcquire(b *testing.B) {
	for _, bc := range []struct {
		name string
		a    *Account
	}{{"nil", nil}, {"unlimited", NewAccount(Limits{})}, {"limited", NewAccount(Limits{NetSendBytes: 1 << 62})}} {
		b.Run(bc.name, func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				_ = bc.a.Acquire(ResNetSend, 1)
			}
		})
	}
}

func TestLimitsMapping(t *testing.T) {
	l := Limits{MemoryBytes: 1, TableElements: 2, Fuel: 3, CPUTime: 4, WallTime: 5, Descriptors: 6,
		Threads: 7, Processes: 8, Sockets: 9, FileWriteBytes: 10, NetSendBytes: 11, NetRecvBytes: 12, FileEntries: 13}
	a := NewAccount(l)
	for r := Resource(0); r < resourceCount; r++ {
		if got := a.Limit(r); got != uint64(r)+1 {
			t.Errorf("Limit(%v) = %d, want %d", r, got, uint64(r)+1)
		}
		if r.String() == "" || r.String()[0] == 'R' {
			t.Errorf("resource %d has no name", r)
		}
	}
}

// TestAccountEveryResource charges each resource up to its limit, checks
// that one more unit is refused without being charged, and that Release
// gives back gauges only.
func TestAccountEveryResource(t *testing.T) {
	const limit = 10
	l := Limits{MemoryBytes: limit, TableElements: limit, Fuel: limit, CPUTime: limit, Descriptors: limit,
		Threads: limit, Processes: limit, Sockets: limit, FileWriteBytes: limit, NetSendBytes: limit, NetRecvBytes: limit, FileEntries: limit}
	for r := Resource(0); r < resourceCount; r++ {
		if r == ResWallTime {
			continue // a deadline, not a count: TestAccountWallTime
		}
		a := NewAccount(l)
		if err := a.Acquire(r, limit-1); err != nil {
			t.Fatalf("%v: %v", r, err)
		}
		if err := a.Acquire(r, 1); err != nil {
			t.Fatalf("%v: charging up to the limit: %v", r, err)
		}
		err := a.Acquire(r, 1)
		var q *QuotaExceeded
		if !errors.As(err, &q) || q.Resource != r || q.Used != limit || a.Used(r) != limit {
			t.Errorf("%v: over the limit: err %v, used %d", r, err, a.Used(r))
		}
		a.Release(r, 1)
		gauge := r == ResMemory || r == ResTable || r == ResDescriptors || r == ResThreads || r == ResProcesses || r == ResSockets
		want := uint64(limit)
		if gauge {
			want--
		}
		if got := a.Used(r); got != want {
			t.Errorf("%v (gauge %v): used %d after Release, want %d", r, gauge, got, want)
		}
	}
}

func TestAccountAcquireUpToAndRefund(t *testing.T) {
	a := NewAccount(Limits{FileWriteBytes: 10, Sockets: 1})
	steps := []struct {
		want, got uint64
		refused   bool
	}{
		{4, 4, false}, // fits
		{0, 0, false}, // nothing asked, nothing refused
		{8, 6, false}, // only 6 left: shortened
		{1, 0, true},  // nothing left
	}
	for i, s := range steps {
		got, err := a.AcquireUpTo(ResFileWrite, s.want)
		if got != s.got || (err != nil) != s.refused || (err != nil && !errors.Is(err, ErrQuotaExceeded)) {
			t.Fatalf("step %d: AcquireUpTo(%d) = %d, %v; want %d, refused %v", i, s.want, got, err, s.got, s.refused)
		}
	}
	// A refund gives back what a transfer did not use, even for a
	// cumulative resource (Release does not).
	a.Release(ResFileWrite, 3)
	if u := a.Used(ResFileWrite); u != 10 {
		t.Fatalf("Release changed a cumulative resource: %d", u)
	}
	a.Refund(ResFileWrite, 3)
	if got, err := a.AcquireUpTo(ResFileWrite, 5); got != 3 || err != nil {
		t.Fatalf("after a refund of 3: %d, %v", got, err)
	}
	a.Refund(ResFileWrite, 100) // clamps at zero
	if u := a.Used(ResFileWrite); u != 0 {
		t.Fatalf("used after an oversized refund = %d", u)
	}
	// Unlimited resources and a nil Account grant everything.
	if got, err := a.AcquireUpTo(ResNetSend, 1<<40); got != 1<<40 || err != nil {
		t.Fatalf("unlimited: %d, %v", got, err)
	}
	var none *Account
	if got, err := none.AcquireUpTo(ResFileWrite, 7); got != 7 || err != nil {
		t.Fatalf("nil account: %d, %v", got, err)
	}
	none.Refund(ResFileWrite, 7)
}

func TestAccountReached(t *testing.T) {
	a := NewAccount(Limits{FileWriteBytes: 10, Sockets: 1, NetSendBytes: 100})
	if got := a.Reached(); len(got) != 0 {
		t.Fatalf("fresh account reached %v", got)
	}
	if n, err := a.AcquireUpTo(ResFileWrite, 4); n != 4 || err != nil {
		t.Fatalf("AcquireUpTo = %d, %v", n, err)
	}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.Acquire(ResSockets, 1))
	must(a.Acquire(ResNetSend, 100)) // exactly the limit is not reaching beyond it
	if got := a.Reached(); len(got) != 0 {
		t.Fatalf("charges within the limits reached %v", got)
	}
	if n, _ := a.AcquireUpTo(ResFileWrite, 10); n != 6 { // shortened
		t.Fatalf("AcquireUpTo granted %d, want 6", n)
	}
	if a.Acquire(ResSockets, 1) == nil { // refused
		t.Fatal("second socket allowed")
	}
	got := a.Reached()
	if len(got) != 2 || got[0] != ResSockets || got[1] != ResFileWrite {
		t.Fatalf("Reached = %v, want sockets and file writes", got)
	}
	var none *Account
	if none.Reached() != nil {
		t.Fatal("nil account reached something")
	}
}
