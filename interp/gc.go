package interp

import (
	"fmt"

	"github.com/kilnrt/kiln/store"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Garbage collection instructions. Objects are store.Struct, store.Array
// and store.I31 values in reference slots. Operands with several values
// are materialised in consecutive slots from b; type immediates are the
// module's type indices, resolved through the instance's canonical types
// at run time. A cast target is encoded as uint32(heap)<<1 | nullable.

// gcOps maps the GC instructions that translate to one register
// instruction over consecutive operand slots.
var gcOps = map[wasm.Opcode]opcode{
	wasm.OpStructNew:        opStructNew,
	wasm.OpArrayNew:         opArrayNew,
	wasm.OpArrayNewFixed:    opArrayNewFixed,
	wasm.OpArrayNewData:     opArrayNewData,
	wasm.OpArrayNewElem:     opArrayNewElem,
	wasm.OpArrayGet:         opArrayGet,
	wasm.OpArrayGetS:        opArrayGet,
	wasm.OpArrayGetU:        opArrayGet,
	wasm.OpArraySet:         opArraySet,
	wasm.OpArrayFill:        opArrayFill,
	wasm.OpArrayCopy:        opArrayCopy,
	wasm.OpArrayInitData:    opArrayInitData,
	wasm.OpArrayInitElem:    opArrayInitElem,
	wasm.OpStructNewDefault: opStructNewDefault,
	wasm.OpArrayNewDefault:  opArrayNewDefault,
}

// Extension of packed reads (in imm>>32 of struct.get and array.get).
const (
	extNone = iota
	extSigned
	extUnsigned
)

func extOf(op wasm.Opcode) uint64 {
	switch op {
	case wasm.OpStructGetS, wasm.OpArrayGetS, wasm.OpI31GetS:
		return extSigned
	case wasm.OpStructGetU, wasm.OpArrayGetU, wasm.OpI31GetU:
		return extUnsigned
	}
	return extNone
}

func castCode(heap wasm.HeapType, nullable bool) uint32 {
	c := uint32(int32(heap) << 1)
	if nullable {
		c |= 1
	}
	return c
}

// gc translates a GC instruction; it reports false for other instructions.
func (t *translator) gc(in *wasm.Instr, s *validator.State) (bool, error) {
	op := in.Op
	if gop, ok := gcOps[op]; ok {
		ni := instr{op: gop, b: t.popArgs(len(s.In)), imm: uint64(in.Index)}
		switch gop {
		case opArrayNewFixed, opArrayNewData, opArrayNewElem, opArrayInitData, opArrayInitElem, opArrayCopy:
			ni.c = in.Index2
		case opArrayGet:
			ni.imm |= extOf(op) << 32
		}
		t.emitResult(ni, s.Out)
		return true, nil
	}
	switch op {
	case wasm.OpStructGet, wasm.OpStructGetS, wasm.OpStructGetU:
		t.unary(instr{op: opStructGet, c: in.Index2, imm: uint64(in.Index) | extOf(op)<<32}, s.Out[0])
	case wasm.OpStructSet:
		v, r := t.pop(), t.pop()
		vs, rs := t.operand(&v), t.operand(&r)
		t.emit(instr{op: opStructSet, a: rs, b: vs, c: in.Index2, imm: uint64(in.Index)})
	case wasm.OpArrayLen:
		t.unary(instr{op: opArrayLen}, wasm.I32)
	case wasm.OpRefI31:
		t.unary(instr{op: opRefI31}, s.Out[0])
	case wasm.OpI31GetS, wasm.OpI31GetU:
		t.unary(instr{op: opI31Get, c: uint32(extOf(op))}, wasm.I32)
	case wasm.OpRefEq:
		t.binary(instr{op: opRefEq}, wasm.I32)
	case wasm.OpAnyConvertExtern, wasm.OpExternConvertAny:
		// References keep their representation (see store/gc.go).
		t.stack[len(t.stack)-1].typ = s.Out[0]
	case wasm.OpRefTest, wasm.OpRefTestNull:
		t.unary(instr{op: opRefTest, c: castCode(in.Heap, op == wasm.OpRefTestNull)}, wasm.I32)
	case wasm.OpRefCast, wasm.OpRefCastNull:
		v := t.pop()
		t.emit(instr{op: opRefCast, b: t.operand(&v), c: castCode(in.Heap, op == wasm.OpRefCastNull)})
		v.typ = s.Out[0]
		t.stack = append(t.stack, v)
	case wasm.OpBrOnCast, wasm.OpBrOnCastFail:
		top := &t.stack[len(t.stack)-1]
		rs := t.operand(top)
		br, neg := opBrOnCast, opBrOnCastFail
		if op == wasm.OpBrOnCastFail {
			br, neg = neg, br
		}
		t.condBranchC(t.label(in.Index), br, neg, rs, castCode(in.CastTo.Heap(), in.CastTo.Nullable()))
		t.stack[len(t.stack)-1].typ = s.Out[len(s.Out)-1]
	default:
		return false, nil
	}
	return true, nil
}

// castOK reports whether reference r passes the cast encoded as c.
func castOK(r any, c uint32, types []*store.Type) bool {
	if r == nil {
		return c&1 != 0
	}
	return store.HeapMatches(r, wasm.HeapType(int32(c)>>1), types)
}

// extend applies a packed read's extension.
func extend(v uint64, f *store.Field, ext uint64) uint64 {
	switch {
	case ext == extSigned && f.Type == wasm.PackedI8:
		return uint64(uint32(int32(int8(v))))
	case ext == extSigned && f.Type == wasm.PackedI16:
		return uint64(uint32(int32(int16(v))))
	}
	return v
}

// slotValue and setSlot move one value between slots and a GC object.
func slotValue(regs []uint64, refs []any, s uint32, f *store.Field) (lo, hi uint64, ref any) {
	switch {
	case f.IsRef():
		return 0, 0, refs[s]
	case f.Type == wasm.V128:
		return regs[s], regs[s+1], nil
	}
	return regs[s], 0, nil
}

func setSlot(regs []uint64, refs []any, s uint32, f *store.Field, lo, hi uint64, ref any) {
	switch {
	case f.IsRef():
		refs[s] = ref
	case f.Type == wasm.V128:
		regs[s], regs[s+1] = lo, hi
	default:
		regs[s] = lo
	}
}

// execGC executes the GC instructions other than branches.
func (m *Machine) execGC(in *instr) store.TrapCode {
	regs, refs := m.stack[m.cur.fp:], m.rw
	types := m.inst.Types
	switch in.op {
	case opStructNew, opStructNewDefault:
		t := types[uint32(in.imm)]
		size := store.StructBytes(t)
		if !m.chargeGC(size) {
			return store.TrapHeapExhausted
		}
		s := store.NewStruct(t)
		m.trackGC(s, size)
		if in.op == opStructNew {
			slot := in.b
			for i := range t.Fields {
				f := &t.Fields[i]
				lo, hi, r := slotValue(regs, refs, slot, f)
				s.Set(i, lo, hi, r)
				slot += slotSize(f.Type)
			}
		}
		refs[in.a] = s
	case opStructGet:
		s, ok := refs[in.b].(*store.Struct)
		if !ok {
			return store.TrapNullStructureReference
		}
		f := &s.Type.Fields[in.c]
		lo, hi, r := s.Get(int(in.c))
		setSlot(regs, refs, in.a, f, extend(lo, f, in.imm>>32), hi, r)
	case opStructSet:
		s, ok := refs[in.a].(*store.Struct)
		if !ok {
			return store.TrapNullStructureReference
		}
		lo, hi, r := slotValue(regs, refs, in.b, &s.Type.Fields[in.c])
		s.Set(int(in.c), lo, hi, r)
	case opArrayNew, opArrayNewDefault, opArrayNewFixed:
		t := types[uint32(in.imm)]
		e := &t.Fields[0]
		var n uint32
		switch in.op {
		case opArrayNew:
			n = uint32(regs[in.b+slotSize(e.Type)])
		case opArrayNewDefault:
			n = uint32(regs[in.b])
		default:
			n = in.c
		}
		if store.ArrayTooLarge(t, n) {
			return store.TrapOutOfBoundsArrayAccess
		}
		if m.fuelOn && !m.arrayFuel(t, uint64(n)) {
			return trapFuel
		}
		a, tc := m.newArray(t, n)
		if tc != store.TrapNone {
			return tc
		}
		switch in.op {
		case opArrayNew:
			lo, hi, r := slotValue(regs, refs, in.b, e)
			for i := uint32(0); i < n; i++ {
				a.Set(i, lo, hi, r)
			}
		case opArrayNewFixed:
			for i := uint32(0); i < n; i++ {
				lo, hi, r := slotValue(regs, refs, in.b+i*slotSize(e.Type), e)
				a.Set(i, lo, hi, r)
			}
		}
		refs[in.a] = a
	case opArrayNewData, opArrayNewElem:
		t := types[uint32(in.imm)]
		e := &t.Fields[0]
		s, n := uint64(uint32(regs[in.b])), uint64(uint32(regs[in.b+1]))
		if m.fuelOn && !m.arrayFuel(t, n) {
			return trapFuel
		}
		if in.op == opArrayNewData {
			data := m.inst.Datas[in.c]
			if s+n*uint64(e.Size) > uint64(len(data)) {
				return store.TrapOutOfBoundsMemoryAccess
			}
			a, tc := m.newArray(t, uint32(n))
			if tc != store.TrapNone {
				return tc
			}
			copy(a.Bytes, data[s:])
			refs[in.a] = a
			break
		}
		elems := m.inst.Elems[in.c]
		if s+n > uint64(len(elems)) {
			return store.TrapOutOfBoundsTableAccess
		}
		a, tc := m.newArray(t, uint32(n))
		if tc != store.TrapNone {
			return tc
		}
		copy(a.Refs, elems[s:])
		refs[in.a] = a
	case opArrayGet:
		a, ok := refs[in.b].(*store.Array)
		if !ok {
			return store.TrapNullArrayReference
		}
		i := uint32(regs[in.b+1])
		if i >= a.Len {
			return store.TrapOutOfBoundsArrayAccess
		}
		f := &a.Type.Fields[0]
		lo, hi, r := a.Get(i)
		setSlot(regs, refs, in.a, f, extend(lo, f, in.imm>>32), hi, r)
	case opArraySet:
		a, ok := refs[in.b].(*store.Array)
		if !ok {
			return store.TrapNullArrayReference
		}
		i := uint32(regs[in.b+1])
		if i >= a.Len {
			return store.TrapOutOfBoundsArrayAccess
		}
		lo, hi, r := slotValue(regs, refs, in.b+2, &a.Type.Fields[0])
		a.Set(i, lo, hi, r)
	case opArrayLen:
		a, ok := refs[in.b].(*store.Array)
		if !ok {
			return store.TrapNullArrayReference
		}
		regs[in.a] = uint64(a.Len)
	case opArrayFill:
		a, ok := refs[in.b].(*store.Array)
		if !ok {
			return store.TrapNullArrayReference
		}
		e := &a.Type.Fields[0]
		d := uint64(uint32(regs[in.b+1]))
		n := uint64(uint32(regs[in.b+2+slotSize(e.Type)]))
		if d+n > uint64(a.Len) {
			return store.TrapOutOfBoundsArrayAccess
		}
		if m.fuelOn && !m.arrayFuel(a.Type, n) {
			return trapFuel
		}
		lo, hi, r := slotValue(regs, refs, in.b+2, e)
		for i := d; i < d+n; i++ {
			a.Set(uint32(i), lo, hi, r)
		}
	case opArrayCopy:
		da, ok1 := refs[in.b].(*store.Array)
		sa, ok2 := refs[in.b+2].(*store.Array)
		if !ok1 || !ok2 {
			return store.TrapNullArrayReference
		}
		d, s, n := uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+3])), uint64(uint32(regs[in.b+4]))
		if d+n > uint64(da.Len) || s+n > uint64(sa.Len) {
			return store.TrapOutOfBoundsArrayAccess
		}
		if m.fuelOn && !m.arrayFuel(da.Type, n) {
			return trapFuel
		}
		if da.Refs != nil {
			copy(da.Refs[d:d+n], sa.Refs[s:s+n])
		} else {
			size := uint64(da.Type.Fields[0].Size)
			copy(da.Bytes[d*size:(d+n)*size], sa.Bytes[s*size:(s+n)*size])
		}
	case opArrayInitData, opArrayInitElem:
		a, ok := refs[in.b].(*store.Array)
		if !ok {
			return store.TrapNullArrayReference
		}
		d, s, n := uint64(uint32(regs[in.b+1])), uint64(uint32(regs[in.b+2])), uint64(uint32(regs[in.b+3]))
		if d+n > uint64(a.Len) {
			return store.TrapOutOfBoundsArrayAccess
		}
		if m.fuelOn && !m.arrayFuel(a.Type, n) {
			return trapFuel
		}
		if in.op == opArrayInitData {
			size := uint64(a.Type.Fields[0].Size)
			data := m.inst.Datas[in.c]
			if s+n*size > uint64(len(data)) {
				return store.TrapOutOfBoundsMemoryAccess
			}
			copy(a.Bytes[d*size:(d+n)*size], data[s:])
			break
		}
		elems := m.inst.Elems[in.c]
		if s+n > uint64(len(elems)) {
			return store.TrapOutOfBoundsTableAccess
		}
		copy(a.Refs[d:d+n], elems[s:s+n])
	case opRefI31:
		refs[in.a] = store.I31(uint32(regs[in.b]) & 0x7FFFFFFF)
	case opI31Get:
		v, ok := refs[in.b].(store.I31)
		if !ok {
			return store.TrapNullI31Reference
		}
		x := uint32(v)
		if in.c == extSigned {
			x = uint32(int32(x<<1) >> 1)
		}
		regs[in.a] = uint64(x)
	case opRefEq:
		regs[in.a] = b2u(refs[in.b] == refs[in.c])
	case opRefTest:
		regs[in.a] = b2u(castOK(refs[in.b], in.c, types))
	case opRefCast:
		if !castOK(refs[in.b], in.c, types) {
			return store.TrapCastFailure
		}
	default:
		panic(fmt.Sprintf("interp: %s is not a GC instruction", in.op))
	}
	return store.TrapNone
}

// trapFuel is what execGC returns when a bulk array instruction ran out
// of fuel (not a trap: the caller turns it into ErrFuelExhausted).
const trapFuel store.TrapCode = 255

// arrayFuel charges the fuel of a bulk instruction on n elements of an
// array of type t (by bytes for numeric elements, by elements for
// references); false means the fuel ran out.
func (m *Machine) arrayFuel(t *store.Type, n uint64) bool {
	if e := &t.Fields[0]; !e.IsRef() {
		return m.chargeBulk(n*uint64(e.Size), noBulkLimit, FuelBytesPerUnit) == nil
	}
	return m.chargeBulk(n, noBulkLimit, FuelElemsPerUnit) == nil
}

// noBulkLimit is chargeBulk's limit for instructions charged by their
// full length.
const noBulkLimit = ^uint64(0)

// newArray allocates an array of n elements charged to the GC heap.
func (m *Machine) newArray(t *store.Type, n uint32) (*store.Array, store.TrapCode) {
	size := store.ArrayBytes(t, n)
	if !m.chargeGC(size) {
		return nil, store.TrapHeapExhausted
	}
	a := store.NewArray(t, n)
	m.trackGC(a, size)
	return a, store.TrapNone
}
