package store

import (
	"errors"
	"fmt"
	"os"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/kilnrt/kiln/wasm"
)

// unsharedReserve is how many pages an unshared memory reserves up front
// on 32-bit hosts, whose address space cannot hold many 4 GiB
// reservations; growing past it moves the memory. On 64-bit hosts every
// memory reserves its whole maximum (address space only) and never moves.
const unsharedReserve = 1024

const is32bit = ^uintptr(0) == 0xFFFFFFFF

// Memory is a linear memory. Buf holds exactly the current size in bytes.
//
// Threads of a shared memory run on several goroutines: they must read
// the memory's bytes with Bytes (an atomic load of the current view), not
// Buf, which only the growing thread may read safely.
type Memory struct {
	Type wasm.MemoryType
	Buf  []byte
	// view is the current contents of a shared memory.
	view atomic.Pointer[[]byte]
	// max is the effective maximum in pages.
	max uint64
	// region is the reserved mapping Buf is a prefix of.
	region *region
	// Importers counts the instances that imported this memory; the
	// defining instance may release it on close only while it is zero.
	Importers atomic.Int32
	// growMu serialises growth (threads of a shared memory grow it
	// concurrently).
	growMu sync.Mutex
	// waiters are the threads in memory.atomic.wait.
	waiters waitQueues
	// limiter, when not nil, approves every growth (see Limiter).
	limiter Limiter
}

// ErrMemoryLimit reports a memory whose minimum exceeds the configured limit.
var ErrMemoryLimit = errors.New("memory size exceeds limit")

// ErrLimiterRefused reports an initial memory or table size that the
// Limiter refused.
var ErrLimiterRefused = errors.New("refused by the resource limiter")

// pagesText gives a size in pages with its bytes, "100 pages (6.25 MiB)",
// since limits are set in either unit.
func pagesText(pages uint64) string {
	unit := "page"
	if pages != 1 {
		unit = "pages"
	}
	return fmt.Sprintf("%d %s (%s)", pages, unit, byteText(pages*wasm.PageSize))
}

// byteText formats n bytes in the largest binary unit it reaches
// ("64 KiB", "6.25 MiB").
func byteText(n uint64) string {
	units := []string{"bytes", "KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n), 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	return strconv.FormatFloat(v, 'f', -1, 64) + " " + units[i]
}

// NewMemory creates a memory of type typ. limitPages caps the maximum (0
// means the 32-bit maximum, 65536 pages). lim, when not nil, must approve
// the initial size and every growth.
func NewMemory(typ wasm.MemoryType, limitPages uint32, lim Limiter) (*Memory, error) {
	max := uint64(wasm.MaxPages32)
	if limitPages != 0 && uint64(limitPages) < max {
		max = uint64(limitPages)
	}
	if typ.Limits.HasMax && typ.Limits.Max < max {
		max = typ.Limits.Max
	}
	if typ.Limits.Min > max {
		return nil, fmt.Errorf("%w: minimum %s, limit %s", ErrMemoryLimit, pagesText(typ.Limits.Min), pagesText(max))
	}
	size := typ.Limits.Min * wasm.PageSize
	if lim != nil && !lim.GrowMemory(0, size) {
		return nil, fmt.Errorf("%w: initial size of %s %w", ErrMemoryLimit, pagesText(typ.Limits.Min), ErrLimiterRefused)
	}
	m := &Memory{Type: typ, max: max, limiter: lim, region: new(region)}
	reserve := max
	if is32bit && !typ.Shared && reserve > unsharedReserve {
		reserve = unsharedReserve
		if typ.Limits.Min > reserve {
			reserve = typ.Limits.Min
		}
	}
	if err := m.region.reserve(reserve * wasm.PageSize); err != nil {
		m.giveBack(size, 0)
		return nil, err
	}
	if err := m.region.commit(size); err != nil {
		m.region.release()
		m.giveBack(size, 0)
		return nil, err
	}
	m.setBuf(m.region.bytes(size))
	releaseWhenCollected(m)
	return m, nil
}

// Pages returns the current size in pages.
func (m *Memory) Pages() uint32 { return uint32(uint64(len(m.Bytes())) / wasm.PageSize) }

// Max returns the effective maximum in pages.
func (m *Memory) Max() uint64 { return m.max }

// Grow adds delta pages and returns the old size in pages, or false if the
// memory cannot grow that far (the memory is unchanged then).
func (m *Memory) Grow(delta uint64) (uint64, bool) {
	m.growMu.Lock()
	defer m.growMu.Unlock()
	old := uint64(len(m.Buf)) / wasm.PageSize // Buf is stable under growMu
	if delta > m.max-old || old > m.max {
		return 0, false
	}
	n := old + delta
	if delta == 0 {
		return old, true
	}
	size := n * wasm.PageSize
	if m.limiter != nil && !m.limiter.GrowMemory(old*wasm.PageSize, size) {
		return 0, false
	}
	if size > m.region.size() {
		// Only unshared memories get here: move to a larger reservation.
		reserve := m.region.size() / wasm.PageSize * 2
		if reserve < n {
			reserve = n
		}
		if reserve > m.max {
			reserve = m.max
		}
		var r region
		if err := r.reserve(reserve * wasm.PageSize); err != nil {
			m.giveBack(size, old*wasm.PageSize)
			return 0, false
		}
		if err := r.commit(size); err != nil {
			r.release()
			m.giveBack(size, old*wasm.PageSize)
			return 0, false
		}
		nb := r.bytes(size)
		copy(nb, m.Buf)
		m.region.release()
		*m.region = r
		m.setBuf(nb)
		return old, true
	}
	if err := m.region.commit(size); err != nil {
		m.giveBack(size, old*wasm.PageSize)
		return 0, false
	}
	m.setBuf(m.region.bytes(size))
	return old, true
}

// giveBack tells the limiter that the memory shrank from cur to want bytes
// (or that an approved growth did not happen).
func (m *Memory) giveBack(cur, want uint64) {
	if m.limiter != nil && cur > want {
		m.limiter.GrowMemory(cur, want)
	}
}

// ReleaseQuota gives the memory's current size back to its limiter, for
// an instantiation that failed after the memory was created. The memory
// stays usable but is no longer limited.
func (m *Memory) ReleaseQuota() {
	m.growMu.Lock()
	defer m.growMu.Unlock()
	m.giveBack(uint64(len(m.Buf)), 0)
	m.limiter = nil
}

// Release unmaps the memory now instead of when it is garbage collected.
// Afterwards the memory is empty (Buf is nil) and cannot grow.
func (m *Memory) Release() {
	m.growMu.Lock()
	defer m.growMu.Unlock()
	m.giveBack(uint64(len(m.Buf)), 0)
	m.setBuf(nil)
	m.max = 0
	m.region.release()
}

// Bytes returns the memory's current contents; it is safe to call while
// another thread grows a shared memory.
func (m *Memory) Bytes() []byte {
	if v := m.view.Load(); v != nil {
		return *v
	}
	return m.Buf
}

func (m *Memory) setBuf(b []byte) {
	m.Buf = b
	if m.Type.Shared {
		m.view.Store(&b)
	}
}

var pageSize = os.Getpagesize()

// Prefault backs bytes [off, off+n) of the memory (clipped to its
// length) with pages before they are written: the data segments of a
// large module are copied into fresh memory at instantiation, and one
// call costs less than a page fault per page. It changes no byte.
func (m *Memory) Prefault(off, n uint64) {
	m.growMu.Lock()
	defer m.growMu.Unlock()
	size := uint64(len(m.Buf))
	if off >= size {
		return
	}
	end := min(off+n, size)
	if end < off { // overflow
		end = size
	}
	start := off &^ uint64(pageSize-1)
	prefault(m.Buf[start:end])
}
