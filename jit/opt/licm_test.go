package opt

import (
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

// loopNest builds
//
//	for i := n; i != 0; i-- {          // outer
//	    for j := n; j != 0; j-- {      // inner
//	        acc += x*y + (x<<3) + i*7 + (x / y)
//	    }
//	}
//
// where x*y and x<<3 are invariant in both loops, i*7 only in the inner
// one, and x / y, invariant too, may trap.
func loopNest() *ir.Func {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32, ir.I32, ir.I32}, Results: []ir.Type{ir.I32}})
	entry := f.Entry()
	x, y, n := entry.Params[0], entry.Params[1], entry.Params[2]
	outer, inner, body, latch, exit := f.NewBlock(), f.NewBlock(), f.NewBlock(), f.NewBlock(), f.NewBlock()
	entry.Jump(outer, n, entry.Const(ir.I32, 0))
	i, acc := outer.AddParam(ir.I32), outer.AddParam(ir.I32)
	outer.Branch(i, ir.Edge{To: inner, Args: []*ir.Value{n, acc}}, ir.Edge{To: exit})
	j, acc2 := inner.AddParam(ir.I32), inner.AddParam(ir.I32)
	inner.Branch(j, ir.Edge{To: body}, ir.Edge{To: latch})
	t := body.Binary(ir.OpAdd, body.Binary(ir.OpMul, x, y), body.Binary(ir.OpShl, x, body.Const(ir.I32, 3)))
	t = body.Binary(ir.OpAdd, t, body.Binary(ir.OpMul, i, body.Const(ir.I32, 7)))
	t = body.Binary(ir.OpAdd, t, body.Binary(ir.OpDivU, x, y))
	body.Jump(inner, body.Binary(ir.OpSub, j, body.Const(ir.I32, 1)), body.Binary(ir.OpAdd, acc2, t))
	latch.Jump(outer, latch.Binary(ir.OpSub, i, latch.Const(ir.I32, 1)), acc2)
	exit.Return(acc)
	return f
}

// Invariant pure operations leave their loops, as far out as their
// arguments allow; the division, which may trap, stays; results and
// traps do not change.
func TestHoistInvariants(t *testing.T) {
	orig, f := loopNest(), loopNest()
	if !HoistInvariants(f) {
		t.Fatal("nothing hoisted")
	}
	RemoveUnreachableBlocks(f)
	if err := ir.Verify(f); err != nil {
		t.Fatalf("%v\n%v", err, f)
	}
	cfg := ir.ComputeCFG(f)
	loops := findLoops(f, cfg, make([]bool, len(f.Blocks)))
	if len(loops) != 2 {
		t.Fatalf("%d loops, want 2:\n%v", len(loops), f)
	}
	depth := func(b *ir.Block) int {
		d := 0
		for _, l := range loops {
			for _, lb := range l.body {
				if lb == b {
					d++
				}
			}
		}
		return d
	}
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			want := -1
			switch {
			case v.Op == ir.OpMul && v.Args[1].Op == ir.OpConst, v.Op == ir.OpShl:
				want = 1 - boolInt(v.Op == ir.OpShl) // i*7 in the outer loop, x<<3 outside
			case v.Op == ir.OpMul:
				want = 0 // x*y
			case v.Op == ir.OpDivU:
				want = 2
			}
			if want >= 0 && depth(b) != want {
				t.Errorf("%v in b%d at loop depth %d, want %d:\n%v", v.Op, b.ID, depth(b), want, f)
			}
		}
	}
	for _, args := range [][3]uint64{{3, 4, 5}, {7, 0, 2}, {7, 0, 0}, {0xFFFF_FFFF, 3, 4}} {
		if a, b := run(orig, args[:]...), run(f, args[:]...); a != b {
			t.Errorf("%v: original %s, hoisted %s", args, a, b)
		}
	}
	Run(f)
	if err := ir.Verify(f); err != nil {
		t.Fatalf("after Run: %v\n%v", err, f)
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// A loop with nothing to hoist keeps its shape: the preheader made for
// it is bypassed again and goes.
func TestHoistNothing(t *testing.T) {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
	entry := f.Entry()
	head, exit := f.NewBlock(), f.NewBlock()
	entry.Jump(head, entry.Params[0])
	i := head.AddParam(ir.I32)
	i2 := head.Binary(ir.OpSub, i, head.Const(ir.I32, 1))
	head.Branch(i2, ir.Edge{To: head, Args: []*ir.Value{i2}}, ir.Edge{To: exit})
	exit.Return(i2)
	before := f.String()
	if HoistInvariants(f) {
		t.Errorf("hoisted something:\n%v", f)
	}
	RemoveUnreachableBlocks(f)
	if got := f.String(); got != before {
		t.Errorf("shape changed:\n%s\nwas\n%s", got, before)
	}
}
