package store

import (
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

// totalLimiter allows a total of memory bytes and table elements over
// every object it is given to.
type totalLimiter struct {
	memLimit, memUsed uint64
	tabLimit, tabUsed uint64
	refused           int
}

func (l *totalLimiter) GrowMemory(cur, want uint64) bool {
	return l.grow(&l.memUsed, l.memLimit, cur, want)
}

func (l *totalLimiter) GrowTable(cur, want uint64) bool {
	return l.grow(&l.tabUsed, l.tabLimit, cur, want)
}

func (l *totalLimiter) grow(used *uint64, limit, cur, want uint64) bool {
	if want <= cur {
		*used -= cur - want
		return true
	}
	if *used+want-cur > limit {
		l.refused++
		return false
	}
	*used += want - cur
	return true
}

func TestLimiterMemories(t *testing.T) {
	lim := &totalLimiter{memLimit: 5 * wasm.PageSize}
	a, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 2}}, 0, lim)
	if err != nil {
		t.Fatal(err)
	}
	b, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}}, 0, lim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 3}}, 0, lim); !errors.Is(err, ErrLimiterRefused) || !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("third memory: %v, want a refused initial size", err)
	}
	if _, ok := a.Grow(1); !ok {
		t.Fatal("grow within the total refused")
	}
	if _, ok := b.Grow(2); ok {
		t.Fatal("grow past the total allowed")
	}
	if _, ok := b.Grow(0); !ok {
		t.Fatal("grow by 0 refused")
	}
	if old, ok := b.Grow(1); !ok || old != 1 || lim.memUsed != 5*wasm.PageSize {
		t.Fatalf("grow to the total: old %d ok %v, used %d", old, ok, lim.memUsed)
	}
	a.Release()
	if lim.memUsed != 2*wasm.PageSize {
		t.Fatalf("after Release: used %d, want %d", lim.memUsed, 2*wasm.PageSize)
	}
	b.ReleaseQuota()
	if lim.memUsed != 0 {
		t.Fatalf("after ReleaseQuota: used %d", lim.memUsed)
	}
	b.Release()
	if lim.memUsed != 0 {
		t.Fatalf("Release after ReleaseQuota gave back twice: used %d", lim.memUsed)
	}
}

func TestLimiterTables(t *testing.T) {
	lim := &totalLimiter{tabLimit: 10}
	tt := wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 4}}
	a, err := NewTable(tt, nil, lim)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := NewTable(wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 7}}, nil, lim); !errors.Is(err, ErrLimiterRefused) {
		t.Fatalf("second table: %v, want a refused initial size", err)
	}
	if _, ok := a.Grow(7, nil); ok {
		t.Fatal("grow past the total allowed")
	}
	if old, ok := a.Grow(6, nil); !ok || old != 4 || a.Size() != 10 {
		t.Fatalf("grow to the total: old %d ok %v size %d", old, ok, a.Size())
	}
	a.ReleaseQuota()
	if lim.tabUsed != 0 || lim.refused != 2 {
		t.Fatalf("used %d refused %d, want 0 and 2", lim.tabUsed, lim.refused)
	}
}
