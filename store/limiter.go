package store

// Limiter decides whether memories and tables may take more space. It is
// how an embedder caps the total size of all the memories and tables of a
// guest (per-object maxima are the type's and the runtime's).
//
// It is consulted with the object's current and wanted size (bytes for a
// memory, elements for a table) when a memory or table is created (current
// 0) and before every growth that the object's own maximum allows;
// refusing makes creation fail and memory.grow / table.grow return -1. A
// call with wanted < current reports space given back (a growth that
// failed after approval, a released memory); its result is ignored.
// Objects without a Limiter (the default) pay one nil test per growth.
type Limiter interface {
	GrowMemory(current, wanted uint64) bool
	GrowTable(current, wanted uint64) bool
}

// HeapLimiter is implemented by Limiters that also approve the rest of
// the host memory the engine holds for a guest: GC objects, the frame
// stack beyond its initial size and element segments. GrowHeap is called
// like GrowMemory, with the bytes of one such block before and after
// (several blocks are charged at once, so implementations must work on
// the difference). A Limiter without it leaves that memory to the
// runtime's own caps.
type HeapLimiter interface {
	GrowHeap(current, wanted uint64) bool
}

// TableElemBytes is the host memory of one table element (an interface
// value), what a table costs per element beside its element count.
const TableElemBytes = 16

// GrowHeap asks lim, when it is a HeapLimiter, to approve a change of
// host memory from cur to want bytes; it approves when lim is not one.
func GrowHeap(lim Limiter, cur, want uint64) bool {
	if h, ok := lim.(HeapLimiter); ok {
		return h.GrowHeap(cur, want)
	}
	return true
}

// HeapUnbounded is implemented by HeapLimiters that can tell they
// approve every GrowHeap (an account without a memory limit).
type HeapUnbounded interface {
	HeapUnbounded() bool
}

// HeapLimited reports whether lim may refuse host memory (GrowHeap):
// whether the engine must charge it the memory it holds for a guest.
func HeapLimited(lim Limiter) bool {
	if _, ok := lim.(HeapLimiter); !ok {
		return false
	}
	u, ok := lim.(HeapUnbounded)
	return !ok || !u.HeapUnbounded()
}
