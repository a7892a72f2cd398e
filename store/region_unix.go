//go:build unix

package store

import (
	"runtime"

	"github.com/kilnrt/kiln/internal/reclaim"
	"golang.org/x/sys/unix"
)

// region is an mmap'ed reservation; the committed prefix is readable and
// writable, the rest inaccessible.
type region struct {
	mapping   []byte
	committed uint64
}

func (r *region) reserve(n uint64) error {
	if n == 0 {
		return nil
	}
	return reclaim.Retry(func() (err error) {
		r.mapping, err = unix.Mmap(-1, 0, int(n), unix.PROT_NONE, unix.MAP_PRIVATE|unix.MAP_ANON|reserveFlags)
		return err
	})
}

func (r *region) commit(n uint64) error {
	if n <= r.committed {
		return nil
	}
	// Committing a prefix splits the mapping in two: it can fail for
	// the map count, which finalizers may bring down, as for memory.
	if err := reclaim.Retry(func() error {
		return unix.Mprotect(r.mapping[r.committed:n], unix.PROT_READ|unix.PROT_WRITE)
	}); err != nil {
		return err
	}
	r.committed = n
	return nil
}

func (r *region) size() uint64 { return uint64(len(r.mapping)) }

func (r *region) bytes(n uint64) []byte {
	if r.mapping == nil {
		return []byte{}
	}
	return r.mapping[:n:n]
}

func (r *region) release() {
	if r.mapping != nil {
		_ = unix.Munmap(r.mapping)
		r.mapping = nil
		r.committed = 0
	}
}

// releaseWhenCollected unmaps m's region once m is unreachable. The
// region is its own allocation, so the cleanup does not keep m alive
// whatever m reaches.
func releaseWhenCollected(m *Memory) {
	runtime.AddCleanup(m, (*region).release, m.region)
}
