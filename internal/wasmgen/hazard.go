package wasmgen

import "github.com/kilnrt/kiln/wasm"

// Register-machine translators map locals to frame slots and compile
// local.get to nothing, and fuse address arithmetic into loads and stores.
// Both are wrong if a value read from a local is used after the local has
// been written. The shapes below read a local, write it while the value is
// still pending on the operand stack, and then use the value.

// hazardExpr emits op(local.get l, <code that writes l and yields a value>)
// for a binary instruction with result t.
func (f *fgen) hazardExpr(t wasm.ValType) bool {
	s, e := f.src, &f.e
	var cands []*wasm.OpInfo
	for _, info := range ops.byResult[t] {
		if len(info.In) == 2 && info.In[0] == info.In[1] && (info.In[0] != wasm.V128 || !f.m.cfg.NoSIMD) {
			cands = append(cands, info)
		}
	}
	if len(cands) == 0 {
		return false
	}
	info := cands[s.intn(len(cands))]
	in := info.In[0]
	l, ok := f.pickLocal(in, true)
	if !ok {
		return false
	}
	e.op(wasm.OpLocalGet)
	e.u32(l)
	f.writeAndYield(l, in)
	e.op(info.Op)
	f.canonicalize(info)
	return true
}

// writeAndYield emits code that writes local l (of type t) and leaves a
// value of type t.
func (f *fgen) writeAndYield(l uint32, t wasm.ValType) {
	s, e := f.src, &f.e
	switch s.intn(3) {
	case 0:
		f.expr(t)
		e.op(wasm.OpLocalTee)
		e.u32(l)
	case 1:
		e.op(wasm.OpBlock)
		e.valType(t)
		f.ctrl = append(f.ctrl, frame{labels: []wasm.ValType{t}})
		f.expr(t)
		e.op(wasm.OpLocalSet)
		e.u32(l)
		f.expr(t)
		f.ctrl = f.ctrl[:len(f.ctrl)-1]
		e.op(wasm.OpEnd)
	default:
		// The new value of l, read back.
		f.expr(t)
		e.op(wasm.OpLocalSet)
		e.u32(l)
		e.op(wasm.OpLocalGet)
		e.u32(l)
	}
}

// hazardStore emits a store whose address is local+constant and whose
// value expression changes the local first.
func (f *fgen) hazardStore() {
	s, e := f.src, &f.e
	l, ok := f.pickLocal(wasm.I32, true)
	if !ok {
		l = f.newLocal(wasm.I32)
	}
	f.maskedIndex(0x7FF)
	e.op(wasm.OpLocalSet)
	e.u32(l)
	info := f.pickStore()
	e.op(wasm.OpLocalGet)
	e.u32(l)
	e.op(wasm.OpI32Const)
	e.s32(int32(s.intn(64)))
	e.op(wasm.OpI32Add)
	vt := info.In[1]
	if vt == wasm.I32 {
		// The value is the new address itself.
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(4096)))
		e.op(wasm.OpLocalTee)
		e.u32(l)
	} else {
		e.op(wasm.OpI32Const)
		e.s32(int32(s.intn(4096)))
		e.op(wasm.OpLocalSet)
		e.u32(l)
		f.expr(vt)
	}
	e.op(info.Op)
	f.memarg(info.Size)
}

// Shapes that stress a translator's bookkeeping: deep label stacks and
// tall operand stacks.

// deepExpr nests many blocks of result t, with conditional exits to
// random depths.
func (f *fgen) deepExpr(t wasm.ValType) bool {
	s, e := f.src, &f.e
	n := 2 + s.intn(120)
	for i := 0; i < n; i++ {
		e.op(wasm.OpBlock)
		e.valType(t)
		f.ctrl = append(f.ctrl, frame{labels: []wasm.ValType{t}})
	}
	f.leaf(t)
	for i := 0; i < n; i++ {
		if s.chance(1, 8) {
			// br_if to a random enclosing block of this nest.
			f.leaf(t)
			f.leaf(wasm.I32)
			e.op(wasm.OpBrIf)
			e.u32(uint32(s.intn(n - i)))
			e.op(wasm.OpDrop)
		}
		f.ctrl = f.ctrl[:len(f.ctrl)-1]
		e.op(wasm.OpEnd)
	}
	return true
}

// reducers are binary instructions that combine two values of a type
// without trapping.
var reducers = map[wasm.ValType][]wasm.Opcode{
	wasm.I32:  {wasm.OpI32Add, wasm.OpI32Xor, wasm.OpI32Sub, wasm.OpI32Rotl},
	wasm.I64:  {wasm.OpI64Add, wasm.OpI64Xor, wasm.OpI64Mul},
	wasm.F32:  {wasm.OpF32Copysign},
	wasm.F64:  {wasm.OpF64Copysign},
	wasm.V128: {wasm.OpI8x16Add, wasm.OpV128Xor, wasm.OpI32x4Sub},
}

// wideExpr pushes many values and then reduces them, so that the operand
// stack grows tall.
func (f *fgen) wideExpr(t wasm.ValType) bool {
	s, e := f.src, &f.e
	ops := reducers[t]
	if len(ops) == 0 {
		return false
	}
	n := 2 + s.intn(300)
	for i := 0; i < n; i++ {
		if s.chance(1, 16) {
			f.expr(t)
		} else {
			f.leaf(t)
		}
	}
	for i := 1; i < n; i++ {
		e.op(ops[s.intn(len(ops))])
	}
	return true
}
