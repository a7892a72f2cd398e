//go:build linux && (amd64 || arm64)

package rt

import (
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

// TestStackWindow: SetLimit moves StackLimit within the stack (clamped
// to Size), and Discard returns the pages below the kept top to the
// kernel (not resident, zero when read) and keeps the top ones.
func TestStackWindow(t *testing.T) {
	const size = 1 << 20
	s, err := NewStack(size)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got := s.Limit(); got != s.Size() || s.Size() != size-StackReserve {
		t.Fatalf("new stack: limit %d, size %d; want both %d", got, s.Size(), size-StackReserve)
	}
	for _, c := range []struct{ set, want int }{{64 << 10, 64 << 10}, {-1, 0}, {2 * size, size - StackReserve}} {
		if s.SetLimit(c.set); s.Limit() != c.want || s.Ctx().StackLimit != s.top-uintptr(c.want) {
			t.Errorf("SetLimit(%d): limit %d, want %d", c.set, s.Limit(), c.want)
		}
	}
	page := unix.Getpagesize()
	stack := s.mem[page : page+size] // between the guard page and the Ctx's
	for i := range stack {
		stack[i] = 1
	}
	const keep = 64 << 10
	if err := s.Discard(keep); err != nil {
		t.Fatal(err)
	}
	resident := make([]byte, size/page)
	if _, _, e := unix.Syscall(unix.SYS_MINCORE, uintptr(unsafe.Pointer(&stack[0])), uintptr(len(stack)), uintptr(unsafe.Pointer(&resident[0]))); e != 0 {
		t.Fatal(e)
	}
	for i, r := range resident {
		top := i >= (size-keep)/page
		if r&1 == 1 != top {
			t.Fatalf("page %d of %d: resident %v after Discard(%d)", i, len(resident), r&1 == 1, keep)
		}
	}
	if stack[0] != 0 || stack[size-keep-1] != 0 || stack[size-keep] != 1 || stack[size-1] != 1 {
		t.Errorf("after Discard: bytes %d %d %d %d, want 0 0 1 1", stack[0], stack[size-keep-1], stack[size-keep], stack[size-1])
	}
}
