//go:build linux

package rt

import (
	"math"
	"slices"
	"testing"
	"unsafe"

	"golang.org/x/sys/unix"
)

const nop = 0xD503201F

// leaf maps hand-written code and returns its address for CallLeaf.
func leaf(t *testing.T, words ...uint32) uintptr {
	t.Helper()
	p := newProg()
	p.emit(words...)
	c, _ := p.mapped(t)
	return c.Addr()
}

var leafInputs = []uint64{0, 1, 2, 3, 7, 100, 1 << 31, 1<<32 + 5, math.MaxUint64, 1 << 63, 0xdeadbeefcafe}

func TestArm64Leaf(t *testing.T) {
	const42 := leaf(t, movz(0, 42, 0), ret)
	wide := leaf(t, append(movImm(0, 0xfedcba9876543210), ret)...)
	add := leaf(t, addReg(0, 0, 1), ret)
	// sum of 1..n by a counted loop: a conditional branch out and a
	// backward branch.
	p := newProg()
	p.emit(movz(2, 0, 0))
	p.bind("top")
	p.emit(cmpReg(0, xzr))
	p.bcond(condEQ, "done")
	p.emit(addReg(2, 2, 0), subImm(0, 0, 1))
	p.b("top")
	p.bind("done")
	p.emit(movReg(0, 2), ret)
	sumCode, _ := p.mapped(t)

	if got := CallLeaf(const42, 5, 6); got != 42 {
		t.Errorf("const = %d, want 42", got)
	}
	if got := CallLeaf(wide, 0, 0); got != 0xfedcba9876543210 {
		t.Errorf("wide const = %#x", got)
	}
	for _, x := range leafInputs {
		for _, y := range leafInputs {
			if got := CallLeaf(add, x, y); got != x+y {
				t.Errorf("add(%#x, %#x) = %#x", x, y, got)
			}
		}
	}
	for n := uint64(0); n < 2000; n += 37 {
		if got := CallLeaf(sumCode.Addr(), n, 0); got != n*(n+1)/2 {
			t.Errorf("sum(%d) = %d", n, got)
		}
	}
}

// setRegs writes v into every general register machine code may write
// (all but SP, X18 and X28) except those in keep, and into every vector
// register, and sets the flags; it leaves v in X16.
func setRegs(v uint64, keep ...uint32) []uint32 {
	w := movImm(x16, v)
	for r := uint32(0); r < 32; r++ {
		w = append(w, fmovToD(r, x16))
	}
	for r := uint32(0); r <= 30; r++ {
		if r != x16 && r != 18 && r != 28 && !slices.Contains(keep, r) {
			w = append(w, movReg(r, x16))
		}
	}
	return append(w, cmpReg(x16, x16))
}

// Machine code that clobbers every register it may, called in a loop on
// several goroutines while the garbage collector runs: nothing in it may
// disturb the runtime.
func TestArm64CallLeafUnderGC(t *testing.T) {
	// x0+x1 computed first and kept in X17 over the clobbering.
	code := leaf(t, append(append([]uint32{addReg(x17, 0, 1)}, setRegs(0xdead0000beef, x17, fp, lr)...), movReg(0, x17), ret)...)
	withGC(4, func(g uint64) {
		var keep []*[4]uint64
		for i := uint64(0); i < 20_000; i++ {
			if got := CallLeaf(code, i, g); got != i+g {
				t.Errorf("add(%d, %d) = %d", i, g, got)
				return
			}
			keep = append(keep, &[4]uint64{i}) // allocate, for the collector's sake
			if len(keep) > 64 {
				keep = keep[:0]
			}
		}
	})
}

// Code is mapped, run and unmapped again and again, and Linux hands the
// same addresses back (often the same physical pages): on hardware, a
// missing or short instruction-cache synchronisation in Map would let an
// iteration run the previous one's code and return its constant. The
// constant sits at the end of a two-page function (the entry branches
// over the first page), so a sync that covered only the start would fail
// as well. Under qemu-user this check cannot fail that way: qemu
// translates guest code from memory and drops its translations when the
// page is written or unmapped, whatever the guest does about caches (its
// DC CVAU and IC IVAU are no-ops), and its mmap moves on rather than
// reuse addresses (the log counts reuses). There the test checks the
// mapping and that the sync's instructions execute; the cache behaviour
// needs real arm64 hardware.
func TestArm64MapWriteThenExecute(t *testing.T) {
	page := unix.Getpagesize()
	words := make([]uint32, (page+page/2)/4)
	for i := range words {
		words[i] = nop
	}
	tail := len(words) - 5
	words[0] = 0x14000000 | uint32(tail) // B to the tail
	reused := 0
	var last uintptr
	for i := uint64(1); i <= 200; i++ {
		k := i*0x0001000100010001 ^ 0x5a5a
		for j, hw := range []uint32{0, 1, 2, 3} {
			w := movk(0, uint32(k>>(16*hw)&0xffff), hw)
			if j == 0 {
				w = movz(0, uint32(k&0xffff), 0)
			}
			words[tail+j] = w
		}
		words[tail+4] = ret
		p := newProg()
		p.emit(words...)
		c, err := Map(p.bytes(t))
		if err != nil {
			t.Fatal(err)
		}
		if got := CallLeaf(c.Addr(), 0, 0); got != k {
			t.Fatalf("iteration %d at %#x returned %#x, want %#x (stale instructions?)", i, c.Addr(), got, k)
		}
		if c.Addr() == last {
			reused++
		}
		last = c.Addr()
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("200 mappings, %d at the address of the one before", reused)
}

// The cache type register reads, with line sizes the architecture allows
// (4 to 512 words), and the maintenance loops run over every line of an
// unaligned range for each combination of CTR_EL0's IDC and DIC bits and
// the smallest and largest lines, between PROT_NONE pages: on hardware a
// loop running a line too far either way would fault there (qemu-user
// checks nothing: its cache maintenance is a no-op). qemu's default CPU
// has 32-byte lines; run the test binary under qemu-aarch64-static -cpu
// cortex-a53 or -cpu a64fx for 64- and 256-byte ones.
func TestArm64SyncICache(t *testing.T) {
	ctr := ctrEL0()
	iline, dline := cacheLines(ctr)
	t.Logf("CTR_EL0 %#x: I-line %d bytes, D-line %d bytes, IDC %v, DIC %v", ctr, iline, dline, ctr&ctrIDC != 0, ctr&ctrDIC != 0)
	for _, l := range []int{iline, dline} {
		if l < 16 || l > 2048 {
			t.Errorf("cache line of %d bytes", l)
		}
	}
	page := unix.Getpagesize()
	mem, err := unix.Mmap(-1, 0, 4*page, unix.PROT_READ|unix.PROT_WRITE, unix.MAP_PRIVATE|unix.MAP_ANON)
	if err != nil {
		t.Fatal(err)
	}
	defer unix.Munmap(mem)
	for _, g := range [][]byte{mem[:page], mem[3*page:]} {
		if err := unix.Mprotect(g, unix.PROT_NONE); err != nil {
			t.Fatal(err)
		}
	}
	body := mem[page : 3*page]
	for i := range body {
		body[i] = byte(i)
	}
	start := uintptr(unsafe.Pointer(&body[0]))
	lines := uint64(2)<<ctrIminLineShift | 2<<ctrDminLineShift // 16 bytes
	big := uint64(9)<<ctrIminLineShift | 9<<ctrDminLineShift   // 2 KiB
	for _, c := range []uint64{ctr, ctr &^ (ctrIDC | ctrDIC), ctr | ctrIDC, ctr | ctrDIC, ctr | ctrIDC | ctrDIC, lines, big} {
		for _, r := range [][2]uintptr{{0, 1}, {3, 2*uintptr(page) - 5}, {0, 2 * uintptr(page)}, {uintptr(page) - 1, uintptr(page) + 1}} {
			syncICache(start+r[0], start+r[1], c)
		}
	}
	for i := range body {
		if body[i] != byte(i) {
			t.Fatalf("byte %d changed", i)
		}
	}
}
