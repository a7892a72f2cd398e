package kiln

import (
	"context"
	"encoding/binary"
	"sync/atomic"
	"time"
	"unsafe"

	"github.com/kilnrt/kiln/store"
)

// WaitResult is the outcome of Memory.Wait32, numbered as
// memory.atomic.wait returns it.
type WaitResult = store.WaitResult

// Results of Memory.Wait32.
const (
	WaitOK       = store.WaitOK       // woken by Notify (or memory.atomic.notify)
	WaitNotEqual = store.WaitNotEqual // the value differed from the expected one
	WaitTimedOut = store.WaitTimedOut
)

// Wait32 suspends the caller while the 32-bit value at addr equals
// expected, until Notify (or memory.atomic.notify) wakes it or timeout
// passes (negative: no timeout): host functions implement futexes with it,
// sharing the wait queues of memory.atomic.wait32. A cancelled ctx ends
// the wait with its error. An address that is not 4-aligned or not inside
// the memory is a *Trap (unaligned atomic, out of bounds memory access).
func (m *Memory) Wait32(ctx context.Context, addr uint64, expected uint32, timeout time.Duration) (WaitResult, error) {
	p, err := m.word(addr)
	if err != nil {
		return 0, err
	}
	return m.m.Wait(ctx, addr, int64(timeout), func() bool { return leLoad32(p) == expected })
}

// Notify wakes up to count waiters at addr (memory.atomic.notify) and
// returns how many it woke.
func (m *Memory) Notify(addr uint64, count uint32) (uint32, error) {
	if _, err := m.word(addr); err != nil {
		return 0, err
	}
	return m.m.Notify(addr, count), nil
}

// word returns the aligned 32-bit word at addr.
func (m *Memory) word(addr uint64) (*uint32, error) {
	if addr%4 != 0 {
		return nil, &Trap{Code: TrapUnalignedAtomic}
	}
	buf := m.m.Bytes()
	if addr >= uint64(len(buf)) || uint64(len(buf))-addr < 4 {
		return nil, &Trap{Code: TrapOutOfBoundsMemoryAccess}
	}
	return (*uint32)(unsafe.Pointer(&buf[addr])), nil
}

// leLoad32 atomically loads a little-endian word (wasm byte order).
func leLoad32(p *uint32) uint32 {
	v := atomic.LoadUint32(p)
	var b [4]byte
	binary.NativeEndian.PutUint32(b[:], v)
	return binary.LittleEndian.Uint32(b[:])
}
