package interp

import "strconv"

// gcCreditChunk is how many bytes of GC heap a Run reserves at a time, so
// that small allocations do not each update the shared account.
const gcCreditChunk = 256 << 10

// chargeGC reserves size bytes for a GC object of the current instance
// before it is allocated, or reports false (the GC heap is exhausted).
func (m *Machine) chargeGC(size int64) bool {
	h, lim := m.inst.Heap, m.inst.Limiter
	if h == nil {
		return true
	}
	if h != m.gcHeap || lim != m.gcLim {
		m.returnGCCredit()
		m.gcHeap, m.gcLim = h, lim
	}
	if size > m.gcCredit {
		need := size - m.gcCredit
		got := h.Reserve(lim, need, need+gcCreditChunk)
		if got == 0 {
			if h.Used()+need > h.Limit() {
				m.detail = "(live GC objects would exceed " + strconv.FormatInt(h.Limit(), 10) + " bytes)"
			} else {
				m.detail = "(refused by the resource limiter)"
			}
			return false
		}
		m.gcCredit += got
	}
	m.gcCredit -= size
	return true
}

// trackGC arranges for a GC object charged by chargeGC to give its bytes
// back when collected.
func (m *Machine) trackGC(obj any, size int64) {
	if h := m.inst.Heap; h != nil {
		m.gcSampler.Track(h, m.inst.Limiter, obj, size)
	}
}

// returnGCCredit gives back the GC heap reserved but not used.
func (m *Machine) returnGCCredit() {
	if m.gcCredit != 0 {
		m.gcHeap.Release(m.gcLim, m.gcCredit)
		m.gcCredit = 0
	}
	m.gcHeap, m.gcLim = nil, nil
}
