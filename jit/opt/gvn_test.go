package opt

import (
	"fmt"
	"strings"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

func count(f *ir.Func, op ir.Op) int {
	n := 0
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			if v.Op == op {
				n++
			}
		}
	}
	return n
}

// Equal pure computations merge across dominating blocks, commutative
// ones in either order and with equal constants counted as one; those in
// sibling blocks, trapping ones and reads of state stay.
func TestGVN(t *testing.T) {
	build := func() *ir.Func {
		f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32, ir.I32}, Results: []ir.Type{ir.I32}})
		entry := f.Entry()
		x, y := entry.Params[0], entry.Params[1]
		a := entry.Binary(ir.OpAdd, x, y)
		m := entry.Binary(ir.OpMul, x, entry.Const(ir.I32, 7))
		d := entry.Binary(ir.OpDivU, x, y)
		g := entry.Append(ir.OpGlobalGet, ir.I32, 0)
		then, els, join := f.NewBlock(), f.NewBlock(), f.NewBlock()
		entry.Branch(a, ir.Edge{To: then}, ir.Edge{To: els})
		a2 := then.Binary(ir.OpAdd, y, x)                     // = a
		m2 := then.Binary(ir.OpMul, x, then.Const(ir.I32, 7)) // = m
		d2 := then.Binary(ir.OpDivU, x, y)                    // traps: kept
		g2 := then.Append(ir.OpGlobalGet, ir.I32, 0)          // a read: kept
		s1 := then.Binary(ir.OpSub, x, y)                     // only here
		then.Jump(join, then.Binary(ir.OpAdd, then.Binary(ir.OpAdd, a2, m2), then.Binary(ir.OpAdd, d2, then.Binary(ir.OpAdd, g2, s1))))
		s2 := els.Binary(ir.OpSub, x, y) // sibling of s1: kept
		els.Jump(join, els.Binary(ir.OpAdd, s2, els.Binary(ir.OpAdd, d, els.Binary(ir.OpAdd, g, m))))
		r := join.AddParam(ir.I32)
		join.Return(join.Binary(ir.OpAdd, r, join.Binary(ir.OpSub, y, x)))
		return f
	}
	orig, f := build(), build()
	if !GVN(f) {
		t.Fatal("GVN changed nothing")
	}
	if err := ir.Verify(f); err != nil {
		t.Fatalf("%v\n%v", err, f)
	}
	if n := count(f, ir.OpMul); n != 1 {
		t.Errorf("%d muls, want 1:\n%v", n, f)
	}
	if n := count(f, ir.OpDivU); n != 2 {
		t.Errorf("%d div_u, want 2 (a trap is not merged):\n%v", n, f)
	}
	if n := count(f, ir.OpSub); n != 3 {
		t.Errorf("%d subs, want 3 (siblings and sub y,x stay):\n%v", n, f)
	}
	if n := count(f, ir.OpGlobalGet); n != 2 {
		t.Errorf("%d global.get, want 2:\n%v", n, f)
	}
	env := &globalEnv{g: 5}
	for _, args := range [][2]uint64{{1, 2}, {0, 0}, {3, 0}, {0xFFFF_FFFF, 1}} {
		if a, b := runEnv(orig, env, args[0], args[1]), runEnv(f, env, args[0], args[1]); a != b {
			t.Errorf("%v: original %s, after GVN %s", args, a, b)
		}
	}
	if strings.Count(f.String(), "add") != strings.Count(orig.String(), "add")-1 {
		t.Errorf("add y,x not merged with add x,y:\n%v", f)
	}
}

type globalEnv struct{ g uint64 }

func (e *globalEnv) Call(uint32, []uint64) ([]uint64, error) { return nil, errSkip }
func (e *globalEnv) GlobalGet(uint32) (uint64, error)        { return e.g, nil }
func (e *globalEnv) GlobalSet(_ uint32, v uint64) error      { e.g = v; return nil }

func runEnv(f *ir.Func, env ir.Env, args ...uint64) string {
	budget := 1000
	res, err := ir.Run(f, env, args, &budget)
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprint(res)
}
