package wasmgen

import (
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// opTables classifies the instructions of wasm.OpInfos by how the generator
// emits them. Control, variable, reference, table and bulk-memory
// instructions are emitted by hand-written code instead.
type opTables struct {
	// byResult lists the fixed-signature instructions without immediates
	// that produce exactly one value of the key type.
	byResult map[wasm.ValType][]*wasm.OpInfo
	// loads lists memory loads (memarg immediate) by result type.
	loads map[wasm.ValType][]*wasm.OpInfo
	// stores lists memory stores (memarg immediate).
	stores []*wasm.OpInfo
	// lanes lists SIMD lane instructions (extract/replace) by result type.
	lanes map[wasm.ValType][]*wasm.OpInfo
	// laneMem lists v128.loadN_lane (result v128) and storeN_lane.
	laneLoads, laneStores []*wasm.OpInfo
	// nanNondeterministic marks instructions whose NaN results may differ
	// between conforming engines (the ones CanonicalNaNs fixes up).
	nanNondeterministic map[wasm.Opcode]bool
}

var ops = buildOpTables()

func buildOpTables() *opTables {
	t := &opTables{
		byResult:            map[wasm.ValType][]*wasm.OpInfo{},
		loads:               map[wasm.ValType][]*wasm.OpInfo{},
		lanes:               map[wasm.ValType][]*wasm.OpInfo{},
		nanNondeterministic: map[wasm.Opcode]bool{},
	}
	infos := wasm.OpInfos()
	for i := range infos {
		info := &infos[i]
		if !info.Fixed || !inWasm2(info.Op) {
			continue
		}
		switch info.Imm {
		case wasm.ImmNone:
			if len(info.Out) == 1 {
				t.byResult[info.Out[0]] = append(t.byResult[info.Out[0]], info)
			}
			if nanNondeterministic(info) {
				t.nanNondeterministic[info.Op] = true
			}
		case wasm.ImmMemArg:
			if len(info.Out) == 1 {
				t.loads[info.Out[0]] = append(t.loads[info.Out[0]], info)
			} else if len(info.Out) == 0 && len(info.In) == 2 {
				t.stores = append(t.stores, info)
			}
		case wasm.ImmLane:
			t.lanes[info.Out[0]] = append(t.lanes[info.Out[0]], info)
		case wasm.ImmMemArgLane:
			if len(info.Out) == 1 {
				t.laneLoads = append(t.laneLoads, info)
			} else {
				t.laneStores = append(t.laneStores, info)
			}
		}
	}
	return t
}

// inWasm2 reports whether op is a numeric, memory or SIMD instruction of
// WebAssembly 2.0 (the opcode table also lists later proposals: atomics,
// relaxed SIMD, GC, ...).
func inWasm2(op wasm.Opcode) bool {
	switch op.Prefix() {
	case 0:
		return op >= wasm.OpI32Load && op <= wasm.OpI64Extend32S
	case 0xfc:
		return op&0xFFFF <= 17
	case 0xfd:
		return op&0xFFFF <= 0xff
	}
	return false
}

// nanNondeterministic reports whether a NaN produced by info may have a
// payload or sign that the specification leaves open. Bitwise float
// operations (abs, neg, copysign), reinterpretations, conversions from
// integers, pseudo-min/max and lane moves are deterministic.
func nanNondeterministic(info *wasm.OpInfo) bool {
	out := info.Out[0]
	shape, op, _ := strings.Cut(info.Name, ".")
	switch {
	case out == wasm.F32 || out == wasm.F64:
		if shape != "f32" && shape != "f64" {
			return false
		}
	case out == wasm.V128:
		if shape != "f32x4" && shape != "f64x2" {
			return false
		}
	default:
		return false
	}
	switch op {
	case "add", "sub", "mul", "div", "sqrt", "min", "max", "ceil", "floor", "trunc", "nearest",
		"demote_f64", "promote_f32", "demote_f64x2_zero", "promote_low_f32x4":
		return true
	}
	return false
}

// floatShape returns the lane shape ("f32x4" or "f64x2") whose NaNs a v128
// instruction may produce.
func floatShape(info *wasm.OpInfo) string {
	shape, _, _ := strings.Cut(info.Name, ".")
	return shape
}

// laneCount returns the number of lanes of a SIMD instruction's shape.
func laneCount(info *wasm.OpInfo) int {
	switch {
	case strings.HasPrefix(info.Name, "i8x16"):
		return 16
	case strings.HasPrefix(info.Name, "i16x8"):
		return 8
	case strings.HasPrefix(info.Name, "i32x4"), strings.HasPrefix(info.Name, "f32x4"):
		return 4
	case strings.HasPrefix(info.Name, "i64x2"), strings.HasPrefix(info.Name, "f64x2"):
		return 2
	}
	// v128.loadN_lane / storeN_lane: lanes of the access size.
	return 16 / info.Size
}

// maxAlign returns log2 of an access size.
func maxAlign(size int) uint32 {
	a := uint32(0)
	for 1<<a < size {
		a++
	}
	return a
}
