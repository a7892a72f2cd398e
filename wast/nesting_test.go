package wast

import (
	"bytes"
	"runtime"
	"strings"
	"testing"
)

// Flat blocks nest without recursion and with a few hundred bytes of
// memory per level, the source's nodes included: a million levels once
// took 1.1 GB (about 580 bytes allocated per level, and a goroutine stack
// growing with the nesting).
func TestFlatNestingMemory(t *testing.T) {
	const n = 200_000
	src := []byte("(module (func\n" + strings.Repeat("block\n", n) + strings.Repeat("end\n", n) + "))\n")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	bin, err := ParseModule("deep.wat", src)
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatal(err)
	}
	perLevel := float64(after.TotalAlloc-before.TotalAlloc) / n
	t.Logf("%d levels: %.0f bytes allocated per level", n, perLevel)
	if perLevel > 300 {
		t.Errorf("%.0f bytes allocated per nesting level, want at most 300", perLevel)
	}
	if blocks := bytes.Count(bin, []byte{0x02, 0x40}); blocks != n {
		t.Errorf("encoded %d blocks, want %d", blocks, n)
	}
}

// Labels of deeply nested flat blocks resolve to the right depth.
func TestFlatNestingLabels(t *testing.T) {
	const n = 1000
	src := "(module (func\n" + strings.Repeat("block $b\nloop\nif $i\n", n) + "br $b br $i br 0\n" +
		strings.Repeat("else $i\nend\nend\nend $b\n", n) + "))"
	bin, err := ParseModule("labels.wat", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	// br $b is depth 2 (if, loop, block), br $i depth 0.
	if !bytes.Contains(bin, []byte{0x0c, 2, 0x0c, 0, 0x0c, 0, 0x05, 0x0b, 0x0b, 0x0b}) {
		t.Errorf("innermost branches or block ends not encoded as expected")
	}
	if ifs := bytes.Count(bin, []byte{0x04, 0x40}); ifs != n {
		t.Errorf("encoded %d ifs, want %d", ifs, n)
	}
}
