package wasmgen

import (
	"github.com/kilnrt/kiln/wasm"
)

// expr emits code that leaves exactly one value of type t on the stack (or
// ends in a branch, after which the stack is polymorphic).
func (f *fgen) expr(t wasm.ValType) {
	f.size++
	f.depth++
	defer func() { f.depth-- }()
	if f.limited() {
		f.leaf(t)
		return
	}
	s := f.src
	var ok bool
	switch s.intn(30) {
	case 0, 1, 2, 3:
		ok = false // leaf
	case 4, 5, 6, 7, 8, 9:
		ok = f.fixedOp(t)
	case 10, 11:
		ok = f.load(t)
	case 12:
		ok = f.selectExpr(t)
	case 13, 25:
		ok = f.blockExpr(t)
	case 14:
		ok = f.callExpr(t)
	case 15:
		ok = f.callIndirect(&t)
	case 16, 24:
		ok = f.teeExpr(t)
	case 17:
		ok = f.brIfExpr(t)
	case 18:
		if s.chance(1, 3) {
			f.branch()
			return
		}
	case 19:
		if s.chance(1, 64) {
			f.e.op(wasm.OpUnreachable)
			return
		}
	case 20, 21:
		ok = f.specialExpr(t)
	case 22:
		ok = f.multiExpr(t)
	case 23:
		ok = f.constWithOp(t)
	case 26, 27:
		ok = f.hazardExpr(t)
	case 28:
		if s.chance(1, 4) {
			ok = f.deepExpr(t)
		}
	case 29:
		if s.chance(1, 4) {
			ok = f.wideExpr(t)
		}
	}
	if !ok {
		f.leaf(t)
	}
}

// leaf emits a constant, local.get or global.get of type t.
func (f *fgen) leaf(t wasm.ValType) {
	s, e := f.src, &f.e
	switch s.intn(6) {
	case 1, 2:
		if l, ok := f.pickLocal(t, false); ok {
			e.op(wasm.OpLocalGet)
			e.u32(l)
			return
		}
	case 3:
		if g, ok := f.pickGlobal(t, false); ok {
			e.op(wasm.OpGlobalGet)
			e.u32(g)
			return
		}
	}
	f.constant(t)
}

func (f *fgen) constant(t wasm.ValType) {
	s, e := f.src, &f.e
	switch t {
	case wasm.I32:
		e.op(wasm.OpI32Const)
		e.s32(int32(s.interestingU64()))
	case wasm.I64:
		e.op(wasm.OpI64Const)
		e.s64(int64(s.interestingU64()))
	case wasm.F32:
		e.op(wasm.OpF32Const)
		e.f32bits(s.interestingF32())
	case wasm.F64:
		e.op(wasm.OpF64Const)
		e.f64bits(s.interestingF64())
	case wasm.V128:
		e.op(wasm.OpV128Const)
		switch s.intn(3) {
		case 0:
			e.f64bits(s.interestingU64())
			e.f64bits(s.interestingU64())
		case 1:
			for i := 0; i < 4; i++ {
				e.f32bits(s.interestingF32())
			}
		default:
			e.f64bits(s.interestingF64())
			e.f64bits(s.interestingF64())
		}
	case wasm.FuncRef:
		if !s.chance(1, 4) {
			e.op(wasm.OpRefFunc)
			e.u32(f.m.funcIndex(s.intn(f.m.nGen)))
			return
		}
		e.op(wasm.OpRefNull)
		e.valType(t)
	case wasm.ExternRef:
		e.op(wasm.OpRefNull)
		e.valType(t)
	}
}

// canonicalize replaces an arithmetic NaN (quiet bit set) of the
// instruction's float shape on the top of the stack with the canonical
// NaN. The specification lets an arithmetic NaN result have any payload
// and sign, but not a clear quiet bit: such a NaN is kept, so that an
// engine producing one disagrees with a correct one.
func (f *fgen) canonicalize(info *wasm.OpInfo) {
	if !f.m.cfg.CanonicalNaNs || !ops.nanNondeterministic[info.Op] {
		return
	}
	e := &f.e
	t := info.Out[0]
	tmp := f.nanTemp(t)
	get := func() {
		e.op(wasm.OpLocalGet)
		e.u32(tmp)
	}
	e.op(wasm.OpLocalSet)
	e.u32(tmp)
	switch t {
	case wasm.F32:
		// select(x, canonical, x == x || quiet bit clear)
		get()
		e.op(wasm.OpF32Const)
		e.f32bits(0x7FC00000)
		get()
		get()
		e.op(wasm.OpF32Eq)
		get()
		e.op(wasm.OpI32ReinterpretF32)
		e.op(wasm.OpI32Const)
		e.s32(0x00400000)
		e.op(wasm.OpI32And)
		e.op(wasm.OpI32Eqz)
		e.op(wasm.OpI32Or)
		e.op(wasm.OpSelect)
	case wasm.F64:
		get()
		e.op(wasm.OpF64Const)
		e.f64bits(0x7FF8000000000000)
		get()
		get()
		e.op(wasm.OpF64Eq)
		get()
		e.op(wasm.OpI64ReinterpretF64)
		e.op(wasm.OpI64Const)
		e.s64(0x0008000000000000)
		e.op(wasm.OpI64And)
		e.op(wasm.OpI64Eqz)
		e.op(wasm.OpI32Or)
		e.op(wasm.OpSelect)
	case wasm.V128:
		// bitselect(x, canonical, eq(x, x) | eq(x & quiet, 0)) per lane
		f64 := floatShape(info) == "f64x2"
		v128 := func(lo, hi uint64) {
			e.op(wasm.OpV128Const)
			e.f64bits(lo)
			e.f64bits(hi)
		}
		get()
		if f64 {
			v128(0x7FF8000000000000, 0x7FF8000000000000)
		} else {
			v128(0x7FC000007FC00000, 0x7FC000007FC00000)
		}
		get()
		get()
		if f64 {
			e.op(wasm.OpF64x2Eq)
		} else {
			e.op(wasm.OpF32x4Eq)
		}
		get()
		if f64 {
			v128(0x0008000000000000, 0x0008000000000000)
		} else {
			v128(0x0040000000400000, 0x0040000000400000)
		}
		e.op(wasm.OpV128And)
		v128(0, 0)
		if f64 {
			e.op(wasm.OpI64x2Eq)
		} else {
			e.op(wasm.OpI32x4Eq)
		}
		e.op(wasm.OpV128Or)
		e.op(wasm.OpV128Bitselect)
	}
}

func (f *fgen) fixedOp(t wasm.ValType) bool {
	cands := ops.byResult[t]
	if len(cands) == 0 || (t == wasm.V128 && f.m.cfg.NoSIMD) {
		return false
	}
	info := cands[f.src.intn(len(cands))]
	for _, in := range info.In {
		if in == wasm.V128 && f.m.cfg.NoSIMD {
			return false
		}
	}
	for _, in := range info.In {
		f.expr(in)
	}
	f.e.op(info.Op)
	f.canonicalize(info)
	return true
}

// constWithOp emits a fixed instruction whose last operand is a constant
// (the shape interpreters fuse: add-immediate, shift by constant,
// compare with constant).
func (f *fgen) constWithOp(t wasm.ValType) bool {
	cands := ops.byResult[t]
	if len(cands) == 0 || t == wasm.V128 {
		return false
	}
	info := cands[f.src.intn(len(cands))]
	for _, in := range info.In {
		if in == wasm.V128 {
			return false
		}
	}
	for i, in := range info.In {
		if i == len(info.In)-1 {
			f.constant(in)
		} else {
			f.expr(in)
		}
	}
	f.e.op(info.Op)
	f.canonicalize(info)
	return true
}

// addr pushes an address: mostly in bounds, sometimes at the end of
// memory, rarely anywhere (each access should trap rarely, so that most
// calls run to completion).
func (f *fgen) addr() {
	s, e := f.src, &f.e
	switch n := s.intn(420); {
	case n < 70:
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(64)))
	case n < 90:
		e.op(wasm.OpI32Const)
		e.s32(int32(f.m.memMin*65536) - int32(60+s.intn(40)))
	case n < 140:
		f.expr(wasm.I32)
		e.op(wasm.OpI32Const)
		e.s32(0x7FF)
		e.op(wasm.OpI32And)
	case n < 194:
		if l, ok := f.pickLocal(wasm.I32, false); ok {
			e.op(wasm.OpLocalGet)
			e.u32(l)
			e.op(wasm.OpI32Const)
			e.s32(int32(s.intn(256)))
			e.op(wasm.OpI32Add)
			e.op(wasm.OpI32Const)
			e.s32(0xFFFF)
			e.op(wasm.OpI32And)
			return
		}
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(4096)))
	case n < 195:
		e.op(wasm.OpI32Const)
		e.s32(int32(f.m.memMin*65536) - int32(s.intn(20)))
	case n < 296:
		// base + constant, the shape engines fold into the access's
		// offset: the sum wraps at 32 bits, so a negative constant
		// must not become a huge offset.
		f.maskedIndex(0x7FF)
		e.op(wasm.OpI32Const)
		switch k := s.intn(128); {
		case k == 0:
			e.s32(-0x80000000 + int32(s.intn(64)))
			e.op(wasm.OpI32Add)
		case k == 1:
			e.s32(0x7FFFFFF0)
			e.op(wasm.OpI32Add)
		case k == 2:
			e.s32(-int32(1 + s.intn(16)))
			e.op(wasm.OpI32Add)
		case k < 12:
			e.s32(int32(s.intn(2)))
			e.op(wasm.OpI32Sub)
		default:
			e.s32(int32(s.intn(128)))
			e.op(wasm.OpI32Add)
		}
	case n < 399:
		// base + (index << scale), the scaled-index shape.
		if s.chance(1, 2) {
			e.op(wasm.OpI32Const)
			e.s32(int32(s.intn(256)))
		} else {
			f.maskedIndex(0xFF)
		}
		f.maskedIndex(0x3F)
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(5)))
		e.op(wasm.OpI32Shl)
		if s.chance(1, 4) {
			// and the other operand order
			e.op(wasm.OpI32Const)
			e.s32(int32(s.intn(64)))
			e.op(wasm.OpI32Add)
		}
		e.op(wasm.OpI32Add)
	case n < 410:
		// Just past the initial memory: valid only after memory.grow
		// (engines that cache the memory's bounds must see the growth).
		e.op(wasm.OpI32Const)
		e.s32(int32(f.m.memMin*65536) + int32(s.intn(65536)))
	case n < 419:
		// Relative to the current size.
		e.op(wasm.OpMemorySize)
		e.byte(0)
		e.op(wasm.OpI32Const)
		e.s32(16)
		e.op(wasm.OpI32Shl)
		e.op(wasm.OpI32Const)
		e.s32(int32(8 + s.intn(120)))
		e.op(wasm.OpI32Sub)
	default:
		f.expr(wasm.I32)
	}
}

// maskedIndex pushes a local or an expression, and-ed with mask.
func (f *fgen) maskedIndex(mask int32) {
	e := &f.e
	if l, ok := f.pickLocal(wasm.I32, false); ok && f.src.chance(1, 2) {
		e.op(wasm.OpLocalGet)
		e.u32(l)
	} else {
		f.expr(wasm.I32)
	}
	e.op(wasm.OpI32Const)
	e.s32(mask)
	e.op(wasm.OpI32And)
}

// memarg writes an alignment and offset for an access of size bytes.
func (f *fgen) memarg(size int) {
	s, e := f.src, &f.e
	e.u32(uint32(s.intn(int(maxAlign(size)) + 1)))
	switch n := s.intn(500); {
	case n == 0:
		e.u32(uint32(65536 - s.intn(20)))
	case n == 1:
		e.u32(0xFFFFFFFF - uint32(s.intn(20)))
	case n < 50:
		e.u32(uint32(s.intn(1 << 12)))
	default:
		e.u32(uint32(s.intn(40)))
	}
}

func (f *fgen) pickStore() *wasm.OpInfo {
	for {
		info := ops.stores[f.src.intn(len(ops.stores))]
		if info.In[1] != wasm.V128 || !f.m.cfg.NoSIMD {
			return info
		}
	}
}

func (f *fgen) load(t wasm.ValType) bool {
	cands := ops.loads[t]
	if len(cands) == 0 || (t == wasm.V128 && f.m.cfg.NoSIMD) {
		return false
	}
	info := cands[f.src.intn(len(cands))]
	f.addr()
	f.e.op(info.Op)
	f.memarg(info.Size)
	return true
}

func (f *fgen) selectExpr(t wasm.ValType) bool {
	f.expr(t)
	f.expr(t)
	f.expr(wasm.I32)
	if t.IsRef() || f.src.chance(1, 3) {
		f.e.op(wasm.OpSelectT)
		f.e.u32(1)
		f.e.valType(t)
		return true
	}
	f.e.op(wasm.OpSelect)
	return true
}

func (f *fgen) blockExpr(t wasm.ValType) bool {
	params := []wasm.ValType(nil)
	if f.src.chance(1, 3) {
		params = f.m.randTypes(2)
	}
	f.block(f.src.intn(3), params, []wasm.ValType{t})
	return true
}

// multiExpr emits a multi-value block and keeps one of its results.
func (f *fgen) multiExpr(t wasm.ValType) bool {
	params, results := f.m.randTypes(2), f.m.randTypes(2)
	idx := f.src.intn(len(results) + 1)
	results = append(results[:idx], append([]wasm.ValType{t}, results[idx:]...)...)
	f.block(f.src.intn(3), params, results)
	f.extract(results, idx)
	return true
}

func (f *fgen) callExpr(t wasm.ValType) bool {
	if len(f.m.imports) > 0 && f.src.chance(1, 4) {
		return f.callImport(&t)
	}
	callee := f.callee()
	ft := f.m.funcTypes[callee]
	idx := f.indexOf(ft.results, t)
	if idx < 0 {
		return false
	}
	for _, p := range ft.params {
		f.expr(p)
	}
	f.e.op(wasm.OpCall)
	f.e.u32(f.m.funcIndex(callee))
	f.extract(ft.results, idx)
	return true
}

func (f *fgen) teeExpr(t wasm.ValType) bool {
	l, ok := f.pickLocal(t, true)
	if !ok {
		return false
	}
	f.expr(t)
	f.e.op(wasm.OpLocalTee)
	f.e.u32(l)
	return true
}

func (f *fgen) brIfExpr(t wasm.ValType) bool {
	cands := f.labelsWith([]wasm.ValType{t})
	if len(cands) == 0 {
		return false
	}
	f.expr(t)
	f.expr(wasm.I32)
	f.e.op(wasm.OpBrIf)
	f.e.u32(cands[f.src.intn(len(cands))])
	return true
}

// specialExpr emits the instructions with immediates or typing rules that
// the fixed tables do not cover.
func (f *fgen) specialExpr(t wasm.ValType) bool {
	s, e := f.src, &f.e
	refs := !f.m.cfg.NoRefTypes
	switch t {
	case wasm.I32:
		switch s.intn(6) {
		case 0:
			e.op(wasm.OpMemorySize)
			e.byte(0)
		case 1:
			f.smallIndex(3)
			e.op(wasm.OpMemoryGrow)
			e.byte(0)
		case 2:
			if !refs {
				return false
			}
			f.expr([]wasm.ValType{wasm.FuncRef, wasm.ExternRef}[s.intn(2)])
			e.op(wasm.OpRefIsNull)
		case 3:
			if !refs {
				return false
			}
			e.op(wasm.OpTableSize)
			e.u32(uint32(s.intn(2)))
		case 4:
			if !refs {
				return false
			}
			tbl := s.intn(2)
			f.expr([]wasm.ValType{wasm.FuncRef, wasm.ExternRef}[tbl])
			f.smallIndex(4)
			e.op(wasm.OpTableGrow)
			e.u32(uint32(tbl))
		default:
			return f.laneExpr(t)
		}
		return true
	case wasm.FuncRef, wasm.ExternRef:
		tbl := uint32(0)
		if t == wasm.ExternRef {
			tbl = 1
		}
		f.smallIndex(f.m.tableSizeOf(int(tbl)))
		e.op(wasm.OpTableGet)
		e.u32(tbl)
		return true
	case wasm.V128:
		if f.m.cfg.NoSIMD {
			return false
		}
		switch s.intn(3) {
		case 0:
			f.expr(wasm.V128)
			f.expr(wasm.V128)
			e.op(wasm.OpI8x16Shuffle)
			for i := 0; i < 16; i++ {
				e.byte(byte(s.intn(32)))
			}
		case 1:
			info := ops.laneLoads[s.intn(len(ops.laneLoads))]
			f.addr()
			f.expr(wasm.V128)
			e.op(info.Op)
			f.memarg(info.Size)
			e.byte(byte(s.intn(laneCount(info))))
		default:
			return f.laneExpr(t)
		}
		return true
	}
	return f.laneExpr(t)
}

// laneExpr emits an extract_lane (scalar t) or replace_lane (v128).
func (f *fgen) laneExpr(t wasm.ValType) bool {
	cands := ops.lanes[t]
	if len(cands) == 0 || f.m.cfg.NoSIMD {
		return false
	}
	info := cands[f.src.intn(len(cands))]
	for _, in := range info.In {
		f.expr(in)
	}
	f.e.op(info.Op)
	f.e.byte(byte(f.src.intn(laneCount(info))))
	return true
}

// bulkMemory emits memory.fill, memory.copy, memory.init or (rarely)
// data.drop.
func (f *fgen) bulkMemory() {
	s, e := f.src, &f.e
	if f.m.cfg.NoBulkMemory {
		e.op(wasm.OpNop)
		return
	}
	op := s.intn(3)
	if s.chance(1, 64) {
		e.op(wasm.OpDataDrop)
		e.u32(uint32(s.intn(numData)))
		return
	}
	f.addr()
	switch op {
	case 0:
		f.expr(wasm.I32)
		f.smallIndex(40)
		e.op(wasm.OpMemoryFill)
		e.byte(0)
	case 1:
		f.addr()
		f.smallIndex(40)
		e.op(wasm.OpMemoryCopy)
		e.byte(0, 0)
	default:
		f.smallIndex(4)
		f.smallIndex(len(f.m.passDat) - 4)
		e.op(wasm.OpMemoryInit)
		e.u32(dataPassive)
		e.byte(0)
	}
}

// tableSizeOf returns the initial size of table tbl.
func (m *modgen) tableSizeOf(tbl int) int {
	if tbl == 0 {
		return int(m.tableSize)
	}
	return externTableSize
}

// tableStmt emits table.set, table.fill, table.copy, table.init or
// (rarely) elem.drop.
func (f *fgen) tableStmt() {
	s, e := f.src, &f.e
	tbl := s.intn(2)
	rt := []wasm.ValType{wasm.FuncRef, wasm.ExternRef}[tbl]
	size := f.m.tableSizeOf(tbl)
	switch s.intn(4) {
	case 0:
		f.smallIndex(size)
		f.expr(rt)
		e.op(wasm.OpTableSet)
		e.u32(uint32(tbl))
	case 1:
		f.smallIndex(size)
		f.expr(rt)
		f.smallIndex(2)
		e.op(wasm.OpTableFill)
		e.u32(uint32(tbl))
	case 2:
		f.smallIndex(size - 1)
		f.smallIndex(size - 1)
		f.smallIndex(2)
		e.op(wasm.OpTableCopy)
		e.u32(uint32(tbl))
		e.u32(uint32(tbl))
	default:
		if s.chance(1, 32) {
			e.op(wasm.OpElemDrop)
			e.u32(uint32(s.intn(3)))
			return
		}
		f.smallIndex(size - 1)
		f.smallIndex(2)
		f.smallIndex(2)
		e.op(wasm.OpTableInit)
		e.u32([]uint32{elemPassiveFunc, elemPassiveExtern}[tbl])
		e.u32(uint32(tbl))
	}
}
