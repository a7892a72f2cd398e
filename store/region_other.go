//go:build !unix

package store

// region is a heap allocation on systems without mmap.
type region struct {
	mapping   []byte
	committed uint64
}

func (r *region) reserve(n uint64) error {
	r.mapping = make([]byte, 0, n)
	return nil
}

func (r *region) commit(n uint64) error {
	if n > r.committed {
		r.mapping = r.mapping[:n]
		r.committed = n
	}
	return nil
}

func (r *region) size() uint64 { return uint64(cap(r.mapping)) }

func (r *region) bytes(n uint64) []byte { return r.mapping[:n:n] }

func (r *region) release() { r.mapping, r.committed = nil, 0 }

func releaseWhenCollected(*Memory) {}
