package interp

import (
	"encoding/binary"
	"fmt"

	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/validator"
	"github.com/kilnrt/kiln/wasm"
)

// Dense forms of the SIMD tables: the instruction's imm indexes these.
var (
	simdBinaryFns  []func(a, b numeric.V128) numeric.V128
	simdUnaryFns   []func(a numeric.V128) numeric.V128
	simdShiftFns   []func(a numeric.V128, n uint32) numeric.V128
	simdTestFns    []func(a numeric.V128) bool
	simdBitmaskFns []func(a numeric.V128) uint32
	simdTernaryFns []func(a, b, c numeric.V128) numeric.V128
	simdIndex      = map[wasm.Opcode]uint64{}
)

func init() {
	for op, f := range simdBinary {
		simdIndex[op] = uint64(len(simdBinaryFns))
		simdBinaryFns = append(simdBinaryFns, f)
	}
	for op, f := range simdUnary {
		simdIndex[op] = uint64(len(simdUnaryFns))
		simdUnaryFns = append(simdUnaryFns, f)
	}
	for op, f := range simdShift {
		simdIndex[op] = uint64(len(simdShiftFns))
		simdShiftFns = append(simdShiftFns, f)
	}
	for op, f := range simdTest {
		simdIndex[op] = uint64(len(simdTestFns))
		simdTestFns = append(simdTestFns, f)
	}
	for op, f := range simdBitmask {
		simdIndex[op] = uint64(len(simdBitmaskFns))
		simdBitmaskFns = append(simdBitmaskFns, f)
	}
	for op, f := range simdTernary {
		simdIndex[op] = uint64(len(simdTernaryFns))
		simdTernaryFns = append(simdTernaryFns, f)
	}
}

// Kinds of opV128Load (c), in this order.
var simdLoadKinds = map[wasm.Opcode]uint32{
	wasm.OpV128Load: 0, wasm.OpV128Load8x8S: 1, wasm.OpV128Load8x8U: 2,
	wasm.OpV128Load16x4S: 3, wasm.OpV128Load16x4U: 4, wasm.OpV128Load32x2S: 5,
	wasm.OpV128Load32x2U: 6, wasm.OpV128Load8Splat: 7, wasm.OpV128Load16Splat: 8,
	wasm.OpV128Load32Splat: 9, wasm.OpV128Load64Splat: 10, wasm.OpV128Load32Zero: 11,
	wasm.OpV128Load64Zero: 12,
}

var simdSplatKinds = map[wasm.Opcode]uint64{
	wasm.OpI8x16Splat: 0, wasm.OpI16x8Splat: 1, wasm.OpI32x4Splat: 2,
	wasm.OpI64x2Splat: 3, wasm.OpF32x4Splat: 4, wasm.OpF64x2Splat: 5,
}

var simdExtractKinds = map[wasm.Opcode]uint64{
	wasm.OpI8x16ExtractLaneS: 0, wasm.OpI8x16ExtractLaneU: 1, wasm.OpI16x8ExtractLaneS: 2,
	wasm.OpI16x8ExtractLaneU: 3, wasm.OpI32x4ExtractLane: 4, wasm.OpI64x2ExtractLane: 5,
	wasm.OpF32x4ExtractLane: 6, wasm.OpF64x2ExtractLane: 7,
}

var simdReplaceKinds = map[wasm.Opcode]uint64{
	wasm.OpI8x16ReplaceLane: 0, wasm.OpI16x8ReplaceLane: 1, wasm.OpI32x4ReplaceLane: 2,
	wasm.OpI64x2ReplaceLane: 3, wasm.OpF32x4ReplaceLane: 4, wasm.OpF64x2ReplaceLane: 5,
}

// Lane access sizes in bytes of the lane loads and stores.
var simdLaneSizes = map[wasm.Opcode]uint64{
	wasm.OpV128Load8Lane: 1, wasm.OpV128Load16Lane: 2, wasm.OpV128Load32Lane: 4, wasm.OpV128Load64Lane: 8,
	wasm.OpV128Store8Lane: 1, wasm.OpV128Store16Lane: 2, wasm.OpV128Store32Lane: 4, wasm.OpV128Store64Lane: 8,
}

func (t *translator) simd(in *wasm.Instr, s *validator.State) error {
	op := in.Op
	// mem emits memory access fi, in its general form when needed.
	mem := func(fi instr, dst bool) {
		if t.memX(in) {
			imm := fi.imm
			if fi.op == opV128LoadLane || fi.op == opV128StoreLane {
				imm &^= 0xFFFFFFFF
			} else {
				imm = 0
			}
			fi.imm = t.memOp(in, fi.op, imm)
			fi.op = opMemX
		}
		if dst {
			t.emitDst(fi)
		} else {
			t.emit(fi)
		}
	}
	laneImm := func() uint64 {
		return uint64(uint32(in.Mem.Offset)) | uint64(in.Lane)<<32 | simdLaneSizes[op]<<40
	}
	switch {
	case op == wasm.OpV128Const:
		lo, hi := binary64(in.V128)
		dst := t.pushSlot(wasm.V128)
		t.emitDst(instr{op: opConst2, a: dst, imm: lo, b: uint32(hi), c: uint32(hi >> 32)})
	case op == wasm.OpV128Store:
		v, a := t.pop(), t.pop()
		vs, as := t.operand(&v), t.operand(&a)
		mem(instr{op: opV128Store, a: as, b: vs, imm: in.Mem.Offset}, false)
	case op >= wasm.OpV128Load8Lane && op <= wasm.OpV128Load64Lane:
		if in.Mem.Offset > 0xFFFFFFFF && !t.memX(in) {
			return fmt.Errorf("memory offset too large")
		}
		v, a := t.pop(), t.pop()
		vs, as := t.operand(&v), t.operand(&a)
		dst := t.pushSlot(wasm.V128)
		mem(instr{op: opV128LoadLane, a: dst, b: as, c: vs, imm: laneImm()}, true)
	case op >= wasm.OpV128Store8Lane && op <= wasm.OpV128Store64Lane:
		if in.Mem.Offset > 0xFFFFFFFF && !t.memX(in) {
			return fmt.Errorf("memory offset too large")
		}
		v, a := t.pop(), t.pop()
		vs, as := t.operand(&v), t.operand(&a)
		mem(instr{op: opV128StoreLane, a: as, b: vs, imm: laneImm()}, false)
	case op == wasm.OpI8x16Shuffle:
		idx := uint64(len(t.code.shuffles))
		t.code.shuffles = append(t.code.shuffles, numeric.PlanShuffle(in.V128))
		t.binary(instr{op: opV128Shuffle, imm: idx}, s.Out[0])
	case op == wasm.OpV128Bitselect:
		c, y, x := t.pop(), t.pop(), t.pop()
		cs, ys, xs := t.operand(&c), t.operand(&y), t.operand(&x)
		dst := t.pushSlot(wasm.V128)
		t.emitDst(instr{op: opV128Bitselect, a: dst, b: xs, c: ys, imm: uint64(cs)})
	default:
		if k, ok := simdLoadKinds[op]; ok {
			a := t.pop()
			as := t.operand(&a)
			dst := t.pushSlot(wasm.V128)
			mem(instr{op: opV128Load, a: dst, b: as, c: k, imm: in.Mem.Offset}, true)
			return nil
		}
		if k, ok := simdSplatKinds[op]; ok {
			t.unary(instr{op: opV128Splat, imm: k}, s.Out[0])
			return nil
		}
		if k, ok := simdExtractKinds[op]; ok {
			t.unary(instr{op: opV128Extract, c: uint32(in.Lane), imm: k}, s.Out[0])
			return nil
		}
		if k, ok := simdReplaceKinds[op]; ok {
			t.binary(instr{op: opV128Replace, imm: k | uint64(in.Lane)<<8}, s.Out[0])
			return nil
		}
		idx, ok := simdIndex[op]
		switch {
		case !ok:
			return fmt.Errorf("interp: unsupported instruction %s", op)
		case simdTernary[op] != nil:
			z, y, x := t.pop(), t.pop(), t.pop()
			zs, ys, xs := t.operand(&z), t.operand(&y), t.operand(&x)
			dst := t.pushSlot(wasm.V128)
			t.emitDst(instr{op: opV128Ternary, a: dst, b: xs, c: ys, imm: uint64(zs) | idx<<32})
		case simdBinary[op] != nil:
			t.binary(instr{op: opV128Binary, imm: idx}, s.Out[0])
		case simdUnary[op] != nil:
			t.unary(instr{op: opV128Unary, imm: idx}, s.Out[0])
		case simdShift[op] != nil:
			t.binary(instr{op: opV128Shift, imm: idx}, s.Out[0])
		case simdTest[op] != nil:
			t.unary(instr{op: opV128Test, imm: idx}, s.Out[0])
		default:
			t.unary(instr{op: opV128Bitmask, imm: idx}, s.Out[0])
		}
	}
	return nil
}

func binary64(b [16]byte) (lo, hi uint64) {
	return binary.LittleEndian.Uint64(b[:8]), binary.LittleEndian.Uint64(b[8:])
}
