package codegen

import (
	"testing"

	"github.com/kilnrt/kiln/amd64"
	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/jit/regalloc"
)

// A loop's variables (the header's parameters) and the values it uses
// get registers when there are enough: no slot is allocated at all.
func TestLoopVariablesInRegisters(t *testing.T) {
	// sum, i, n: loop { sum += i*i; i++; if i < n continue }
	f := ir.NewFunc("loop", ir.Signature{Params: []ir.Type{ir.I64}, Results: []ir.Type{ir.I64}})
	entry := f.Entry()
	n := entry.Params[0]
	head, exit := f.NewBlock(), f.NewBlock()
	zero := entry.Const(ir.I64, 0)
	entry.Jump(head, zero, zero)
	sum, i := head.AddParam(ir.I64), head.AddParam(ir.I64)
	sq := head.Binary(ir.OpMul, i, i)
	sum2 := head.Binary(ir.OpAdd, sum, sq)
	i2 := head.Binary(ir.OpAdd, i, head.Const(ir.I64, 1))
	more := head.Compare(ir.OpLtU, i2, n)
	head.Branch(more, ir.Edge{To: head, Args: []*ir.Value{sum2, i2}}, ir.Edge{To: exit, Args: []*ir.Value{sum2}})
	res := exit.AddParam(ir.I64)
	exit.Return(res)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	_, ivs := intervals(f, ir.ComputeCFG(f))
	slots := 0
	locs := allocate(ivs, func() int32 { slots++; return int32(8 * slots) })
	if slots != 0 {
		t.Errorf("%d values spilled", slots)
	}
	for _, v := range []*ir.Value{n, sum, i, sum2, i2} {
		if !locs[v.ID].isReg() {
			t.Errorf("v%d not in a register: %+v", v.ID, locs[v.ID])
		}
	}
	checkNoSharing(t, ivs, locs)
}

// Under pressure the allocator spills, and still never gives one
// register to two overlapping intervals.
func TestAllocatorPressure(t *testing.T) {
	f := ir.NewFunc("wide", ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
	b := f.Entry()
	var vs []*ir.Value
	for k := 0; k < 30; k++ {
		vs = append(vs, b.Binary(ir.OpAdd, b.Params[0], b.Const(ir.I32, uint64(k))))
	}
	acc := vs[0]
	for _, v := range vs[1:] {
		acc = b.Binary(ir.OpXor, acc, v)
	}
	b.Return(acc)
	_, ivs := intervals(f, ir.ComputeCFG(f))
	slots := 0
	locs := allocate(ivs, func() int32 { slots++; return int32(8 * slots) })
	if slots == 0 {
		t.Error("30 values live at once and nothing spilled")
	}
	checkNoSharing(t, ivs, locs)
	handed := 0
	for _, iv := range ivs {
		if iv.V != nil && reusesFirst(iv.V) && locs[iv.V.ID].isReg() && locs[iv.V.ID] == locs[iv.V.Args[0].ID] {
			handed++
		}
	}
	if handed == 0 {
		t.Error("no operation took its last-used first operand's register")
	}
}

// Integer constants that fit an instruction's immediate take neither a
// register nor a slot: they are rematerialised at their uses, so a
// constant defined before a loop does not hold a register through it.
// Wide i64 and float constants are allocated as other values.
func TestConstantsRematerialised(t *testing.T) {
	f := ir.NewFunc("c", ir.Signature{Params: []ir.Type{ir.I64}, Results: []ir.Type{ir.I64}})
	b := f.Entry()
	small := []*ir.Value{b.Const(ir.I32, 0xFFFF_FFFF), b.Const(ir.I64, 1<<31-1), b.Const(ir.I64, uint64(1<<64-1<<31))}
	wide := []*ir.Value{b.Const(ir.I64, 1<<31), b.Const(ir.F64, 0)}
	x := b.Params[0]
	x = b.Binary(ir.OpAdd, x, b.Append(ir.OpExtendU, ir.I64, 0, small[0]))
	for _, c := range append(small[1:], wide[0]) {
		x = b.Binary(ir.OpXor, x, c)
	}
	x = b.Binary(ir.OpAdd, x, b.Append(ir.OpReinterpret, ir.I64, 0, wide[1]))
	b.Return(x)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	_, ivs := intervals(f, ir.ComputeCFG(f))
	locs := allocate(ivs, func() int32 { return 8 })
	for _, c := range small {
		if l := locs[c.ID]; l.Kind != locImm || l.Imm != c.Aux {
			t.Errorf("%v: %+v, want rematerialised", c, l)
		}
	}
	for _, c := range wide {
		if locs[c.ID].Kind == locImm {
			t.Errorf("%v rematerialised", c)
		}
	}
}

// A temporary used only inside its block ends at its last use, not at
// the block's end: a long loop body of short-lived values (a hash round,
// four lanes wide) needs no slot, while the loop's own variables stay in
// registers across it.
func TestTemporariesEndAtLastUse(t *testing.T) {
	// four lanes: loop { lane_k = ((lane_k * 3) ^ i) + 5 for k < 4; i++; if i < n continue }
	f := ir.NewFunc("lanes", ir.Signature{Params: []ir.Type{ir.I64}, Results: []ir.Type{ir.I64}})
	entry := f.Entry()
	n := entry.Params[0]
	head, exit := f.NewBlock(), f.NewBlock()
	zero := entry.Const(ir.I64, 0)
	entry.Jump(head, zero, zero, zero, zero, zero)
	i := head.AddParam(ir.I64)
	var lanes, next []*ir.Value
	for k := 0; k < 4; k++ {
		lanes = append(lanes, head.AddParam(ir.I64))
	}
	var temps []*ir.Value
	for _, l := range lanes {
		m := head.Binary(ir.OpMul, l, head.Const(ir.I64, 3))
		x := head.Binary(ir.OpXor, m, i)
		next = append(next, head.Binary(ir.OpAdd, x, n))
		temps = append(temps, m, x)
	}
	i2 := head.Binary(ir.OpAdd, i, head.Const(ir.I64, 1))
	more := head.Compare(ir.OpLtU, i2, n)
	head.Branch(more, ir.Edge{To: head, Args: append([]*ir.Value{i2}, next...)}, ir.Edge{To: exit, Args: next[:1]})
	res := exit.AddParam(ir.I64)
	exit.Return(res)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	lay, ivs := intervals(f, ir.ComputeCFG(f))
	for _, v := range temps {
		if ivs[v.ID].End >= lay.End[head.ID] {
			t.Errorf("temporary %v lives to its block's end: [%d, %d]", v, ivs[v.ID].Start, ivs[v.ID].End)
		}
	}
	slots := 0
	allocate(ivs, func() int32 { slots++; return int32(8 * slots) })
	if slots != 0 {
		t.Errorf("%d values spilled", slots)
	}
}

// RDX is allocatable, but not to a value live at (or read by) a division
// or an inline memory.fill/copy, whose lowerings write it.
func TestRDXNotAcrossItsUsers(t *testing.T) {
	f := ir.NewFunc("rdx", ir.Signature{Params: []ir.Type{ir.I32, ir.I32}, Results: []ir.Type{ir.I32}})
	b := f.Entry()
	x, y := b.Params[0], b.Params[1]
	var live []*ir.Value
	for k := 0; k < 8; k++ {
		live = append(live, b.Binary(ir.OpMul, x, b.Binary(ir.OpAdd, y, b.Const(ir.I32, uint64(k+1)))))
	}
	q := b.Binary(ir.OpDivU, live[0], y)
	after := []*ir.Value{q} // nine values live at once after it: one takes RDX
	for k := 0; k < 8; k++ {
		after = append(after, b.Binary(ir.OpAdd, q, b.Const(ir.I32, uint64(k+1))))
	}
	acc := q
	for _, v := range append(live, after...) {
		acc = b.Binary(ir.OpXor, acc, v)
	}
	b.Return(acc)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	_, ivs := intervals(f, ir.ComputeCFG(f))
	locs := allocate(ivs, func() int32 { return 8 })
	used := false
	for _, v := range append(live, x, y) {
		if locs[v.ID] == gprLoc(amd64.RDX) {
			t.Errorf("%v, live at the division, is in RDX", v)
		}
	}
	for id, l := range locs {
		used = used || l == gprLoc(amd64.RDX) && ivs[id].V != nil
	}
	if !used {
		t.Error("RDX never allocated")
	}
}

// checkNoSharing fails when two values live together share a register,
// except the hand-off: an operation taking the register of its first
// operand, whose interval ends at it (handOff).
func checkNoSharing(t *testing.T, ivs []regalloc.Interval, locs []loc) {
	t.Helper()
	for a := range ivs {
		for b := range ivs {
			if a >= b || ivs[a].V == nil || ivs[b].V == nil || !locs[a].isReg() || locs[a] != locs[b] ||
				ivs[a].Start > ivs[b].End || ivs[b].Start > ivs[a].End {
				continue
			}
			x, v := ivs[a], ivs[b]
			if x.Start > v.Start {
				x, v = v, x
			}
			if x.End == v.Start && reusesFirst(v.V) && v.V.Args[0] == x.V {
				continue
			}
			t.Errorf("v%d and v%d overlap in %+v", a, b, locs[a])
		}
	}
}

// allocate runs the linear scan with amd64's registers.
func allocate(ivs []regalloc.Interval, newSlot func() int32) []loc {
	ls := regalloc.Allocate(ivs, &allocConfig, newSlot)
	locs := make([]loc, len(ls))
	for i, l := range ls {
		locs[i] = loc(l)
	}
	return locs
}
