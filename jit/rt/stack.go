//go:build unix && (amd64 || arm64)

package rt

import (
	"errors"
	"fmt"
	"unsafe"

	"github.com/kilnrt/kiln/internal/reclaim"
	"golang.org/x/sys/unix"
)

// StackReserve is the space below StackLimit kept for what runs without
// a frame check: exit stubs and the return addresses of calls.
const StackReserve = 512

// Stack is a machine stack with its Ctx: one mapping outside the Go heap,
// a PROT_NONE guard page at the bottom, the stack, and the Ctx in the top
// page. One goroutine uses a Stack at a time.
type Stack struct {
	mem []byte
	ctx *Ctx
	top uintptr // highest stack address (exclusive), 16-aligned
	sp  uintptr // SP of the current call: its argument slots start there
}

// NewStack maps a machine stack of at least size bytes.
func NewStack(size int) (*Stack, error) {
	page := unix.Getpagesize()
	size = (size + page - 1) / page * page
	// Reserved, not committed: pages are backed as the stack reaches them.
	var mem []byte
	err := reclaim.Retry(func() (err error) {
		mem, err = unix.Mmap(-1, 0, size+2*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON|mapNoReserve)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("jit/rt: mapping a %d-byte machine stack: %w", size, err)
	}
	if err := reclaim.Retry(func() error { return unix.Mprotect(mem[:page], unix.PROT_NONE) }); err != nil {
		_ = unix.Munmap(mem)
		return nil, fmt.Errorf("jit/rt: guard page: %w", err)
	}
	base := uintptr(unsafe.Pointer(&mem[0]))
	s := &Stack{mem: mem, top: base + uintptr(page+size)}
	s.ctx = (*Ctx)(unsafe.Pointer(&mem[page+size]))
	s.ctx.StackLimit = base + uintptr(page) + StackReserve
	return s, nil
}

// Ctx is the stack's execution context; machine code run on s gets it.
func (s *Stack) Ctx() *Ctx { return s.ctx }

// Close unmaps the stack and its Ctx. No code may be running on it.
func (s *Stack) Close() error {
	if s.mem == nil {
		return errors.New("jit/rt: stack closed twice")
	}
	err := unix.Munmap(s.mem)
	s.mem, s.ctx = nil, nil
	if err != nil {
		return fmt.Errorf("jit/rt: unmapping stack: %w", err)
	}
	return nil
}

// Slots is the call's argument and result area: n 8-byte slots at the
// top of the stack (i32 and f32 in the low 32 bits).
func (s *Stack) Slots(n int) []uint64 {
	if n == 0 {
		return nil
	}
	return s.words(s.top-uintptr(8*roundSlots(n)), n)
}

// CallArgs is the argument/result area of an ExitCall: n slots at
// Ctx.Args.
func (s *Stack) CallArgs(n int) []uint64 {
	if n == 0 {
		return nil
	}
	return s.words(s.ctx.Args, n)
}

// words is n 8-byte words at address addr inside the stack mapping; it
// panics if they are not (machine code reported a bad address).
func (s *Stack) words(addr uintptr, n int) []uint64 {
	base := uintptr(unsafe.Pointer(&s.mem[0]))
	off := addr - base
	if addr < base || off+uintptr(8*n) > s.top-base {
		panic(fmt.Sprintf("jit/rt: %d slots at %#x are outside the machine stack", n, addr))
	}
	return unsafe.Slice((*uint64)(unsafe.Pointer(&s.mem[off])), n)
}

func roundSlots(n int) int { return (n + 1) &^ 1 }

// Call runs the machine code at entry with the first n slots of Slots as
// its argument/result area (n = max(params, results)), which the caller
// filled. It returns when the code returns or exits; results are in
// Slots after ExitReturn. entry must be in live code that follows the
// contract in the package documentation.
func (s *Stack) Call(entry uintptr, n int) ExitCode {
	if uintptr(8*roundSlots(n)) >= s.top-s.ctx.StackLimit {
		s.ctx.Exit, s.ctx.Payload = uint32(ExitTrap), uint64(TrapCallStackExhausted)
		return ExitTrap
	}
	s.sp = s.top - uintptr(8*roundSlots(n))
	s.ctx.Exit = uint32(ExitReturn)
	enter(entry, s.ctx, s.sp)
	return ExitCode(s.ctx.Exit)
}

// Resume continues code that exited with anything but ExitReturn or
// ExitTrap, through resume, the module's resume stub (which returns to
// the instruction after the exit).
func (s *Stack) Resume(resume uintptr) ExitCode {
	s.ctx.Exit = uint32(ExitReturn)
	enter(resume, s.ctx, s.sp)
	return ExitCode(s.ctx.Exit)
}
