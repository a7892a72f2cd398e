package opt

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

// memEnv is one page of memory and one global; calls write the global.
type memEnv struct {
	mem []byte
	g   uint64
}

func (e *memEnv) Call(uint32, []uint64) ([]uint64, error) { e.g++; return nil, nil }
func (e *memEnv) GlobalGet(uint32) (uint64, error)        { return e.g, nil }
func (e *memEnv) GlobalSet(_ uint32, v uint64) error      { e.g = v; return nil }
func (e *memEnv) Memory() []byte                          { return e.mem }
func (e *memEnv) GrowMemory(uint32) int32                 { return -1 }

func newMemEnv() *memEnv {
	e := &memEnv{mem: make([]byte, 65536)}
	for i := range e.mem {
		e.mem[i] = byte(i * 7)
	}
	return e
}

// outcome runs f on a fresh memory: results or trap, the global and the
// memory's digest.
func outcome(f *ir.Func, args ...uint64) (string, []byte) {
	e := newMemEnv()
	budget := 1000
	res, err := ir.Run(f, e, args, &budget)
	return fmt.Sprintf("%v %v g=%d", res, err, e.g), e.mem
}

func checks(f *ir.Func) (unchecked []string) {
	for _, b := range f.Blocks {
		for _, v := range b.Insts {
			if v.Op != ir.OpLoad && v.Op != ir.OpStore {
				continue
			}
			u, extra := v.BoundsCheck()
			off, size, _ := v.Access()
			s := fmt.Sprintf("%v@%d+%d", v.Op, off, size)
			switch {
			case u:
				s += " unchecked"
			case extra > 0:
				s += fmt.Sprintf(" check+%d", extra)
			}
			unchecked = append(unchecked, s)
		}
	}
	return unchecked
}

func loadAt(b *ir.Block, addr *ir.Value, off uint32, size int) *ir.Value {
	t := ir.I32
	if size == 8 {
		t = ir.I64
	}
	return b.Append(ir.OpLoad, t, ir.MemAux(off, size, false), addr)
}

func storeAt(b *ir.Block, addr *ir.Value, off uint32, size int, x *ir.Value) {
	b.Append(ir.OpStore, ir.None, ir.MemAux(off, size, false), addr, x)
}

// Each rule on its own, then the function run on addresses around the
// memory's end must give the same results, traps, global and memory.
func TestEliminateBoundsChecks(t *testing.T) {
	type tc struct {
		name  string
		build func(f *ir.Func, x *ir.Value) *ir.Value
		want  []string
	}
	sum := func(b *ir.Block, vs ...*ir.Value) *ir.Value {
		var s *ir.Value
		for _, v := range vs {
			if v.Type == ir.I64 {
				v = b.Append(ir.OpWrap, ir.I32, 0, v)
			}
			if s == nil {
				s = v
			} else {
				s = b.Binary(ir.OpAdd, s, v)
			}
		}
		return s
	}
	cases := []tc{
		{"constant addresses", func(f *ir.Func, x *ir.Value) *ir.Value {
			b := f.Entry()
			return sum(b, loadAt(b, b.Const(ir.I32, 65532), 0, 4), loadAt(b, b.Const(ir.I32, 65532), 1, 4),
				loadAt(b, b.Const(ir.I32, 100), 65532, 4), x)
		}, []string{"load@0+4 unchecked", "load@1+4", "load@65532+4"}},
		{"dominated", func(f *ir.Func, x *ir.Value) *ir.Value {
			entry := f.Entry()
			a := loadAt(entry, x, 4, 4)
			then, els, join := f.NewBlock(), f.NewBlock(), f.NewBlock()
			entry.Branch(a, ir.Edge{To: then}, ir.Edge{To: els})
			then.Jump(join, sum(then, loadAt(then, x, 0, 8), loadAt(then, x, 8, 4)))
			els.Jump(join, sum(els, loadAt(els, x, 12, 4)))
			p := join.AddParam(ir.I32)
			return sum(join, p, loadAt(join, x, 6, 2), loadAt(join, x, 9, 4))
		}, []string{"load@4+4", "load@0+8 unchecked", "load@8+4", "load@12+4", "load@6+2 unchecked", "load@9+4"}},
		{"group", func(f *ir.Func, x *ir.Value) *ir.Value {
			b := f.Entry()
			a := loadAt(b, x, 0, 4)
			c := loadAt(b, x, 16, 4)
			d := loadAt(b, b.Binary(ir.OpAdd, x, b.Const(ir.I32, 1)), 0, 4) // another address's check: ends the group
			e := loadAt(b, x, 8, 8)                                         // within the end checked by c
			storeAt(b, x, 20, 4, a)
			g := loadAt(b, x, 100, 4) // after the store: a new group
			return sum(b, a, c, d, e, g)
		}, []string{"load@0+4 check+16", "load@16+4 unchecked", "load@0+4", "load@8+8 unchecked", "store@20+4", "load@100+4"}},
		{"group broken by effects", func(f *ir.Func, x *ir.Value) *ir.Value {
			b := f.Entry()
			a := loadAt(b, x, 0, 4)
			b.Append(ir.OpGlobalSet, ir.None, 0, a)
			c := loadAt(b, x, 8, 4)
			b.Call(1, &ir.Signature{})
			d := loadAt(b, x, 12, 4)
			q := b.Binary(ir.OpDivU, d, x)
			e := loadAt(b, x, 16, 4)
			storeAt(b, x, 24, 4, e)
			storeAt(b, x, 28, 4, e)
			return sum(b, a, c, d, q, e)
		}, []string{"load@0+4", "load@8+4", "load@12+4", "load@16+4 check+8", "store@24+4 unchecked", "store@28+4"}},
	}
	for _, c := range cases {
		build := func() *ir.Func {
			f := ir.NewFunc(c.name, ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
			r := c.build(f, f.Entry().Params[0])
			r.Block.Return(r)
			return f
		}
		orig, f := build(), build()
		EliminateBoundsChecks(f, 65536)
		if err := ir.Verify(f); err != nil {
			t.Fatalf("%s: %v\n%v", c.name, err, f)
		}
		if got := checks(f); fmt.Sprint(got) != fmt.Sprint(c.want) {
			t.Errorf("%s:\ngot  %q\nwant %q\n%v", c.name, got, c.want, f)
		}
		for _, x := range []uint64{0, 1, 3, 65400, 65500, 65504, 65512, 65516, 65520, 65523, 65524, 65527, 65528, 65532, 65535, 65536, 0xFFFF_FFFF, 0xFFFF_FFF0} {
			a, am := outcome(orig, x)
			b, bm := outcome(f, x)
			if a != b || !bytes.Equal(am, bm) {
				t.Errorf("%s(%d): original %s, after %s (memory equal: %v)", c.name, x, a, b, bytes.Equal(am, bm))
			}
		}
	}
}

// A wrong proof shows: an unchecked access out of bounds is an error of
// Run, not a trap, so the comparisons above cannot hide one.
func TestUncheckedAccessOutOfBounds(t *testing.T) {
	f := ir.NewFunc("t", ir.Signature{Params: []ir.Type{ir.I32}, Results: []ir.Type{ir.I32}})
	v := loadAt(f.Entry(), f.Entry().Params[0], 0, 4)
	v.SetBoundsCheck(true, 0)
	f.Entry().Return(v)
	if got, _ := outcome(f, 65534); !bytes.Contains([]byte(got), []byte(ir.ErrUncheckedAccess.Error())) {
		t.Errorf("got %s", got)
	}
}
