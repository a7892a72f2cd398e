package kiln

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
)

// heapLimiter is a Limiter and HeapLimiter that leaves memories and
// tables alone and caps the other host memory at limit bytes.
type heapLimiter struct {
	mu          sync.Mutex
	limit, used uint64
	peak        uint64
	refused     int
}

func (l *heapLimiter) GrowMemory(cur, want uint64) bool { return true }
func (l *heapLimiter) GrowTable(cur, want uint64) bool  { return true }

func (l *heapLimiter) GrowHeap(cur, want uint64) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if ok := grow(&l.used, l.limit, cur, want, &l.refused); !ok {
		return false
	}
	l.peak = max(l.peak, l.used)
	return true
}

func (l *heapLimiter) usedNow() uint64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.used
}

// elemSegmentsWAT has a passive element segment of 1000 entries and an
// active one of 10.
func elemSegmentsWAT() string {
	return `(module (table 10 funcref) (func $f)
	  (elem $p func ` + strings.Repeat("$f ", 1000) + `)
	  (elem (i32.const 0) func ` + strings.Repeat("$f ", 10) + `)
	  (func (export "drop") (elem.drop $p)))`
}

// TestLimiterElementSegments: element segments are charged to a
// HeapLimiter at TableElementBytes per entry while the instance holds
// them; an applied active segment, elem.drop and Close give them back,
// and a limit below them fails the instantiation.
func TestLimiterElementSegments(t *testing.T) {
	lim := &heapLimiter{limit: 1 << 20}
	rt := NewRuntime(RuntimeConfig{Limiter: lim})
	inst := instantiate(t, rt, elemSegmentsWAT())
	if lim.peak != 1010*TableElementBytes || lim.used != 1000*TableElementBytes {
		t.Fatalf("charged peak %d, now %d; want %d then %d", lim.peak, lim.used, 1010*TableElementBytes, 1000*TableElementBytes)
	}
	if _, err := inst.Func("drop").Call(context.Background()); err != nil || lim.used != 0 {
		t.Fatalf("after elem.drop: %v, %d bytes charged", err, lim.used)
	}
	inst = instantiate(t, rt, elemSegmentsWAT())
	inst.Close(context.Background())
	if lim.used != 0 {
		t.Fatalf("after Close: %d bytes charged", lim.used)
	}
	lim.limit = 1000 * TableElementBytes
	_, err := rt.Instantiate(context.Background(), compile(t, rt, elemSegmentsWAT()), ModuleConfig{})
	if !errors.Is(err, ErrLimiterRefused) || lim.used != 0 {
		t.Fatalf("over the limit: %v, %d bytes left charged; want ErrLimiterRefused and 0", err, lim.used)
	}
}
