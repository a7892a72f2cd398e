//go:build (amd64 || arm64) && unix

package jitengine

import (
	"github.com/kilnrt/kiln/internal/engine"
	"github.com/kilnrt/kiln/jit/rt"
	"github.com/kilnrt/kiln/store"
)

// runtimeOp executes a bulk-memory, table or reference instruction for
// machine code (rt.ExitMemoryFill and after): operands in the exit's
// slots, immediates in Payload, the exiting function's index in Aux. It
// charges bulk fuel as the interpreter does (before the bounds check, at
// most the destination's size: fuel is the caller's, taken back from
// machine code's budget), and returns the trap or fuel error that ends
// the call.
func (x *executor) runtimeOp(exit rt.ExitCode, inst *store.Instance, st *rt.Stack, fuel *engine.Fuel) error {
	c := st.Ctx()
	idx, idx2 := uint32(c.Payload), uint32(c.Payload>>32)
	args := st.CallArgs(runtimeSlots[exit])
	u32 := func(i int) uint64 { return uint64(uint32(args[i])) }
	charge := func(n, limit, per uint64) error {
		if !fuel.On {
			return nil
		}
		if !fuel.Charge(min(n, limit) / per) {
			return engine.ErrFuelExhausted
		}
		return nil
	}
	trap := func(code store.TrapCode) error {
		return &store.Trap{Code: code} // the executor adds the backtrace
	}
	oobMem := func() error { return trap(store.TrapOutOfBoundsMemoryAccess) }
	oobTable := func() error { return trap(store.TrapOutOfBoundsTableAccess) }
	switch exit {
	case rt.ExitMemoryFill, rt.ExitMemoryCopy, rt.ExitMemoryInit:
		mem := inst.Mems[0].Bytes()
		d, s, n := u32(0), u32(1), u32(2)
		if err := charge(n, uint64(len(mem)), engine.FuelBytesPerUnit); err != nil {
			return err
		}
		if !inBounds(uint64(len(mem)), d, n) {
			return oobMem()
		}
		switch exit {
		case rt.ExitMemoryFill:
			b := mem[d : d+n]
			for i := range b {
				b[i] = byte(s)
			}
		case rt.ExitMemoryCopy:
			if !inBounds(uint64(len(mem)), s, n) {
				return oobMem()
			}
			copy(mem[d:d+n], mem[s:s+n])
		default:
			data := inst.Datas[idx]
			if !inBounds(uint64(len(data)), s, n) {
				return oobMem()
			}
			copy(mem[d:d+n], data[s:s+n])
		}
	case rt.ExitDataDrop:
		inst.Datas[idx] = nil
	case rt.ExitElemDrop:
		inst.DropElem(int(idx))
	case rt.ExitRefFunc:
		args[0] = x.handles.handle(inst.Funcs[idx])
	case rt.ExitTableSize:
		args[0] = uint64(len(inst.Tables[idx].Elems))
	case rt.ExitTableGet, rt.ExitTableSet:
		t := inst.Tables[idx]
		i := u32(0)
		if i >= uint64(len(t.Elems)) {
			return oobTable()
		}
		if exit == rt.ExitTableGet {
			args[0] = x.handles.handle(t.Elems[i])
		} else {
			t.Elems[i] = x.handles.ref(args[1])
			t.Wrote(i, 1)
		}
	case rt.ExitTableGrow:
		t := inst.Tables[idx]
		n := u32(1)
		if err := charge(n, t.Max()-uint64(len(t.Elems)), engine.FuelElemsPerUnit); err != nil {
			return err
		}
		old, ok := t.Grow(n, x.handles.ref(args[0]))
		args[0] = uint64(uint32(old))
		if !ok {
			args[0] = uint64(^uint32(0))
		}
	case rt.ExitTableFill:
		t := inst.Tables[idx]
		i, n := u32(0), u32(2)
		if err := charge(n, uint64(len(t.Elems)), engine.FuelElemsPerUnit); err != nil {
			return err
		}
		if !inBounds(uint64(len(t.Elems)), i, n) {
			return oobTable()
		}
		r := x.handles.ref(args[1])
		for j := i; j < i+n; j++ {
			t.Elems[j] = r
		}
		t.Wrote(i, n)
	case rt.ExitTableCopy, rt.ExitTableInit:
		var dt *store.Table
		var src []any
		if exit == rt.ExitTableCopy {
			dt, src = inst.Tables[idx], inst.Tables[idx2].Elems
		} else {
			dt, src = inst.Tables[idx2], inst.Elems[idx]
		}
		d, s, n := u32(0), u32(1), u32(2)
		if err := charge(n, uint64(len(dt.Elems)), engine.FuelElemsPerUnit); err != nil {
			return err
		}
		if !inBounds(uint64(len(src)), s, n) || !inBounds(uint64(len(dt.Elems)), d, n) {
			return oobTable()
		}
		copy(dt.Elems[d:d+n], src[s:s+n])
		dt.Wrote(d, n)
	}
	return nil
}

// runtimeSlots is the number of operand slots of each exit (at least
// one, where a result goes).
var runtimeSlots = map[rt.ExitCode]int{
	rt.ExitMemoryFill: 3, rt.ExitMemoryCopy: 3, rt.ExitMemoryInit: 3,
	rt.ExitDataDrop: 1, rt.ExitElemDrop: 1, rt.ExitRefFunc: 1, rt.ExitTableSize: 1,
	rt.ExitTableGet: 1, rt.ExitTableSet: 2, rt.ExitTableGrow: 2,
	rt.ExitTableFill: 3, rt.ExitTableCopy: 3, rt.ExitTableInit: 3,
}

// inBounds reports whether [at, at+n) lies within size.
func inBounds(size, at, n uint64) bool { return n <= size && at <= size-n }
