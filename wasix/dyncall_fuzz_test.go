package wasix_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// dynCalls are the foreign-call exports of testdata/wat/dyncall.wat with
// their parameter counts.
var dynCalls = []struct {
	name   string
	params int
}{
	{"call_dynamic", 6}, {"reflect_signature", 6}, {"closure_allocate", 1},
	{"closure_prepare", 7}, {"closure_free", 1}, {"call_closure", 3},
}

// FuzzDynCall calls the foreign-call functions, and closures, with
// arbitrary arguments over memory holding arbitrary bytes: every call
// returns a WASIX errno or, when the guest's own code runs into it, a
// trap of that code (the backing function called with arbitrary
// pointers, a null or mistyped table entry) or a closure's error; never a host panic. Function ids are taken modulo 16
// so that the table's entries and closures are reached often.
func FuzzDynCall(f *testing.F) {
	f.Add(uint8(0), uint64(1), uint64(0x100), uint64(12), uint64(0x200), uint64(8), uint64(1), []byte{5, 0, 0, 0, 9})
	f.Add(uint8(1), uint64(2), uint64(0x100), uint64(8), uint64(0x200), uint64(8), uint64(0x300), []byte{})
	f.Add(uint8(2), uint64(0x100), uint64(0), uint64(0), uint64(0), uint64(0), uint64(0), []byte{})
	f.Add(uint8(3), uint64(3), uint64(8), uint64(0x100), uint64(2), uint64(0x102), uint64(1), []byte{0, 1, 0})
	f.Add(uint8(5), uint64(8), uint64(1), uint64(2), uint64(0), uint64(0), uint64(0), []byte{})
	g := loadWAT(f, "dyncall", wasi.Config{})
	mem := g.inst.Memory("memory").Bytes()
	f.Fuzz(func(t *testing.T, which uint8, a, b, c, d, e, h uint64, fill []byte) {
		fn := dynCalls[int(which)%len(dynCalls)]
		if len(fill) > 0x1000 {
			fill = fill[:0x1000]
		}
		copy(mem[0x100:], fill)
		args := []uint64{uint64(uint32(a)) % 16, uint64(uint32(b)), uint64(uint32(c)), uint64(uint32(d)),
			uint64(uint32(e)), uint64(uint32(h)), uint64(uint32(h >> 32))}
		if fn.name == "closure_prepare" {
			args[1] %= 16
		}
		if fn.name == "call_closure" {
			args[2] = b
		}
		res, err := g.inst.Func(fn.name).Call(g.ctx, args[:fn.params]...)
		if err != nil {
			var trap *kiln.Trap
			if !errors.As(err, &trap) && !strings.Contains(err.Error(), "wasix closure") {
				t.Fatalf("%s%v: %v", fn.name, args[:fn.params], err)
			}
			return
		}
		if fn.name != "call_closure" {
			if e := kernel.Errno(res[0]); int(e) >= 81 {
				t.Fatalf("%s%v: errno %d is not a WASIX errno", fn.name, args[:fn.params], e)
			}
		}
	})
}
