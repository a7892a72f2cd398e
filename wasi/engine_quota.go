package wasi

import (
	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
)

// ModuleConfig returns the instantiation settings that make the engine
// charge the process's account (Config.Limits, Config.Quota): every
// memory and table the instance creates or grows is charged to
// sandbox.ResMemory (bytes; a table's elements at kiln.TableElementBytes
// each) and sandbox.ResTable (elements), so is the engine's other host
// memory for the guest (kiln.HeapLimiter: GC objects, frame stack,
// element segments) to sandbox.ResMemory, and every
// call into the instance draws its fuel from sandbox.ResFuel. A refused
// growth makes memory.grow or table.grow return -1, a refused initial
// size fails the instantiation, and both are audited as quota hits;
// running out of fuel ends the call with kiln.ErrFuelExhausted (audited
// by Outcome). Without an account the engine charges nothing.
//
// The configuration also binds the instance to the process's main thread
// (HostContext, see ThreadOf) and links it through the process's Linker
// (Imports), so that the WASI host functions it calls act on this
// process, even in a runtime shared with other processes.
func (s *System) ModuleConfig() kiln.ModuleConfig {
	cfg := kiln.ModuleConfig{HostContext: s.main, Imports: s.linker}
	if s.quota == nil {
		return cfg
	}
	q := engineQuota{s}
	cfg.Limiter = q
	if s.quota.Limit(sandbox.ResFuel) != 0 {
		cfg.FuelSource = q
	}
	return cfg
}

// engineQuota adapts the account to kiln.Limiter and kiln.FuelSource.
type engineQuota struct{ s *System }

func (q engineQuota) GrowMemory(cur, want uint64) bool {
	return q.grow(sandbox.ResMemory, cur, want)
}

// GrowTable charges the elements to ResTable and their host memory
// (kiln.TableElementBytes each) to ResMemory, both or neither.
func (q engineQuota) GrowTable(cur, want uint64) bool {
	if !q.grow(sandbox.ResTable, cur, want) {
		return false
	}
	const b = kiln.TableElementBytes
	if !q.grow(sandbox.ResMemory, cur*b, want*b) {
		q.grow(sandbox.ResTable, want, cur)
		return false
	}
	return true
}

// GrowHeap charges the engine's other host memory for the guest (GC
// objects, frame stack, element segments) to ResMemory.
func (q engineQuota) GrowHeap(cur, want uint64) bool {
	return q.grow(sandbox.ResMemory, cur, want)
}

// HeapUnbounded reports whether the account has no memory limit, so
// that an engine may hold memory it does not charge (store.HeapLimited).
func (q engineQuota) HeapUnbounded() bool { return q.s.quota.Limit(sandbox.ResMemory) == 0 }

func (q engineQuota) grow(r sandbox.Resource, cur, want uint64) bool {
	a := q.s.quota
	if want <= cur {
		a.Release(r, cur-want)
		return true
	}
	if err := a.Acquire(r, want-cur); err != nil {
		if q.s.auditor != nil {
			q.s.auditor.Audit(q.s.proc.Context(), kernel.AuditEvent{Op: kernel.OpQuota, Err: err})
		}
		return false
	}
	return true
}

func (q engineQuota) Take(n uint64) uint64 {
	got, err := q.s.quota.AcquireUpTo(sandbox.ResFuel, n)
	if err != nil {
		return 0
	}
	return got
}

func (q engineQuota) Return(n uint64) { q.s.quota.Refund(sandbox.ResFuel, n) }
