package wasix_test

import (
	"encoding/binary"
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/wasi"
)

// forwarded lists the exports of testdata/wat/forward.wat with their
// parameter count; the last parameter of clock_time_set is an i64.
var forwarded = []struct {
	name   string
	params int
}{
	{"thread_spawn_v2", 2}, {"thread_id", 1}, {"thread_join", 1},
	{"thread_parallelism", 1}, {"futex_wake", 2}, {"futex_wake_all", 2},
	{"proc_id", 1}, {"proc_parent", 2}, {"getcwd", 2}, {"chdir", 2},
	{"clock_time_set", 2},
}

// FuzzABI calls WASIX functions with arbitrary arguments over memory
// holding arbitrary bytes: every call must return a WASIX errno, never
// panic or trap the guest. (The blocking and exiting functions are left
// out: with arbitrary arguments they would sleep or end the run, which
// TestFutexABI and TestThreadsABI cover.)
func FuzzABI(f *testing.F) {
	f.Add(uint8(0), uint64(0x100), uint64(0x200), []byte("/x"))
	f.Add(uint8(0), uint64(0xffc4), uint64(0x300), []byte{})
	f.Add(uint8(8), uint64(0xffff), uint64(0x10), []byte("\xff"))
	f.Add(uint8(9), uint64(0x0), uint64(0xffffffff), []byte("abc"))
	f.Add(uint8(10), uint64(0), uint64(1<<63), []byte{})
	f.Add(uint8(0), uint64(0x100), uint64(0x200), binary.LittleEndian.AppendUint32(nil, 0x8000))
	g := loadWAT(f, "forward", wasi.Config{})
	mem := g.inst.Memory("memory").Bytes()
	f.Fuzz(func(t *testing.T, which uint8, a, b uint64, fill []byte) {
		fn := forwarded[int(which)%len(forwarded)]
		if len(fill) > 0x1000 {
			fill = fill[:0x1000]
		}
		copy(mem[0x100:], fill) // structures and strings the pointers may reach
		args := []uint64{uint64(uint32(a)), uint64(uint32(b))}
		if fn.name == "clock_time_set" {
			args[1] = b
		}
		res, err := g.inst.Func(fn.name).Call(g.ctx, args[:fn.params]...)
		if err != nil {
			t.Fatalf("%s%v: %v", fn.name, args[:fn.params], err)
		}
		if e := kernel.Errno(res[0]); int(e) >= 81 {
			t.Fatalf("%s%v: errno %d is not a WASIX errno", fn.name, args[:fn.params], e)
		}
	})
}
