package store

import (
	"errors"
	"fmt"
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
	region region
	// Importers counts the instances that imported this memory; the
	// defining instance may release it on close only while it is zero.
	Importers atomic.Int32
	// growMu serialises growth (threads of a shared memory grow it
	// concurrently).
	growMu sync.Mutex
	// waiters are the threads in memory.atomic.wait.
	waiters waitQueues
}

// ErrMemoryLimit reports a memory whose minimum exceeds the configured limit.
var ErrMemoryLimit = errors.New("memory size exceeds limit")

// NewMemory creates a memory of type typ. limitPages caps the maximum (0
// means the 32-bit maximum, 65536 pages).
func NewMemory(typ wasm.MemoryType, limitPages uint32) (*Memory, error) {
	max := uint64(wasm.MaxPages32)
	if limitPages != 0 && uint64(limitPages) < max {
		max = uint64(limitPages)
	}
	if typ.Limits.HasMax && typ.Limits.Max < max {
		max = typ.Limits.Max
	}
	if typ.Limits.Min > max {
		return nil, fmt.Errorf("%w: minimum %d pages, limit %d", ErrMemoryLimit, typ.Limits.Min, max)
	}
	m := &Memory{Type: typ, max: max}
	reserve := max
	if is32bit && !typ.Shared && reserve > unsharedReserve {
		reserve = unsharedReserve
		if typ.Limits.Min > reserve {
			reserve = typ.Limits.Min
		}
	}
	if err := m.region.reserve(reserve * wasm.PageSize); err != nil {
		return nil, err
	}
	if err := m.region.commit(typ.Limits.Min * wasm.PageSize); err != nil {
		m.region.release()
		return nil, err
	}
	m.setBuf(m.region.bytes(typ.Limits.Min * wasm.PageSize))
	setFinalizer(m)
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
			return 0, false
		}
		if err := r.commit(size); err != nil {
			r.release()
			return 0, false
		}
		nb := r.bytes(size)
		copy(nb, m.Buf)
		m.region.release()
		m.region = r
		m.setBuf(nb)
		return old, true
	}
	if err := m.region.commit(size); err != nil {
		return 0, false
	}
	m.setBuf(m.region.bytes(size))
	return old, true
}

// Release unmaps the memory now instead of when it is garbage collected.
// Afterwards the memory is empty (Buf is nil) and cannot grow.
func (m *Memory) Release() {
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
