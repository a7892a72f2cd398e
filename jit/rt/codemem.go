//go:build unix

package rt

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/kilnrt/kiln/internal/reclaim"
	"golang.org/x/sys/unix"
)

// Code is machine code in read-execute memory outside the Go heap.
type Code struct {
	mem    []byte // the whole mapping, page-rounded
	n      int    // bytes of code
	sealed bool   // read-execute (else read-write, being written)
}

// Map copies code into new read-execute memory: mapped read-write, filled,
// then switched to read-execute, so no page is ever writable and
// executable at once; then it makes the instruction cache see the code
// (syncInstructionCache: needed on arm64, nothing to do on amd64).
func Map(code []byte) (*Code, error) {
	c, err := NewWritable(len(code))
	if err != nil {
		return nil, err
	}
	copy(c.Writable(), code)
	if err := c.Seal(); err != nil {
		return nil, err
	}
	return c, nil
}

// NewWritable maps n bytes read-write for code to be written in place
// (Writable), then made read-execute by Seal: a linker writing straight
// into the mapping saves a buffer the size of the code and its copy.
// The memory is zero; it is never writable and executable at once.
func NewWritable(n int) (*Code, error) {
	if n <= 0 {
		return nil, errors.New("jit/rt: no code to map")
	}
	page := unix.Getpagesize()
	size := (n + page - 1) / page * page
	var mem []byte
	err := reclaim.Retry(func() (err error) {
		mem, err = unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON|mapPopulate)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jit/rt: mapping %d bytes of code: %w", size, err)
	}
	return &Code{mem: mem, n: n}, nil
}

// Writable is the n bytes of a mapping from NewWritable, to be written
// before Seal (and not after).
func (c *Code) Writable() []byte {
	if c.sealed {
		panic("jit/rt: writing sealed code")
	}
	return c.mem[:c.n]
}

// Seal makes the written code read-execute and visible to instruction
// fetch. On failure the mapping is gone (c must not be used).
func (c *Code) Seal() error {
	if err := unix.Mprotect(c.mem, unix.PROT_READ|unix.PROT_EXEC); err != nil {
		_ = c.Close()
		return fmt.Errorf("jit/rt: making code executable: %w", err)
	}
	c.sealed = true
	if err := syncInstructionCache(c.mem[:c.n]); err != nil {
		_ = c.Close()
		return err
	}
	return nil
}

// Addr is the address of the first instruction. It is valid until Close.
func (c *Code) Addr() uintptr { return uintptr(unsafe.Pointer(&c.mem[0])) }

// Bytes is the code (read-only memory: reading only). It is valid until
// Close.
func (c *Code) Bytes() []byte { return c.mem[:c.n] }

// Len is the length of the code in bytes.
func (c *Code) Len() int { return c.n }

// Close unmaps the code. No thread may be running it.
func (c *Code) Close() error {
	if c.mem == nil {
		return errors.New("jit/rt: code closed twice")
	}
	err := unix.Munmap(c.mem)
	c.mem = nil
	if err != nil {
		return fmt.Errorf("jit/rt: unmapping code: %w", err)
	}
	return nil
}
