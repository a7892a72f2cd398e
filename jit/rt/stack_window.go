//go:build unix && (amd64 || arm64)

package rt

import (
	"fmt"
	"unsafe"

	"golang.org/x/sys/unix"
)

// Size is how many bytes of the stack frames may use when StackLimit is
// at its lowest (what NewStack mapped, less StackReserve).
func (s *Stack) Size() int {
	page := unix.Getpagesize()
	return len(s.mem) - 2*page - StackReserve
}

// SetLimit lets frames use the top n bytes of the stack (at most Size):
// prologues that would go lower exit with ExitStack. Machine code must
// not be running on the stack, or be stopped at an exit.
func (s *Stack) SetLimit(n int) {
	n = min(max(n, 0), s.Size())
	s.ctx.StackLimit = s.top - uintptr(n)
}

// Limit is how many bytes frames may use now (SetLimit).
func (s *Stack) Limit() int { return int(s.top - s.ctx.StackLimit) }

// Discard gives the kernel back the pages of the stack below its top n
// bytes (rounded up to whole pages), which read as zeros if touched
// again: the memory a deep call committed stops counting when it is no
// longer charged. Nothing may be running on the stack.
func (s *Stack) Discard(n int) error {
	page := uintptr(unix.Getpagesize())
	mem := uintptr(unsafe.Pointer(&s.mem[0]))
	end := (s.top - uintptr(max(n, 0))) &^ (page - 1)
	if end <= mem+page { // nothing above the guard page
		return nil
	}
	if err := unix.Madvise(s.mem[page:end-mem], unix.MADV_DONTNEED); err != nil {
		return fmt.Errorf("jit/rt: discarding stack pages: %w", err)
	}
	return nil
}
