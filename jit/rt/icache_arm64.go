//go:build unix

package rt

import "unsafe"

// syncInstructionCache makes code, just written through the data side,
// visible to instruction fetch. AArch64 caches instructions and data
// separately and does not keep them coherent: without this, a core may
// run whatever its instruction cache (or pipeline) still holds for these
// addresses, such as the code of an earlier mapping at the same address.
// The sequence is the architecture's: clean the data cache lines to the
// point of unification (DC CVAU), DSB ISH, invalidate the instruction
// cache lines (IC IVAU), DSB ISH, ISB; the line sizes come from CTR_EL0,
// whose IDC and DIC bits say when a half is not needed. Broadcast to
// the inner-shareable domain, it covers every core; a core that later
// runs the code also executes an ISB in enter (call_arm64.s) first.
func syncInstructionCache(code []byte) error {
	start := uintptr(unsafe.Pointer(&code[0]))
	syncICache(start, start+uintptr(len(code)), ctrEL0())
	return nil
}

// ctrEL0 reads the cache type register (Linux lets user space read it,
// and emulates it with the system-wide safe value when cores differ).
func ctrEL0() uint64

// syncICache runs the cache maintenance for [start, end) (end > start)
// with the line sizes and IDC/DIC bits of ctr, a CTR_EL0 value.
//
//go:noescape
func syncICache(start, end uintptr, ctr uint64)

// CTR_EL0 fields (Arm ARM, D19.2): log2 of the smallest line in 4-byte
// words, and the bits that make a half of the maintenance unnecessary.
const (
	ctrIminLineShift = 0
	ctrDminLineShift = 16
	ctrIDC           = 1 << 28 // no data cache clean needed for coherence
	ctrDIC           = 1 << 29 // no instruction cache invalidation needed
)

// cacheLines is CTR_EL0's smallest instruction and data cache lines in bytes.
func cacheLines(ctr uint64) (iline, dline int) {
	return 4 << (ctr >> ctrIminLineShift & 15), 4 << (ctr >> ctrDminLineShift & 15)
}
