package store

import (
	"math"
	"math/rand/v2"
	"runtime"
	"sync/atomic"
)

// GCHeap accounts the host memory of the GC objects (struct.new,
// array.new...) of a runtime's instances: an estimate of each object's
// bytes is charged when it is allocated, to the heap's own limit and to
// the allocating instance's HeapLimiter, and given back when the Go
// collector frees the object. Giving back uses cleanups
// (runtime.AddCleanup, which cycles of objects do not hold up as they
// would finalizers): every object of at least GCSampleBytes gets one;
// smaller objects are sampled (a Poisson process over the allocated
// bytes, mean GCSampleBytes between samples) and a sampled object gives
// back the expected bytes of the objects it stands for, so the charge
// follows the live bytes without a cleanup per small object (a guest
// keeping every object alive keeps the samples alive too, and the
// charge grows). It is safe for concurrent use.
type GCHeap struct {
	limit int64
	used  atomic.Int64
}

// GCSampleBytes is the mean distance, in allocated bytes, between small
// GC objects whose collection is tracked.
const GCSampleBytes = 64 << 10

// NewGCHeap returns a heap account of limit bytes.
func NewGCHeap(limit int64) *GCHeap { return &GCHeap{limit: limit} }

// Limit returns the heap's limit in bytes.
func (h *GCHeap) Limit() int64 { return h.limit }

// Used returns the bytes charged now.
func (h *GCHeap) Used() int64 { return h.used.Load() }

// Reserve charges want bytes, or at least need bytes when want does not
// fit, to the heap and to lim (a HeapLimiter, else only the heap), and
// returns what it charged: 0 (nothing) when need does not fit. Before
// refusing it collects garbage, so that objects already dead give their
// bytes back.
func (h *GCHeap) Reserve(lim Limiter, need, want int64) int64 {
	for try := 0; ; try++ {
		for _, n := range [2]int64{want, need} {
			if h.take(n) {
				if GrowHeap(lim, 0, uint64(n)) {
					return n
				}
				h.used.Add(-n)
			}
		}
		if try == 2 {
			return 0
		}
		// Dead objects give their bytes back from their cleanups,
		// which run after a collection.
		runtime.GC()
		runtime.Gosched()
	}
}

func (h *GCHeap) take(n int64) bool {
	for {
		u := h.used.Load()
		if u+n > h.limit || u+n < u {
			return false
		}
		if h.used.CompareAndSwap(u, u+n) {
			return true
		}
	}
}

// Release gives back n bytes charged to the heap and to lim.
func (h *GCHeap) Release(lim Limiter, n int64) {
	if n > 0 {
		h.used.Add(-n)
		GrowHeap(lim, uint64(n), 0)
	}
}

// GCSampler decides which small objects are tracked; each thread of
// execution has its own (it is not safe for concurrent use).
type GCSampler struct{ next int64 }

// Track arranges for obj, a *Struct or *Array of size bytes just
// charged to h and lim, to give back its share when it is collected.
func (s *GCSampler) Track(h *GCHeap, lim Limiter, obj any, size int64) {
	w := size
	if size < GCSampleBytes {
		s.next -= size
		if s.next >= 0 {
			return
		}
		s.next = int64(rand.ExpFloat64() * GCSampleBytes)
		// The object was sampled with probability 1-exp(-size/S); it
		// stands for size/that bytes.
		w = int64(float64(size) / -math.Expm1(-float64(size)/GCSampleBytes))
	}
	share := heapShare{h, lim, w}
	switch o := obj.(type) {
	case *Struct:
		runtime.AddCleanup(o, heapShare.release, share)
	case *Array:
		runtime.AddCleanup(o, heapShare.release, share)
	default: // not a GC object: nothing to wait for
		share.release()
	}
}

// heapShare is what a collected object gives back. A cleanup, unlike a
// finalizer, lets the collector free objects that reach themselves
// (cycles of structs and arrays are ordinary garbage).
type heapShare struct {
	h   *GCHeap
	lim Limiter
	n   int64
}

func (s heapShare) release() { s.h.Release(s.lim, s.n) }

// MaxArrayBytes bounds the storage of one array so that a huge array.new
// fails with a trap ("out of bounds array access") whatever the heap
// limit.
const MaxArrayBytes = 1 << 30

// ArrayTooLarge reports whether an array of n elements of type t exceeds
// MaxArrayBytes.
func ArrayTooLarge(t *Type, n uint32) bool {
	return uint64(n)*uint64(max(t.Fields[0].Size, 8)) > MaxArrayBytes
}

// StructBytes and ArrayBytes estimate the host memory of a GC object:
// the Go object and its backing arrays.
func StructBytes(t *Type) int64 { return 56 + int64(t.Bytes) + 16*int64(t.Refs) }

// ArrayBytes estimates an array of n elements of type t.
func ArrayBytes(t *Type, n uint32) int64 {
	if e := &t.Fields[0]; e.IsRef() {
		return 64 + 16*int64(n)
	}
	return 64 + int64(n)*int64(t.Fields[0].Size)
}
