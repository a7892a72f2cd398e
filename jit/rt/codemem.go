//go:build unix

package rt

import (
	"errors"
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Code is machine code in read-execute memory outside the Go heap.
type Code struct {
	mem []byte // the whole mapping, page-rounded
	n   int    // bytes of code
}

// Map copies code into new read-execute memory: mapped read-write, filled,
// then switched to read-execute, so no page is ever writable and
// executable at once; then it makes the instruction cache see the code
// (syncInstructionCache: needed on arm64, nothing to do on amd64).
func Map(code []byte) (*Code, error) {
	if len(code) == 0 {
		return nil, errors.New("jit/rt: no code to map")
	}
	page := unix.Getpagesize()
	size := (len(code) + page - 1) / page * page
	mem, err := unix.Mmap(-1, 0, size, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		return nil, fmt.Errorf("jit/rt: mapping %d bytes of code: %w", size, err)
	}
	copy(mem, code)
	if err := unix.Mprotect(mem, unix.PROT_READ|unix.PROT_EXEC); err != nil {
		_ = unix.Munmap(mem)
		return nil, fmt.Errorf("jit/rt: making code executable: %w", err)
	}
	if err := syncInstructionCache(mem[:len(code)]); err != nil {
		_ = unix.Munmap(mem)
		return nil, err
	}
	return &Code{mem: mem, n: len(code)}, nil
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
