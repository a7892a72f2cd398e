package front

import (
	"encoding/binary"
	"math"

	"github.com/kilnrt/kiln/jit/ir"
	"github.com/kilnrt/kiln/wasm"
)

// simd builds a v128 instruction: v128.const as a make of two i64
// constants, loads and stores as OpSIMDLoad/OpSIMDStore, and every other
// instruction as one OpSIMD whose signature comes from wasm's table
// (shuffle's lane indices become a third, constant operand).
func (v *Visitor) simd(in *wasm.Instr) error {
	op := in.Op
	info := op.Info()
	switch {
	case op == wasm.OpV128Const:
		v.push(v128Const(v.cur, in.V128))
		return nil
	case info.Imm == wasm.ImmMemArg || info.Imm == wasm.ImmMemArgLane:
		return v.simdMemory(in)
	case !ir.SIMDSupported(op):
		return unsupported(info.Name)
	}
	args, result, err := ir.SIMDSignature(op)
	if err != nil {
		return unsupported(info.Name)
	}
	n := len(info.In)
	vals := append([]*ir.Value(nil), v.top(n)...)
	v.stack = v.stack[:len(v.stack)-n]
	if op == wasm.OpI8x16Shuffle {
		vals = append(vals, v128Const(v.cur, in.V128))
	}
	if len(vals) != len(args) {
		return unsupported(info.Name)
	}
	v.push(v.cur.Append(ir.OpSIMD, result, ir.SIMDAux(op, in.Lane), vals...))
	return nil
}

// v128Const appends the v128 constant of bytes b.
func v128Const(b *ir.Block, bytes [16]byte) *ir.Value {
	lo := b.Const(ir.I64, binary.LittleEndian.Uint64(bytes[:8]))
	hi := b.Const(ir.I64, binary.LittleEndian.Uint64(bytes[8:]))
	return b.Append(ir.OpV128Make, ir.V128, 0, lo, hi)
}

// simdMemory builds a SIMD load or store of memory 0.
func (v *Visitor) simdMemory(in *wasm.Instr) error {
	info := in.Op.Info()
	if in.Mem.Memory != 0 || in.Mem.Offset > math.MaxUint32 {
		return unsupported(info.Name + " of a memory other than memory 0 or with a 64-bit offset")
	}
	aux := ir.SIMDMemAux(in.Op, uint32(in.Mem.Offset), in.Lane)
	store := len(info.Out) == 0
	var vec *ir.Value
	if store || ir.IsSIMDLaneMem(in.Op) {
		vec = v.pop()
	}
	addr := v.pop()
	if addr.Type != ir.I32 {
		return unsupported(info.Name + " with a 64-bit address")
	}
	switch {
	case store:
		v.cur.Append(ir.OpSIMDStore, ir.None, aux, addr, vec)
	case vec != nil:
		v.push(v.cur.Append(ir.OpSIMDLoad, ir.V128, aux, addr, vec))
	default:
		v.push(v.cur.Append(ir.OpSIMDLoad, ir.V128, aux, addr))
	}
	return nil
}

// zero is the zero value of t.
func zero(b *ir.Block, t ir.Type) *ir.Value {
	if t == ir.V128 {
		return v128Const(b, [16]byte{})
	}
	return b.Const(t, 0)
}
