package wasix_test

import (
	"encoding/binary"
	"math"
	"strings"
	"testing"

	"github.com/kilnrt/kiln"
	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// Table slots of testdata/wat/dyncall.wat.
const (
	slotNull    = 0
	slotAdd     = 1
	slotMix     = 2
	slotBacking = 3
	slotNoArgs  = 4
	slotRefArg  = 5
	slotTrap    = 6
)

func (g *guestModule) put(at int, b ...byte) { copy(g.bytes(at, len(b)), b) }

func (g *guestModule) putU32(at int, v uint32) {
	binary.LittleEndian.PutUint32(g.bytes(at, 4), v)
}

func (g *guestModule) putU64(at int, v uint64) {
	binary.LittleEndian.PutUint64(g.bytes(at, 8), v)
}

func (g *guestModule) u32(at int) uint32 { return binary.LittleEndian.Uint32(g.bytes(at, 4)) }
func (g *guestModule) u64(at int) uint64 { return binary.LittleEndian.Uint64(g.bytes(at, 8)) }

func TestCallDynamic(t *testing.T) {
	g := loadWAT(t, "dyncall", wasi.Config{})
	const vals, res = 0x100, 0x200
	callD := func(want kernel.Errno, fn, v, vlen, r, rlen, strict uint64) {
		t.Helper()
		g.errno(want, "call_dynamic", fn, v, vlen, r, rlen, strict)
	}

	// add(i32 5, i64 9) = 14, strict.
	g.putU32(vals, 5)
	g.putU64(vals+4, 9)
	callD(kernel.ESUCCESS, slotAdd, vals, 12, res, 8, 1)
	if got := g.u64(res); got != 14 {
		t.Errorf("add: %d, want 14", got)
	}
	// Strict lengths must be exact.
	callD(kernel.EINVAL, slotAdd, vals, 11, res, 8, 1)
	callD(kernel.EINVAL, slotAdd, vals, 13, res, 8, 1)
	callD(kernel.EINVAL, slotAdd, vals, 12, res, 4, 1)
	// ...and are checked before the call: noargs does not run.
	before := g.u32(0x704)
	callD(kernel.EINVAL, slotNoArgs, 0, 0, res, 4, 1)
	if g.u32(0x704) != before {
		t.Error("a strict call with a wrong results length ran the function")
	}
	callD(kernel.ESUCCESS, slotNoArgs, 0, 0, 0, 0, 1)
	if g.u32(0x704) != before+1 {
		t.Error("noargs did not run")
	}
	// Non-strict: missing arguments are zero, results that do not fit
	// are dropped.
	g.putU64(res, 0xaaaa)
	callD(kernel.ESUCCESS, slotAdd, vals, 4, res, 4, 0)
	if got := g.u64(res); got != 0xaaaa {
		t.Errorf("non-strict short results buffer written: %#x", got)
	}
	callD(kernel.ESUCCESS, slotAdd, vals, 4, res, 100, 0)
	if got := g.u64(res); got != 5 {
		t.Errorf("non-strict short values: %d, want 5 (b = 0)", got)
	}

	// mix(f32 1.5, f64 2.25, v128 {1,2,3,4}) = (f64 3.75, i32 2, v128 {1,2,3,4}).
	binary.LittleEndian.PutUint32(g.bytes(vals, 4), math.Float32bits(1.5))
	g.putU64(vals+4, math.Float64bits(2.25))
	for i := 0; i < 4; i++ {
		g.putU32(vals+12+4*i, uint32(i+1))
	}
	callD(kernel.ESUCCESS, slotMix, vals, 28, res, 28, 1)
	if got := math.Float64frombits(g.u64(res)); got != 3.75 {
		t.Errorf("mix f64: %v, want 3.75", got)
	}
	if got := g.u32(res + 8); got != 2 {
		t.Errorf("mix lane: %d, want 2", got)
	}
	if got, want := string(g.bytes(res+12, 16)), string(g.bytes(vals+12, 16)); got != want {
		t.Errorf("mix v128: % x, want % x", got, want)
	}

	// Hostile inputs: errnos, never a trap or a host panic.
	callD(kernel.EINVAL, slotNull, 0, 0, 0, 0, 0)
	callD(kernel.EINVAL, 8, 0, 0, 0, 0, 0)
	callD(kernel.EINVAL, 0xffffffff, 0, 0, 0, 0, 0)
	callD(kernel.EINVAL, slotRefArg, 0, 0, 0, 0, 0)
	callD(kernel.EFAULT, slotAdd, 0xfffffff0, 12, res, 8, 1)
	callD(kernel.EFAULT, slotAdd, vals, 12, 0xfffffffc, 8, 1)
	callD(kernel.EFAULT, slotAdd, 0xfffc, 0xffffffff, res, 8, 0) // 4 of the 12 bytes needed in memory

	// A trap of the called function is the guest's own trap.
	if _, err := g.callErr("call_dynamic", slotTrap, 0, 0, 0, 0, 1); err == nil || !strings.Contains(err.Error(), "unreachable") {
		t.Errorf("call_dynamic of a trapping function: %v, want the trap", err)
	}
}

func TestReflectSignature(t *testing.T) {
	g := loadWAT(t, "dyncall", wasi.Config{})
	const args, results, out = 0x100, 0x140, 0x180
	reflect := func(want kernel.Errno, fn, argCap, resCap uint64) (cacheable byte, nargs, nres uint16) {
		t.Helper()
		g.errno(want, "reflect_signature", fn, args, argCap, results, resCap, out)
		b := g.bytes(out, 6)
		return b[0], binary.LittleEndian.Uint16(b[2:]), binary.LittleEndian.Uint16(b[4:])
	}
	c, n, r := reflect(kernel.ESUCCESS, slotMix, 8, 8)
	if c != 1 || n != 3 || r != 3 {
		t.Errorf("mix: cacheable %d, %d args, %d results; want 1, 3, 3", c, n, r)
	}
	if got := g.bytes(args, 3); string(got) != "\x02\x03\x04" {
		t.Errorf("mix argument types % x, want 02 03 04", got)
	}
	if got := g.bytes(results, 3); string(got) != "\x03\x00\x04" {
		t.Errorf("mix result types % x, want 03 00 04", got)
	}
	// Too short: the counts, EOVERFLOW, buffers untouched.
	g.put(args, 0xee, 0xee)
	c, n, r = reflect(kernel.EOVERFLOW, slotAdd, 1, 1)
	if c != 1 || n != 2 || r != 1 || string(g.bytes(args, 2)) != "\xee\xee" {
		t.Errorf("add with short buffers: %d %d %d % x", c, n, r, g.bytes(args, 2))
	}
	// 16-bit capacities: 0x10000 is 0.
	if _, n, _ = reflect(kernel.EOVERFLOW, slotAdd, 0x10000, 0x10000); n != 2 {
		t.Errorf("add: %d args, want 2", n)
	}
	for _, fn := range []uint64{slotNull, 8, 0xffffffff} {
		if c, n, r = reflect(kernel.EINVAL, fn, 8, 8); n != 0 || r != 0 {
			t.Errorf("reflect_signature(%d): %d %d %d, want zero counts", fn, c, n, r)
		}
	}
	reflect(kernel.EINVAL, slotRefArg, 8, 8)
	g.errno(kernel.EFAULT, "reflect_signature", slotAdd, args, 8, results, 8, 0xfffffffe)
	g.errno(kernel.EFAULT, "reflect_signature", slotAdd, 0xffffffff, 8, results, 8, out)
}

func TestClosures(t *testing.T) {
	g := loadWAT(t, "dyncall", wasi.Config{})
	const idAt, argTypes, resTypes, user = 0x300, 0x310, 0x318, 0x320
	g.put(argTypes, 0, 1) // i32, i64
	g.put(resTypes, 0)    // i32
	g.putU32(user, 7)

	g.errno(kernel.ESUCCESS, "closure_allocate", idAt)
	id := uint64(g.u32(idAt))
	if id < 8 {
		t.Fatalf("closure id %d inside the module's own elements", id)
	}
	// Hostile preparations.
	g.errno(kernel.EINVAL, "closure_prepare", slotBacking, slotAdd, argTypes, 2, resTypes, 1, user) // not a closure
	g.errno(kernel.EINVAL, "closure_prepare", slotAdd, id, argTypes, 2, resTypes, 1, user)          // backing of the wrong type
	g.errno(kernel.EINVAL, "closure_prepare", slotNull, id, argTypes, 2, resTypes, 1, user)
	g.errno(kernel.EINVAL, "closure_prepare", slotBacking, id, argTypes, 5000, resTypes, 1, user)
	g.errno(kernel.EFAULT, "closure_prepare", slotBacking, id, 0xffffffff, 2, resTypes, 1, user)
	g.put(0x330, 0, 9)
	g.errno(kernel.EINVAL, "closure_prepare", slotBacking, id, 0x330, 2, resTypes, 1, user) // type code 9
	if _, err := g.callErr("call_closure", id, 1, 2); err == nil {
		t.Error("an unprepared closure slot was callable")
	}

	g.errno(kernel.ESUCCESS, "closure_prepare", slotBacking, id, argTypes, 2, resTypes, 1, user)
	sp := g.inst.Global("__stack_pointer").Get().Lo
	if got := g.call("call_closure", id, 5, 9)[0]; got != 5+9+7 {
		t.Errorf("closure(5, 9) = %d, want 21", got)
	}
	if g.u32(0x700) != 1 {
		t.Errorf("backing function ran %d times, want 1", g.u32(0x700))
	}
	if got := g.inst.Global("__stack_pointer").Get().Lo; got != sp {
		t.Errorf("stack pointer %#x after the closure, want %#x", got, sp)
	}
	// Through call_dynamic too, and reflected as not cacheable.
	g.putU32(0x100, 1)
	g.putU64(0x104, 2)
	g.errno(kernel.ESUCCESS, "call_dynamic", id, 0x100, 12, 0x200, 4, 1)
	if got := g.u32(0x200); got != 10 {
		t.Errorf("call_dynamic of the closure: %d, want 10", got)
	}
	g.errno(kernel.ESUCCESS, "reflect_signature", id, 0x400, 4, 0x410, 4, 0x420)
	if b := g.bytes(0x420, 6); b[0] != 0 || b[2] != 2 || b[4] != 1 || string(g.bytes(0x400, 2)) != "\x00\x01" {
		t.Errorf("closure reflection % x, types % x", b, g.bytes(0x400, 2))
	}

	// A shadow stack too small ends the thread with an error, not a host panic.
	g.inst.Global("__stack_pointer").Set(valueI32(8))
	if _, err := g.callErr("call_closure", id, 1, 2); err == nil || !strings.Contains(err.Error(), "shadow stack") {
		t.Errorf("closure on an exhausted stack: %v", err)
	}
	g.inst.Global("__stack_pointer").Set(valueI32(uint32(sp)))

	// A backing function replaced by one of another type.
	g.call("replace_backing", slotBacking)
	if _, err := g.callErr("call_closure", id, 1, 2); err == nil || !strings.Contains(err.Error(), "backing function") {
		t.Errorf("closure with a replaced backing function: %v", err)
	}

	// Free: the slot is null, a second free and a non-closure are EINVAL.
	g.errno(kernel.ESUCCESS, "closure_free", id)
	if _, err := g.callErr("call_closure", id, 1, 2); err == nil {
		t.Error("a freed closure was callable")
	}
	g.errno(kernel.EINVAL, "closure_free", id)
	g.errno(kernel.EINVAL, "closure_free", slotAdd)
	g.errno(kernel.EINVAL, "closure_free", 0xffffffff)
	g.errno(kernel.EFAULT, "closure_allocate", 0xfffffffe)
	// The slot is reused.
	g.errno(kernel.ESUCCESS, "closure_allocate", idAt)
	if got := uint64(g.u32(idAt)); got != id {
		t.Errorf("reallocated closure %d, want the freed slot %d", got, id)
	}
	// A process holds a bounded number of closures.
	n := 1
	for ; n <= 2000; n++ {
		res := kernel.Errno(g.call("closure_allocate", idAt)[0])
		if res == kernel.EAGAIN {
			break
		}
		if res != kernel.ESUCCESS {
			t.Fatalf("closure_allocate #%d: %v", n+1, res)
		}
	}
	if n != 1024 {
		t.Errorf("closure limit hit after %d closures, want 1024", n)
	}
}

func valueI32(v uint32) kiln.Value { return kiln.ValueI32(int32(v)) }
