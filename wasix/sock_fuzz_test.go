//go:build linux

package wasix_test

import (
	"testing"

	"github.com/kilnrt/kiln/kernel"
	"github.com/kilnrt/kiln/sandbox"
	"github.com/kilnrt/kiln/wasi"
)

// sockFuzzed lists the exports of testdata/wat/sock.wat that cannot block
// with their parameter count (accept and the receives are left out: they
// would wait for a peer). Without a network policy every address
// operation is refused before it reaches the host.
var sockFuzzed = []struct {
	name   string
	params int
}{
	{"open_at", 4}, {"pair", 3}, {"bind", 2}, {"connect", 2}, {"listen", 2},
	{"local", 2}, {"peer", 2}, {"send", 3}, {"send_to", 4}, {"shutdown", 2},
	{"status", 1}, {"set_flag", 3}, {"get_flag", 2}, {"set_size", 3},
	{"get_size", 2}, {"set_time", 4}, {"get_time", 2}, {"join4", 3},
	{"leave4", 3}, {"join6", 3}, {"leave6", 3}, {"resolve", 3}, {"close", 1},
}

// FuzzSockABI calls the socket functions with arbitrary arguments over
// memory holding arbitrary bytes (addresses, iovecs, timestamps, host
// names): every call must return a WASIX errno, never panic or trap.
func FuzzSockABI(f *testing.F) {
	f.Add(uint8(2), uint64(3), uint64(0x200), uint64(0), []byte{1, 0, 0x50, 0, 127, 0, 0, 1})
	f.Add(uint8(2), uint64(4), uint64(0x200), uint64(0), []byte{2, 0, 0x50, 0})
	f.Add(uint8(0), uint64(1), uint64(2), uint64(17), []byte{})
	f.Add(uint8(15), uint64(3), uint64(19), uint64(1), []byte{1})
	f.Add(uint8(17), uint64(4), uint64(0x200), uint64(0x204), []byte{239, 1, 2, 3, 0, 0, 0, 0})
	f.Add(uint8(21), uint64(9), uint64(4), uint64(0x600), []byte("localhost"))
	f.Add(uint8(8), uint64(4), uint64(0xffff_ffff), uint64(0x200), []byte{})
	g := loadWAT(f, "sock", wasi.Config{Limits: sandbox.Limits{Sockets: 16}})
	tcp, udp := g.open(afInet4, sockStream), g.open(afInet6, sockDgram)
	mem := g.inst.Memory("memory").Bytes()
	f.Fuzz(func(t *testing.T, which uint8, a, b, c uint64, fill []byte) {
		fn := sockFuzzed[int(which)%len(sockFuzzed)]
		if len(fill) > 0x1000 {
			fill = fill[:0x1000]
		}
		copy(mem[0x200:], fill)
		fd := []uint64{tcp, udp, 0, 99}[a%4]
		args := []uint64{fd, uint64(uint32(b)), uint64(uint32(c)), c}
		switch fn.name {
		case "open_at", "pair":
			args = []uint64{a % 5, b % 6, c % 20, 0x100}
		case "resolve":
			args = []uint64{uint64(uint32(b)) % 0x300, uint64(uint32(c)) % 8, 0x600}
		case "close":
			if fd == tcp || fd == udp {
				return // keep the two sockets for the next calls
			}
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
