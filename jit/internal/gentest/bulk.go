//go:build linux && (amd64 || arm64)

package gentest

import (
	"math/rand"
	"testing"

	"github.com/kilnrt/kiln/jit/ir"
)

// bulkFunc is func(d, x, n i32) { op(d, x, n) }.
func bulkFunc(op ir.Op) *ir.Func {
	f := ir.NewFunc(op.String(), ir.Signature{Params: []ir.Type{ir.I32, ir.I32, ir.I32}})
	b := f.Entry()
	b.Append(op, ir.None, 0, b.Params...)
	b.Return()
	return f
}

// MemoryBulk checks a back end's inline memory.fill and memory.copy
// against ir.Run: the same memory written and the same traps (before
// writing anything), on lengths around the 32- and 8-byte chunks,
// overlaps in both directions, ranges ending at the memory's end and
// one past it, and 32-bit operands whose sum needs 33 bits. The
// harness's budget comes in chunks of three units, so long ones take the
// exit to Go that refuels first.
func MemoryBulk(t *testing.T, backends []Backend) {
	funcs := []*ir.Func{bulkFunc(ir.OpMemoryFill), bulkFunc(ir.OpMemoryCopy)}
	type op struct{ fn, d, x, n uint32 }
	cases := []op{
		{0, 10, 0x1ab, 20}, {0, 0, 7, 0}, {0, 65536, 7, 0}, {0, 65537, 7, 0}, {0, 65535, 9, 1}, {0, 65535, 9, 2},
		{0, 65528, 3, 8}, {0, 65529, 3, 8}, {0, 0xffffffff, 1, 1}, {0, 1, 1, 0xffffffff}, {0, 0, 5, 65536}, {0, 0, 5, 65537},
		{0, 100, 4, 3000},
		{1, 1, 0, 20}, {1, 0, 1, 20}, {1, 8, 0, 17}, {1, 0, 8, 17}, {1, 5, 5, 10}, {1, 3, 0, 8}, {1, 0, 3, 8},
		{1, 65530, 0, 6}, {1, 65530, 0, 7}, {1, 0, 65530, 7}, {1, 0, 0xffffffff, 2}, {1, 65536, 0, 0}, {1, 0, 65536, 0},
		{1, 0, 65537, 0}, {1, 1, 0, 100}, {1, 0, 1, 100}, {1, 17, 0, 64}, {1, 0, 17, 64}, {1, 31, 0, 95}, {1, 0, 31, 95},
		{1, 1000, 0, 5000}, {1, 0, 1000, 5000}, {1, 0, 0, 65536},
	}
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 300; i++ {
		cases = append(cases, op{uint32(rng.Intn(2)), uint32(rng.Intn(200)), uint32(rng.Intn(200)), uint32(rng.Intn(150))})
	}
	pattern := func(m []byte) {
		for i := range m {
			m[i] = byte(i*7 + i>>8)
		}
	}
	for _, target := range backends {
		mem, err := NewMemory(1, 1)
		if err != nil {
			t.Fatal(err)
		}
		e, k := Compile(t, target, funcs, 0, mem)
		if k != 2 {
			t.Fatalf("%v: %d of 2 functions compiled", target, k)
		}
		for _, c := range cases {
			args := []uint64{uint64(c.d), uint64(c.x), uint64(c.n)}
			var outs [2]string
			var mems [2][]byte
			for side := range outs {
				pattern(mem.Cur)
				var res []uint64
				var err error
				if side == 0 {
					e.Budget = 10
					res, err = ir.Run(funcs[c.fn], e, args, &e.Budget)
				} else {
					res, err = e.Run(c.fn, args, 1<<40)
				}
				outs[side] = Outcome(res, err)
				mems[side] = append([]byte(nil), mem.Cur...)
			}
			if outs[0] != outs[1] || string(mems[0]) != string(mems[1]) {
				t.Errorf("%v %v(%d, %d, %d): IR %s, native %s (memories equal: %v)", target, funcs[c.fn].Name, c.d, c.x, c.n,
					outs[0], outs[1], string(mems[0]) == string(mems[1]))
			}
		}
	}
}
