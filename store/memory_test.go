package store

import (
	"errors"
	"testing"

	"github.com/kilnrt/kiln/wasm"
)

func TestMemoryGrow(t *testing.T) {
	m, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1}}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Release()
	m.Buf[65535] = 7
	if old, ok := m.Grow(2000); !ok || old != 1 {
		t.Fatalf("grow = %d, %v", old, ok)
	}
	if m.Pages() != 2001 || m.Buf[65535] != 7 || m.Buf[len(m.Buf)-1] != 0 {
		t.Fatalf("after grow: pages %d", m.Pages())
	}
	if _, ok := m.Grow(70000); ok {
		t.Fatal("grow past 4 GiB succeeded")
	}
}

func TestMemoryMaxAndLimit(t *testing.T) {
	m, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 0, Max: 2, HasMax: true}}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Buf) != 0 {
		t.Fatal("non-empty zero-page memory")
	}
	if _, ok := m.Grow(3); ok {
		t.Fatal("grow past max succeeded")
	}
	if old, ok := m.Grow(2); !ok || old != 0 || len(m.Buf) != 2*wasm.PageSize {
		t.Fatal("grow to max failed")
	}
	if _, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 10}}, 5, nil); err == nil {
		t.Fatal("limit not enforced")
	}
}

func TestSharedMemoryDoesNotMove(t *testing.T) {
	m, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 1, Max: 4000, HasMax: true}, Shared: true}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	p := &m.Buf[0]
	m.Grow(3000)
	if &m.Buf[0] != p {
		t.Fatal("shared memory moved")
	}
}

func TestTableGrowAndTypes(t *testing.T) {
	tb, err := NewTable(wasm.TableType{Elem: wasm.FuncRef, Limits: wasm.Limits{Min: 1, Max: 3, HasMax: true}}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if old, ok := tb.Grow(2, "x"); !ok || old != 1 || tb.Elems[2] != "x" {
		t.Fatal("grow failed")
	}
	if _, ok := tb.Grow(1, nil); ok {
		t.Fatal("grow past max succeeded")
	}
	var ts Types
	a := ts.ID(&wasm.FuncType{Params: []wasm.ValType{wasm.I32}})
	b := ts.ID(&wasm.FuncType{Results: []wasm.ValType{wasm.I32}})
	c := ts.ID(&wasm.FuncType{Params: []wasm.ValType{wasm.I32}})
	if a == b || a != c {
		t.Fatalf("ids %d %d %d", a, b, c)
	}
}

// A memory over the limit is reported in pages and bytes, since the limit
// may have been given in either unit.
func TestMemoryLimitMessage(t *testing.T) {
	_, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 100}}, 16, nil)
	if !errors.Is(err, ErrMemoryLimit) {
		t.Fatalf("err = %v, want ErrMemoryLimit", err)
	}
	if want := "memory size exceeds limit: minimum 100 pages (6.25 MiB), limit 16 pages (1 MiB)"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
	for pages, want := range map[uint64]string{1: "1 page (64 KiB)", 17: "17 pages (1.0625 MiB)", 65536: "65536 pages (4 GiB)"} {
		if got := pagesText(pages); got != want {
			t.Errorf("pagesText(%d) = %q, want %q", pages, got, want)
		}
	}
}

// TestPrefault: prefaulting any range, in bounds, straddling the end,
// beyond it or wrapping around, changes no byte and never panics.
func TestPrefault(t *testing.T) {
	m, err := NewMemory(wasm.MemoryType{Limits: wasm.Limits{Min: 2}}, 0, nil)
	if err != nil {
		t.Fatal(err)
	}
	buf := m.Bytes()
	for i := range buf {
		buf[i] = byte(i * 7)
	}
	size := uint64(len(buf))
	for _, r := range [][2]uint64{{0, size}, {100, 5000}, {size - 10, 100}, {size, 1}, {size + 4096, 1}, {1, ^uint64(0)}, {^uint64(0), 2}} {
		m.Prefault(r[0], r[1])
	}
	for i, b := range m.Bytes() {
		if b != byte(i*7) {
			t.Fatalf("byte %d changed to %d", i, b)
		}
	}
}
