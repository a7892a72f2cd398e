package ir

import (
	"fmt"

	"github.com/kilnrt/kiln/internal/simdops"
	"github.com/kilnrt/kiln/wasm"
)

// SIMD operations. One IR operation stands for every v128 instruction of
// a fixed signature (OpSIMD, the wasm opcode in Aux), so the verifier,
// the reference interpreter and the back end's tables are keyed by the
// wasm opcode and its signature comes from wasm's instruction table:
//   - OpV128Make builds a v128 from two i64 halves (v128.const is a
//     make of two constants, which keeps every constant's bits in Aux);
//   - OpSIMD: Aux = SIMDAux(opcode, lane); i8x16.shuffle takes a third
//     argument, a v128 whose bytes are the lane indices (a constant from
//     the front end);
//   - OpSIMDLoad, OpSIMDStore: Aux = SIMDMemAux(opcode, offset, lane);
//     loads and stores of memory 0, bounds-checked like OpLoad and OpStore.

func init() {
	opInfos[OpV128Make] = opInfo{name: "v128.make"}
	opInfos[OpSIMD] = opInfo{name: "simd"}
	opInfos[OpSIMDLoad] = opInfo{name: "simd.load", effect: true}
	opInfos[OpSIMDStore] = opInfo{name: "simd.store", effect: true}
}

// SIMDAux packs an OpSIMD's wasm opcode and lane index.
func SIMDAux(op wasm.Opcode, lane uint8) int64 { return int64(op) | int64(lane)<<32 }

// SIMDOp unpacks an OpSIMD's, OpSIMDLoad's or OpSIMDStore's Aux.
func (v *Value) SIMDOp() (op wasm.Opcode, lane uint8) {
	if v.Op == OpSIMD {
		return wasm.Opcode(uint32(v.Aux)), uint8(v.Aux >> 32)
	}
	return wasm.PrefixSIMD<<16 | wasm.Opcode(uint64(v.Aux)>>48), uint8(v.Aux>>44) & 15
}

// SIMDMemAux packs a SIMD load's or store's opcode, static offset, lane
// (lane loads and stores) and access size (MemAux's layout below bit 44,
// so Access reads offset and size).
func SIMDMemAux(op wasm.Opcode, offset uint32, lane uint8) int64 {
	return MemAux(offset, SIMDAccessSize(op), false) | int64(lane&15)<<44 | int64(op&0xffff)<<48
}

// SIMDAccessSize is the number of bytes a SIMD load or store accesses.
func SIMDAccessSize(op wasm.Opcode) int {
	switch op {
	case wasm.OpV128Load8Lane, wasm.OpV128Store8Lane:
		return 1
	case wasm.OpV128Load16Lane, wasm.OpV128Store16Lane:
		return 2
	case wasm.OpV128Load32Lane, wasm.OpV128Store32Lane:
		return 4
	case wasm.OpV128Load64Lane, wasm.OpV128Store64Lane:
		return 8
	}
	return op.Info().Size
}

// IsSIMDLaneMem reports whether a SIMD memory opcode accesses one lane.
func IsSIMDLaneMem(op wasm.Opcode) bool {
	return op >= wasm.OpV128Load8Lane && op <= wasm.OpV128Store64Lane
}

// SIMDSupported reports whether OpSIMD can stand for op: a v128
// instruction the reference interpreter knows.
func SIMDSupported(op wasm.Opcode) bool {
	if op == wasm.OpI8x16Shuffle || op == wasm.OpV128Bitselect {
		return true
	}
	for _, ok := range []bool{
		simdops.Binary[op] != nil, simdops.Unary[op] != nil, simdops.Shift[op] != nil,
		simdops.Test[op] != nil, simdops.Bitmask[op] != nil, simdops.Ternary[op] != nil,
		simdops.Splat[op] != nil, simdops.Extract[op] != nil, simdops.Replace[op] != nil,
	} {
		if ok {
			return true
		}
	}
	return false
}

// SIMDSignature is the argument and result types of OpSIMD with opcode
// op (shuffle's lane indices included).
func SIMDSignature(op wasm.Opcode) (args []Type, result Type, err error) {
	if !SIMDSupported(op) {
		return nil, None, fmt.Errorf("ir: %v is not a SIMD operation", op)
	}
	info := op.Info()
	for _, t := range info.In {
		args = append(args, typeOf(t))
	}
	if op == wasm.OpI8x16Shuffle {
		args = append(args, V128)
	}
	return args, typeOf(info.Out[0]), nil
}

func typeOf(t wasm.ValType) Type {
	switch t {
	case wasm.I32:
		return I32
	case wasm.I64:
		return I64
	case wasm.F32:
		return F32
	case wasm.F64:
		return F64
	case wasm.V128:
		return V128
	}
	return None
}

// checkSIMD verifies the SIMD operations' arguments and types.
func (v *verifier) checkSIMD(b *Block, in *Value) {
	bad := func(format string, args ...any) {
		v.errorf(b, "v%d = %v: %s", in.ID, in.Op, fmt.Sprintf(format, args...))
	}
	var want []Type
	result := V128
	switch in.Op {
	case OpV128Make:
		want = []Type{I64, I64}
	case OpSIMD:
		op, _ := in.SIMDOp()
		var err error
		if want, result, err = SIMDSignature(op); err != nil {
			bad("%v", err)
			return
		}
	case OpSIMDLoad, OpSIMDStore:
		op, _ := in.SIMDOp()
		info := op.Info()
		if op.Prefix() != byte(wasm.PrefixSIMD) || info == nil || info.Imm != wasm.ImmMemArg && info.Imm != wasm.ImmMemArgLane ||
			(in.Op == OpSIMDStore) != (len(info.Out) == 0) {
			bad("opcode %v", op)
			return
		}
		want = []Type{I32}
		if in.Op == OpSIMDStore || IsSIMDLaneMem(op) {
			want = append(want, V128)
		}
		if in.Op == OpSIMDStore {
			result = None
		}
	}
	if len(in.Args) != len(want) || in.Type != result {
		bad("%d arguments -> %v, want %d -> %v", len(in.Args), in.Type, len(want), result)
		return
	}
	for i, a := range in.Args {
		if a == nil || a.Type != want[i] {
			bad("argument %d is not of type %v", i, want[i])
		}
	}
}

// relaxedAliases are the relaxed SIMD operations internal/numeric (the
// interpreter) defines as a deterministic 2.0 operation.
var relaxedAliases = map[wasm.Opcode]wasm.Opcode{
	wasm.OpI8x16RelaxedSwizzle:         wasm.OpI8x16Swizzle,
	wasm.OpI32x4RelaxedTruncF32x4S:     wasm.OpI32x4TruncSatF32x4S,
	wasm.OpI32x4RelaxedTruncF32x4U:     wasm.OpI32x4TruncSatF32x4U,
	wasm.OpI32x4RelaxedTruncF64x2SZero: wasm.OpI32x4TruncSatF64x2SZero,
	wasm.OpI32x4RelaxedTruncF64x2UZero: wasm.OpI32x4TruncSatF64x2UZero,
	wasm.OpI8x16RelaxedLaneselect:      wasm.OpV128Bitselect,
	wasm.OpI16x8RelaxedLaneselect:      wasm.OpV128Bitselect,
	wasm.OpI32x4RelaxedLaneselect:      wasm.OpV128Bitselect,
	wasm.OpI64x2RelaxedLaneselect:      wasm.OpV128Bitselect,
	wasm.OpF32x4RelaxedMin:             wasm.OpF32x4Min,
	wasm.OpF32x4RelaxedMax:             wasm.OpF32x4Max,
	wasm.OpF64x2RelaxedMin:             wasm.OpF64x2Min,
	wasm.OpF64x2RelaxedMax:             wasm.OpF64x2Max,
	wasm.OpI16x8RelaxedQ15mulrS:        wasm.OpI16x8Q15mulrSatS,
}

// SIMDAlias is the operation a back end lowers OpSIMD of op as: a
// relaxed SIMD operation internal/numeric defines as a deterministic 2.0
// operation becomes that one (so the JIT and the interpreter agree);
// every other op is itself.
func SIMDAlias(op wasm.Opcode) wasm.Opcode {
	if alias, ok := relaxedAliases[op]; ok {
		return alias
	}
	return op
}

// ShuffleLanes returns i8x16.shuffle v's lane indices (0-31) when its
// third operand is a constant, else nil.
func ShuffleLanes(v *Value) []byte {
	m := v.Args[2]
	if m.Op != OpV128Make || m.Args[0].Op != OpConst || m.Args[1].Op != OpConst {
		return nil
	}
	out := make([]byte, 16)
	for i := range out {
		out[i] = byte(uint64(m.Args[i/8].Aux)>>(8*(i%8))) & 31
	}
	return out
}
