package simdops

import (
	"github.com/kilnrt/kiln/internal/numeric"
	"github.com/kilnrt/kiln/wasm"
)

// Splat are the scalar -> v128 splats (the scalar as raw bits).
var Splat = map[wasm.Opcode]func(x uint64) numeric.V128{
	wasm.OpI8x16Splat: func(x uint64) numeric.V128 { return numeric.I8x16Splat(uint32(x)) },
	wasm.OpI16x8Splat: func(x uint64) numeric.V128 { return numeric.I16x8Splat(uint32(x)) },
	wasm.OpI32x4Splat: func(x uint64) numeric.V128 { return numeric.I32x4Splat(uint32(x)) },
	wasm.OpI64x2Splat: numeric.I64x2Splat,
	wasm.OpF32x4Splat: func(x uint64) numeric.V128 { return numeric.F32x4Splat(uint32(x)) },
	wasm.OpF64x2Splat: numeric.F64x2Splat,
}

// Extract are the extract_lane operations (the lane as raw bits).
var Extract = map[wasm.Opcode]func(v numeric.V128, lane uint8) uint64{
	wasm.OpI8x16ExtractLaneS: func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I8x16ExtractLaneS(v, l)) },
	wasm.OpI8x16ExtractLaneU: func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I8x16ExtractLaneU(v, l)) },
	wasm.OpI16x8ExtractLaneS: func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I16x8ExtractLaneS(v, l)) },
	wasm.OpI16x8ExtractLaneU: func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I16x8ExtractLaneU(v, l)) },
	wasm.OpI32x4ExtractLane:  func(v numeric.V128, l uint8) uint64 { return uint64(numeric.I32x4ExtractLane(v, l)) },
	wasm.OpI64x2ExtractLane:  numeric.I64x2ExtractLane,
	wasm.OpF32x4ExtractLane:  func(v numeric.V128, l uint8) uint64 { return uint64(numeric.F32x4ExtractLane(v, l)) },
	wasm.OpF64x2ExtractLane:  numeric.F64x2ExtractLane,
}

// Replace are the replace_lane operations (the scalar as raw bits).
var Replace = map[wasm.Opcode]func(v numeric.V128, lane uint8, x uint64) numeric.V128{
	wasm.OpI8x16ReplaceLane: func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I8x16ReplaceLane(v, l, uint32(x)) },
	wasm.OpI16x8ReplaceLane: func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I16x8ReplaceLane(v, l, uint32(x)) },
	wasm.OpI32x4ReplaceLane: func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.I32x4ReplaceLane(v, l, uint32(x)) },
	wasm.OpI64x2ReplaceLane: numeric.I64x2ReplaceLane,
	wasm.OpF32x4ReplaceLane: func(v numeric.V128, l uint8, x uint64) numeric.V128 { return numeric.F32x4ReplaceLane(v, l, uint32(x)) },
	wasm.OpF64x2ReplaceLane: numeric.F64x2ReplaceLane,
}

// Load are the loads that read fewer than 16 bytes and widen, splat or
// zero-extend them: the bytes read (little-endian, at most 8) -> v128.
var Load = map[wasm.Opcode]func(x uint64) numeric.V128{
	wasm.OpV128Load8x8S:    numeric.V128Load8x8S,
	wasm.OpV128Load8x8U:    numeric.V128Load8x8U,
	wasm.OpV128Load16x4S:   numeric.V128Load16x4S,
	wasm.OpV128Load16x4U:   numeric.V128Load16x4U,
	wasm.OpV128Load32x2S:   numeric.V128Load32x2S,
	wasm.OpV128Load32x2U:   numeric.V128Load32x2U,
	wasm.OpV128Load8Splat:  func(x uint64) numeric.V128 { return numeric.I8x16Splat(uint32(uint8(x))) },
	wasm.OpV128Load16Splat: func(x uint64) numeric.V128 { return numeric.I16x8Splat(uint32(uint16(x))) },
	wasm.OpV128Load32Splat: func(x uint64) numeric.V128 { return numeric.I32x4Splat(uint32(x)) },
	wasm.OpV128Load64Splat: numeric.I64x2Splat,
	wasm.OpV128Load32Zero:  func(x uint64) numeric.V128 { return numeric.V128Load32Zero(uint32(x)) },
	wasm.OpV128Load64Zero:  numeric.V128Load64Zero,
}
