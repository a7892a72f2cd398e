package wasix_test

import (
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// TestForeignCalls64: call_dynamic, reflect_signature and a closure in
// wasix_64v1 (testdata/wat/dyncall64.wat).
func TestForeignCalls64(t *testing.T) {
	g := loadWAT(t, "dyncall64", wasi.Config{})
	g.putU32(0x100, 5)
	g.putU64(0x104, 9)
	g.errno(kernel.ESUCCESS, "call_dynamic", 1, 0x100, 12, 0x200, 8, 1)
	if got := g.u64(0x200); got != 14 {
		t.Errorf("add: %d, want 14", got)
	}
	g.errno(kernel.EINVAL, "call_dynamic", 1<<32|1, 0x100, 12, 0x200, 8, 1) // an id beyond 32 bits
	g.errno(kernel.EFAULT, "call_dynamic", 1, 1<<40, 12, 0x200, 8, 1)
	g.errno(kernel.ESUCCESS, "reflect_signature", 2, 0x300, 4, 0x310, 4, 0x320)
	if b := g.bytes(0x300, 3); string(b) != "\x01\x01\x01" || g.bytes(0x324, 1)[0] != 0 || g.bytes(0x322, 1)[0] != 3 {
		t.Errorf("backing reflected as % x, % x", b, g.bytes(0x320, 6))
	}

	g.errno(kernel.ESUCCESS, "closure_allocate", 0x400)
	id := g.u64(0x400)
	g.put(0x410, 0, 1)
	g.put(0x418, 0)
	g.putU32(0x420, 7)
	g.errno(kernel.EINVAL, "closure_prepare", 1, id, 0x410, 2, 0x418, 1, 0x420) // add is no backing function
	g.errno(kernel.ESUCCESS, "closure_prepare", 2, id, 0x410, 2, 0x418, 1, 0x420)
	if got := g.call("call_closure", id, 5, 9)[0]; got != 21 {
		t.Errorf("closure(5, 9) = %d, want 21", got)
	}
	if sp := g.inst.Global("__stack_pointer").Get().Lo; sp != 0x8000 {
		t.Errorf("stack pointer %#x after the closure, want 0x8000", sp)
	}
	g.errno(kernel.ESUCCESS, "closure_free", id)
	g.errno(kernel.EINVAL, "closure_free", id)
}
