package wasi_test

import (
	"context"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
	"golang.org/x/sys/unix"
)

// TestFullAddressSpace: with a 4 GiB memory (65536 pages, the most a
// wasm32 memory has), records that end exactly at the top of memory are
// in range; the end address 1<<32 must not wrap to 0.
func TestFullAddressSpace(t *testing.T) {
	mem, err := unix.Mmap(-1, 0, 1<<32, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON|unix.MAP_NORESERVE)
	if err != nil {
		t.Skipf("cannot reserve 4 GiB of address space: %v", err)
	}
	defer unix.Munmap(mem)
	sys, err := wasi.New(context.Background(), wasi.Config{})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	const top = 1 << 32
	// One clock subscription (relative, timeout 0) in the last 48 bytes,
	// its event in the last 32 bytes before it.
	in, out := uint64(top-48), uint64(top-48-32)
	stack := []uint64{in, out, 1, 0}
	if err := sys.Call(context.Background(), "poll_oneoff", mem, stack); err != nil {
		t.Fatal(err)
	}
	if e := kernel.Errno(stack[0]); e != kernel.ESUCCESS {
		t.Fatalf("poll_oneoff at the top of memory = %v", e)
	}
	if n := mem[0]; n != 1 {
		t.Errorf("nevents = %d, want 1", n)
	}
	// The event list ends at the top of memory too.
	stack = []uint64{0, top - 32, 1, 4}
	if err := sys.Call(context.Background(), "poll_oneoff", mem, stack); err != nil {
		t.Fatal(err)
	}
	if e := kernel.Errno(stack[0]); e != kernel.ESUCCESS {
		t.Fatalf("poll_oneoff with events at the top of memory = %v", e)
	}
}
