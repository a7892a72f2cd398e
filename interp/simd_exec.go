package interp

import (
	"encoding/binary"

	"github.com/kilnrt/kiln/internal/numeric"
)

func getV(regs []uint64, s uint32) numeric.V128 { return numeric.V128{Lo: regs[s], Hi: regs[s+1]} }

func setV(regs []uint64, s uint32, v numeric.V128) { regs[s], regs[s+1] = v.Lo, v.Hi }

var simdSplatFns = [...]func(x uint64) numeric.V128{
	func(x uint64) numeric.V128 { return numeric.I8x16Splat(uint32(x)) },
	func(x uint64) numeric.V128 { return numeric.I16x8Splat(uint32(x)) },
	func(x uint64) numeric.V128 { return numeric.I32x4Splat(uint32(x)) },
	numeric.I64x2Splat,
	func(x uint64) numeric.V128 { return numeric.F32x4Splat(uint32(x)) },
	numeric.F64x2Splat,
}

var simdExtractFns = [...]func(v numeric.V128, lane uint8) uint64{
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I8x16ExtractLaneS(v, l)) },
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I8x16ExtractLaneU(v, l)) },
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I16x8ExtractLaneS(v, l)) },
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I16x8ExtractLaneU(v, l)) },
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I32x4ExtractLane(v, l)) },
	numeric.I64x2ExtractLane,
	func(v numeric.V128, l uint8) uint64 { return uint64(numeric.F32x4ExtractLane(v, l)) },
	numeric.F64x2ExtractLane,
}

var simdReplaceFns = [...]func(v numeric.V128, lane uint8, x uint64) numeric.V128{
	func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I8x16ReplaceLane(v, l, uint32(x)) },
	func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I16x8ReplaceLane(v, l, uint32(x)) },
	func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I32x4ReplaceLane(v, l, uint32(x)) },
	numeric.I64x2ReplaceLane,
	func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.F32x4ReplaceLane(v, l, uint32(x)) },
	numeric.F64x2ReplaceLane,
}

// simdExec executes the register-only SIMD instructions.
func simdExec(regs []uint64, in *instr, code *Code) {
	switch in.op {
	case opV128Binary:
		setV(regs, in.a, simdBinaryFns[in.imm](getV(regs, in.b), getV(regs, in.c)))
	case opV128Unary:
		setV(regs, in.a, simdUnaryFns[in.imm](getV(regs, in.b)))
	case opV128Shift:
		setV(regs, in.a, simdShiftFns[in.imm](getV(regs, in.b), uint32(regs[in.c])))
	case opV128Test:
		regs[in.a] = b2u(simdTestFns[in.imm](getV(regs, in.b)))
	case opV128Bitmask:
		regs[in.a] = uint64(simdBitmaskFns[in.imm](getV(regs, in.b)))
	case opV128Ternary:
		setV(regs, in.a, simdTernaryFns[in.imm>>32](getV(regs, in.b), getV(regs, in.c), getV(regs, uint32(in.imm))))
	case opV128Bitselect:
		setV(regs, in.a, numeric.V128Bitselect(getV(regs, in.b), getV(regs, in.c), getV(regs, uint32(in.imm))))
	case opV128Shuffle:
		setV(regs, in.a, code.shuffles[in.imm].Shuffle(getV(regs, in.b), getV(regs, in.c)))
	case opV128Splat:
		setV(regs, in.a, simdSplatFns[in.imm](regs[in.b]))
	case opV128Extract:
		regs[in.a] = simdExtractFns[in.imm](getV(regs, in.b), uint8(in.c))
	case opV128Replace:
		setV(regs, in.a, simdReplaceFns[in.imm&0xff](getV(regs, in.b), uint8(in.imm>>8), regs[in.c]))
	}
}

// simdLoadSizes are the access sizes of the opV128Load kinds.
var simdLoadSizes = [...]uint64{16, 8, 8, 8, 8, 8, 8, 1, 2, 4, 8, 4, 8}

// simdMem executes the SIMD memory instructions on a 32-bit memory 0;
// false means out of bounds.
func simdMem(regs []uint64, in *instr, mem []byte) bool {
	var ea uint64
	switch in.op {
	case opV128Load:
		ea = uint64(uint32(regs[in.b])) + in.imm
	case opV128Store:
		ea = uint64(uint32(regs[in.a])) + in.imm
	case opV128LoadLane:
		ea = uint64(uint32(regs[in.b])) + uint64(uint32(in.imm))
	case opV128StoreLane:
		ea = uint64(uint32(regs[in.a])) + uint64(uint32(in.imm))
	}
	return simdMemAt(regs, in, mem, ea)
}

// simdMemAt performs SIMD memory instruction in at effective address ea.
func simdMemAt(regs []uint64, in *instr, mem []byte, ea uint64) bool {
	switch in.op {
	case opV128Load:
		size := simdLoadSizes[in.c]
		if !inBounds(mem, ea, size) {
			return false
		}
		p := mem[ea : ea+size]
		var v numeric.V128
		switch in.c {
		case 0:
			v = numeric.V128{Lo: binary.LittleEndian.Uint64(p), Hi: binary.LittleEndian.Uint64(p[8:])}
		case 1:
			v = numeric.V128Load8x8S(binary.LittleEndian.Uint64(p))
		case 2:
			v = numeric.V128Load8x8U(binary.LittleEndian.Uint64(p))
		case 3:
			v = numeric.V128Load16x4S(binary.LittleEndian.Uint64(p))
		case 4:
			v = numeric.V128Load16x4U(binary.LittleEndian.Uint64(p))
		case 5:
			v = numeric.V128Load32x2S(binary.LittleEndian.Uint64(p))
		case 6:
			v = numeric.V128Load32x2U(binary.LittleEndian.Uint64(p))
		case 7:
			v = numeric.I8x16Splat(uint32(p[0]))
		case 8:
			v = numeric.I16x8Splat(uint32(binary.LittleEndian.Uint16(p)))
		case 9:
			v = numeric.I32x4Splat(binary.LittleEndian.Uint32(p))
		case 10:
			v = numeric.I64x2Splat(binary.LittleEndian.Uint64(p))
		case 11:
			v = numeric.V128Load32Zero(binary.LittleEndian.Uint32(p))
		case 12:
			v = numeric.V128Load64Zero(binary.LittleEndian.Uint64(p))
		}
		setV(regs, in.a, v)
	case opV128Store:
		if !inBounds(mem, ea, 16) {
			return false
		}
		binary.LittleEndian.PutUint64(mem[ea:], regs[in.b])
		binary.LittleEndian.PutUint64(mem[ea+8:], regs[in.b+1])
	case opV128LoadLane, opV128StoreLane:
		vs := in.c
		if in.op == opV128StoreLane {
			vs = in.b
		}
		lane := uint(in.imm>>32) & 0xff
		size := (in.imm >> 40) & 0xff
		if !inBounds(mem, ea, size) {
			return false
		}
		var b [16]byte
		binary.LittleEndian.PutUint64(b[:8], regs[vs])
		binary.LittleEndian.PutUint64(b[8:], regs[vs+1])
		off := (lane * uint(size)) & 15
		if in.op == opV128StoreLane {
			copy(mem[ea:ea+size], b[off:off+uint(size)])
			return true
		}
		copy(b[off:off+uint(size)], mem[ea:ea+size])
		regs[in.a] = binary.LittleEndian.Uint64(b[:8])
		regs[in.a+1] = binary.LittleEndian.Uint64(b[8:])
	}
	return true
}
