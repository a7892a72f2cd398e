package wasi_test

import (
	"encoding/binary"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// TestMemPointerWidths: one set of accessors serves 32-bit guests (8-byte
// iovecs, 4-byte pointers) and 64-bit ones (16-byte iovecs, 8-byte
// pointers); every range outside the memory, including ones whose end
// wraps around 2^64, is EFAULT.
func TestMemPointerWidths(t *testing.T) {
	buf := make([]byte, 256)
	copy(buf[100:], "hello")
	// A 32-bit iovec {100, 5} at 0 and a 64-bit one at 16.
	binary.LittleEndian.PutUint32(buf[0:], 100)
	binary.LittleEndian.PutUint32(buf[4:], 5)
	binary.LittleEndian.PutUint64(buf[16:], 100)
	binary.LittleEndian.PutUint64(buf[24:], 5)
	for _, tc := range []struct {
		is64 bool
		at   uint64
	}{{false, 0}, {true, 16}} {
		m := wasi.NewMem(buf, tc.is64)
		iovs, e := m.Iovecs(tc.at, 1)
		if e != kernel.ESUCCESS || len(iovs) != 1 || string(iovs[0]) != "hello" {
			t.Errorf("is64=%v: iovecs %q, %v", tc.is64, iovs, e)
		}
		if p, e := m.Ptr(tc.at); e != kernel.ESUCCESS || p != 100 {
			t.Errorf("is64=%v: Ptr = %d, %v", tc.is64, p, e)
		}
		if m.PtrSize() != map[bool]uint64{false: 4, true: 8}[tc.is64] {
			t.Errorf("is64=%v: PtrSize %d", tc.is64, m.PtrSize())
		}
	}
	m32, m64 := wasi.NewMem(buf, false), wasi.NewMem(buf, true)
	if e := m32.PutPtr(200, 1<<32); e != kernel.EOVERFLOW {
		t.Errorf("32-bit PutPtr of 2^32: %v, want EOVERFLOW", e)
	}
	if e := m64.PutPtr(200, 1<<32); e != kernel.ESUCCESS || binary.LittleEndian.Uint64(buf[200:]) != 1<<32 {
		t.Errorf("64-bit PutPtr: %v", e)
	}
	for _, bad := range [][2]uint64{{256, 1}, {255, 2}, {^uint64(0), 2}, {1 << 40, 1}} {
		if _, e := m64.Bytes(bad[0], bad[1]); e != kernel.EFAULT {
			t.Errorf("Bytes(%#x, %d) = %v, want EFAULT", bad[0], bad[1], e)
		}
	}
	if _, e := m64.Iovecs(250, 1); e != kernel.EFAULT {
		t.Errorf("iovec array past the end: %v", e)
	}
	if _, e := m64.Iovecs(0, 1<<62); e != kernel.EFAULT {
		t.Errorf("huge iovec count: %v", e)
	}
	if _, e := m32.Path(100, 5); e != kernel.ESUCCESS {
		t.Errorf("Path: %v", e)
	}
}
