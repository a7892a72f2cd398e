package validator

import "github.com/kilnrt/kiln/wasm"

// laneCount returns the number of lanes addressable by the lane immediate of
// a SIMD extract_lane, replace_lane, load_lane or store_lane instruction.
func laneCount(op wasm.Opcode, info *wasm.OpInfo) byte {
	if info.Imm == wasm.ImmMemArgLane {
		return byte(16 / info.Size)
	}
	switch op {
	case wasm.OpI8x16ExtractLaneS, wasm.OpI8x16ExtractLaneU, wasm.OpI8x16ReplaceLane:
		return 16
	case wasm.OpI16x8ExtractLaneS, wasm.OpI16x8ExtractLaneU, wasm.OpI16x8ReplaceLane:
		return 8
	case wasm.OpI32x4ExtractLane, wasm.OpI32x4ReplaceLane, wasm.OpF32x4ExtractLane, wasm.OpF32x4ReplaceLane:
		return 4
	case wasm.OpI64x2ExtractLane, wasm.OpI64x2ReplaceLane, wasm.OpF64x2ExtractLane, wasm.OpF64x2ReplaceLane:
		return 2
	}
	return 0
}

// maxAlign returns log2 of a natural access size.
func maxAlign(size int) uint32 {
	n := uint32(0)
	for size > 1 {
		size >>= 1
		n++
	}
	return n
}
