package opt

import "github.com/kilnrt/kiln/jit/ir"

// EliminateBoundsChecks marks loads and stores whose bounds check cannot
// fail, and widens checks to cover later ones (ir.Value.BoundsCheck).
// minMemory is a lower bound of memory 0's length in bytes (its minimum
// size): the memory never shrinks, so an access that fit once fits
// forever after, whatever memory.grow or calls do. Three rules:
//
//   - constant address: an access ending at or below minMemory needs no
//     check;
//   - dominance: an access whose address value already passed a check
//     reaching at least as far, in a block dominating it (or earlier in
//     its block), needs no check;
//   - one check for a group: within a block, from a checked load, later
//     loads (and at most one store, which ends the group) off the same
//     address value become unchecked and the load's check is widened to
//     the group's farthest end. Between the load and the last access of
//     the group only pure operations and the group's loads run: nothing
//     with an effect, and no other check (one ends every group, so that
//     codegen can tell which access of the group traps first, for the
//     trap's backtrace). So when the widened
//     check traps, the original would have trapped too, on one of the
//     group's accesses or on a load between, with the same message and
//     the same memory and globals, as nothing between writes.
//
// Addresses are compared as SSA values (GVN makes equal computations one
// value) or, for constants, by value; address + offset is computed in 64
// bits, so no rule has to reason about 32-bit wrap-around.
func EliminateBoundsChecks(f *ir.Func, minMemory uint64) {
	eliminateBoundsChecks(f, minMemory, &work{})
}

// eliminateBoundsChecks is EliminateBoundsChecks computing f's CFG in
// w.
func eliminateBoundsChecks(f *ir.Func, minMemory uint64, w *work) {
	w.cfg.Compute(f)
	children := w.domChildren(f)
	known := map[gvnArg]uint64{} // address -> farthest end checked on the path
	type undo struct {
		k    gvnArg
		prev uint64
		had  bool
	}
	var visit func(b *ir.Block)
	visit = func(b *ir.Block) {
		var log []undo
		raise := func(k gvnArg, end uint64) {
			prev, had := known[k]
			if had && prev >= end {
				return
			}
			log = append(log, undo{k, prev, had})
			known[k] = end
		}
		for _, v := range b.Insts {
			if v.Op != ir.OpLoad && v.Op != ir.OpStore {
				continue
			}
			off, size, _ := v.Access()
			end := uint64(off) + uint64(size)
			addr := v.Args[0]
			k := argKey(addr)
			if addr.Op == ir.OpConst && uint64(uint32(addr.Aux))+end <= minMemory || known[k] >= end {
				v.SetBoundsCheck(true, 0)
			}
			raise(k, end)
		}
		// Widened checks reach farther for the blocks dominated.
		widenChecks(b)
		for _, v := range b.Insts {
			if v.Op == ir.OpLoad || v.Op == ir.OpStore {
				raise(argKey(v.Args[0]), v.CheckEnd())
			}
		}
		for _, c := range children[b.ID] {
			visit(c)
		}
		for i := len(log) - 1; i >= 0; i-- {
			if u := log[i]; u.had {
				known[u.k] = u.prev
			} else {
				delete(known, u.k)
			}
		}
	}
	visit(f.Entry())
}

// widenChecks applies the group rule in one block: each open group is a
// checked load per address, whose check grows to cover later accesses
// off the same address until an instruction with another effect (or a
// store, after it joins a group) closes every group.
func widenChecks(b *ir.Block) {
	open := map[gvnArg]*ir.Value{}
	for _, v := range b.Insts {
		switch {
		case v.Op == ir.OpLoad || v.Op == ir.OpStore:
			if unchecked, _ := v.BoundsCheck(); !unchecked {
				k := argKey(v.Args[0])
				if first, ok := open[k]; ok && cover(first, v) {
					v.SetBoundsCheck(true, 0)
				} else {
					// v's own check may trap: a group widened past it
					// would trap before it, at another instruction
					// than the interpreter, so the groups end here.
					clear(open)
					if v.Op == ir.OpLoad {
						open[k] = v
					}
				}
			}
			if v.Op == ir.OpStore {
				clear(open)
			}
		case v.Op.HasEffect() && v.Op != ir.OpMemorySize:
			clear(open)
		}
	}
}

// cover widens first's check to reach as far as v's end, if the extra
// span fits, and reports whether it does.
func cover(first, v *ir.Value) bool {
	off, size, _ := first.Access()
	own := uint64(off) + uint64(size)
	voff, vsize, _ := v.Access()
	end := uint64(voff) + uint64(vsize)
	_, extra := first.BoundsCheck()
	if end <= own+uint64(extra) {
		return true
	}
	if end-own > ir.MaxCheckExtra {
		return false
	}
	first.SetBoundsCheck(false, uint32(end-own))
	return true
}
