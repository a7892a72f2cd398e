//go:build unix

package rt

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/kilnrt/kiln/internal/reclaim"
	"golang.org/x/sys/unix"
)

// Words is an array of 8-byte words outside the Go heap, for data machine
// code addresses through Ctx (globals).
type Words struct {
	mem []byte
	W   []uint64
}

// NewWords maps n zeroed words.
func NewWords(n int) (*Words, error) {
	size := max(8*n, 8)
	var mem []byte
	err := reclaim.Retry(func() (err error) {
		mem, err = unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jit/rt: mapping %d words: %w", n, err)
	}
	return &Words{mem: mem, W: unsafe.Slice((*uint64)(unsafe.Pointer(&mem[0])), n)}, nil
}

// Addr is the address of W[0].
func (w *Words) Addr() uintptr { return uintptr(unsafe.Pointer(&w.mem[0])) }

// Close unmaps the words.
func (w *Words) Close() error {
	if w.mem == nil {
		return errors.New("jit/rt: words closed twice")
	}
	err := unix.Munmap(w.mem)
	w.mem, w.W = nil, nil
	return err
}
