package regalloc

import (
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

// A swap and a three-cycle are performed through the scratch register,
// and the result equals doing every move at once.
func TestParallelCycles(t *testing.T) {
	const scratch = 9
	state := map[Loc]int{}
	for r := uint8(0); r < 8; r++ {
		state[GPR(r)] = int(r)
	}
	state[Slot(8)] = 100
	ms := []Move{
		{Dst: GPR(0), Src: GPR(1), T: ir.I64}, {Dst: GPR(1), Src: GPR(0), T: ir.I64}, // swap
		{Dst: GPR(2), Src: GPR(3), T: ir.I64}, {Dst: GPR(3), Src: GPR(4), T: ir.I64}, {Dst: GPR(4), Src: GPR(2), T: ir.I64},
		{Dst: GPR(5), Src: Slot(8), T: ir.I64}, {Dst: Slot(8), Src: GPR(5), T: ir.I64},
		{Dst: GPR(6), Src: GPR(6), T: ir.I64},
	}
	want := map[Loc]int{}
	for k, v := range state {
		want[k] = v
	}
	for _, m := range ms {
		want[m.Dst] = state[m.Src]
	}
	n := 0
	Parallel(append([]Move(nil), ms...), func(dst, src Loc, _ ir.Type) {
		n++
		state[dst] = state[src]
	}, func(Move) Loc { return GPR(scratch) })
	delete(state, GPR(scratch))
	for k, v := range want {
		if state[k] != v {
			t.Errorf("%+v = %d, want %d", k, state[k], v)
		}
	}
	if n != 10 { // 7 moves, 3 cycles broken
		t.Errorf("%d moves emitted, want 10", n)
	}
}

// A value live at an instruction clobbering a register never gets it;
// values elsewhere do.
func TestAvoidClobbered(t *testing.T) {
	f := ir.NewFunc("avoid", ir.Signature{Params: []ir.Type{ir.I32, ir.I32}, Results: []ir.Type{ir.I32}})
	b := f.Entry()
	x, y := b.Params[0], b.Params[1]
	q := b.Binary(ir.OpDivU, x, y)
	r := b.Binary(ir.OpAdd, q, b.Const(ir.I32, 1))
	b.Return(r)
	if err := ir.Verify(f); err != nil {
		t.Fatal(err)
	}
	clobbers := func(v *ir.Value) uint64 {
		if v.Op == ir.OpDivU {
			return 1<<1 | 1<<2
		}
		return 0
	}
	_, ivs := Intervals(f, ir.ComputeCFG(f), clobbers)
	c := &Config{GPRs: []uint8{3, 2, 1}} // 1 is handed out first
	locs := Allocate(ivs, c, func() int32 { return 0 })
	for _, v := range []*ir.Value{x, y} {
		if l := locs[v.ID]; l != GPR(3) && l.Kind == LocGPR {
			t.Errorf("%v, live at the division, is in %+v", v, l)
		}
	}
	if locs[r.ID] != GPR(1) && locs[r.ID] != GPR(2) {
		t.Errorf("%v after the division in %+v, want a clobbered register", r, locs[r.ID])
	}
}
