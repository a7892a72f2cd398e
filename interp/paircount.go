package interp

import (
	"sort"
	"unsafe"
)

// Instruction-pair counting for choosing superinstructions from measured
// frequencies. The dispatch loop calls countInstr only when pairCounting
// is true, a constant that is false unless kiln is built with
// -tags kilnpairs (paircount_on.go), so production builds compile the call
// away. The counters are process-wide and not synchronised: count one
// single-threaded workload at a time (bench/cmd/pairs does).

// OpCount is how often one instruction, or one instruction followed by
// the next in code order (Next != ""), was executed.
type OpCount struct {
	Op, Next string
	N        uint64
}

// PairCountingEnabled reports whether this build counts instructions.
func PairCountingEnabled() bool { return pairCounting }

// ResetOpCounts zeroes the instruction and pair counters.
func ResetOpCounts() {
	opCounts = [numOps]uint64{}
	for i := range pairCounts {
		pairCounts[i] = [numOps]uint64{}
	}
	prevAddr = 0
}

// OpCounts returns the executed instructions and the executed pairs in
// which the second instruction directly followed the first in code order
// (the first fell through, so the two could be one instruction), each
// sorted by decreasing count.
func OpCounts() (ops, pairs []OpCount) {
	for op, n := range opCounts {
		if n != 0 {
			ops = append(ops, OpCount{Op: opNames[op], N: n})
		}
	}
	for first := range pairCounts {
		for next, n := range pairCounts[first] {
			if n != 0 {
				pairs = append(pairs, OpCount{Op: opNames[first], Next: opNames[next], N: n})
			}
		}
	}
	byCount := func(s []OpCount) {
		sort.Slice(s, func(i, j int) bool { return s[i].N > s[j].N })
	}
	byCount(ops)
	byCount(pairs)
	return ops, pairs
}

var (
	opCounts   [numOps]uint64
	pairCounts [][numOps]uint64 // allocated by the kilnpairs build only
	prevAddr   uintptr          // the instruction counted last
	prevOp     opcode
)

// countInstr counts in and, when it directly follows the previously
// executed instruction in code order, the pair.
func countInstr(in *instr) {
	opCounts[in.op]++
	addr := uintptr(unsafe.Pointer(in))
	if prevAddr != 0 && prevAddr+instrSize == addr {
		pairCounts[prevOp][in.op]++
	}
	prevAddr, prevOp = addr, in.op
}
