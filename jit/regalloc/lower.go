package regalloc

import (
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/rt"
)

// What every back end lowers the same way, whatever its instructions.

// RuntimeExits are the operations Go executes for machine code, with the
// exit each takes (see rt.ExitMemoryFill).
var RuntimeExits = map[ir.Op]rt.ExitCode{
	ir.OpMemoryFill: rt.ExitMemoryFill,
	ir.OpMemoryCopy: rt.ExitMemoryCopy,
	ir.OpMemoryInit: rt.ExitMemoryInit,
	ir.OpDataDrop:   rt.ExitDataDrop,
	ir.OpTableGet:   rt.ExitTableGet,
	ir.OpTableSet:   rt.ExitTableSet,
	ir.OpTableSize:  rt.ExitTableSize,
	ir.OpTableGrow:  rt.ExitTableGrow,
	ir.OpTableFill:  rt.ExitTableFill,
	ir.OpTableCopy:  rt.ExitTableCopy,
	ir.OpTableInit:  rt.ExitTableInit,
	ir.OpElemDrop:   rt.ExitElemDrop,
	ir.OpRefFunc:    rt.ExitRefFunc,
}

// Exits reports whether v leaves machine code (every register is lost):
// calls, memory.grow and the operations Go executes.
func Exits(v *ir.Value) bool { return v.Op < ir.NumOps && exiting[v.Op] }

// exiting is Exits by op (asked of every instruction: an array, not a
// map lookup).
var exiting = func() (t [ir.NumOps]bool) {
	for op := range RuntimeExits {
		t[op] = true
	}
	t[ir.OpCall], t[ir.OpCallIndirect], t[ir.OpMemoryGrow] = true, true, true
	return t
}()

// OutSlots is how many outgoing argument/result slots v needs.
func OutSlots(v *ir.Value) int {
	switch {
	case v.Op == ir.OpCall || v.Op == ir.OpCallIndirect:
		return max(ir.SlotCount(v.Sig.Params), ir.SlotCount(v.Sig.Results))
	case v.Op.IsRuntime():
		return max(len(v.Args), 1)
	}
	return 0
}

// SlotIndex is the slot index of value i of a list of types ts in an
// argument or result area (a v128 takes two slots).
func SlotIndex(ts []ir.Type, i int) int { return ir.SlotCount(ts[:i]) }

// SameAddress reports whether two address operands are the same value
// (or equal constants), as jit/opt groups accesses.
func SameAddress(x, y *ir.Value) bool {
	return x == y || x.Op == ir.OpConst && y.Op == ir.OpConst && x.Type == y.Type && x.Aux == y.Aux
}

// WidenedGroup is the accesses a bounds check widened by jit/opt covers:
// v and the later loads and stores of its block off the same address, in
// program order. When the widened check fails, the first of them past
// the memory's end is where the interpreter traps (jit/opt ends a group
// at any other check, so no other trap comes between).
func WidenedGroup(v *ir.Value) []*ir.Value {
	var group []*ir.Value
	seen := false
	for _, w := range v.Block.Insts {
		if w == v {
			seen = true
		}
		if seen && (w.Op == ir.OpLoad || w.Op == ir.OpStore) && SameAddress(w.Args[0], v.Args[0]) {
			group = append(group, w)
		}
	}
	return group
}

// TruncBounds are the float bounds of a truncation to an integer type:
// valid when lo < x (lo <= x with loIncl) and x < hi.
func TruncBounds(signed bool, to, from ir.Type) (lo float64, loIncl bool, hi float64) {
	switch {
	case signed && to == ir.I32:
		if from == ir.F32 {
			return -(1 << 31), true, 1 << 31
		}
		return -(1 << 31) - 1, false, 1 << 31
	case signed:
		return -(1 << 63), true, 1 << 63
	case to == ir.I32:
		return -1, false, 1 << 32
	}
	return -1, false, 1 << 64
}
