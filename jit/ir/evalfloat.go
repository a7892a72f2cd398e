package ir

import (
	"math"

	"github.com/kilnrt/kiln/internal/numeric"
)

func f32(b uint64) float32  { return math.Float32frombits(uint32(b)) }
func f64(b uint64) float64  { return math.Float64frombits(b) }
func uf32(f float32) uint64 { return uint64(math.Float32bits(f)) }
func uf64(f float64) uint64 { return math.Float64bits(f) }

var (
	f32Binary = map[Op]func(a, b uint32) uint32{
		OpFMin: numeric.F32Min, OpFMax: numeric.F32Max, OpFCopysign: numeric.F32Copysign,
	}
	f64Binary = map[Op]func(a, b uint64) uint64{
		OpFMin: numeric.F64Min, OpFMax: numeric.F64Max, OpFCopysign: numeric.F64Copysign,
	}
	f32Unary = map[Op]func(uint32) uint32{
		OpFAbs: numeric.F32Abs, OpFNeg: numeric.F32Neg, OpFSqrt: numeric.F32Sqrt, OpFCeil: numeric.F32Ceil,
		OpFFloor: numeric.F32Floor, OpFTrunc: numeric.F32Trunc, OpFNearest: numeric.F32Nearest,
	}
	f64Unary = map[Op]func(uint64) uint64{
		OpFAbs: numeric.F64Abs, OpFNeg: numeric.F64Neg, OpFSqrt: numeric.F64Sqrt, OpFCeil: numeric.F64Ceil,
		OpFFloor: numeric.F64Floor, OpFTrunc: numeric.F64Trunc, OpFNearest: numeric.F64Nearest,
	}
)

// evalFloat computes float arithmetic and comparisons as the interpreter
// does (Go's IEEE operations, internal/numeric for the rest).
func evalFloat(op Op, t Type, args []uint64) (uint64, bool) {
	is32 := t == F32
	switch opInfos[op].class {
	case classFBinary:
		a, b := args[0], args[1]
		if is32 {
			if f, ok := f32Binary[op]; ok {
				return uint64(f(uint32(a), uint32(b))), true
			}
			switch op {
			case OpFAdd:
				return uf32(f32(a) + f32(b)), true
			case OpFSub:
				return uf32(f32(a) - f32(b)), true
			case OpFMul:
				return uf32(f32(a) * f32(b)), true
			case OpFDiv:
				return uf32(f32(a) / f32(b)), true
			}
			return 0, false
		}
		if f, ok := f64Binary[op]; ok {
			return f(a, b), true
		}
		switch op {
		case OpFAdd:
			return uf64(f64(a) + f64(b)), true
		case OpFSub:
			return uf64(f64(a) - f64(b)), true
		case OpFMul:
			return uf64(f64(a) * f64(b)), true
		case OpFDiv:
			return uf64(f64(a) / f64(b)), true
		}
	case classFUnary:
		if is32 {
			return uint64(f32Unary[op](uint32(args[0]))), true
		}
		return f64Unary[op](args[0]), true
	case classFCompare:
		x, y := f64(args[0]), f64(args[1])
		if is32 {
			x, y = float64(f32(args[0])), float64(f32(args[1])) // exact widening
		}
		switch op {
		case OpFEq:
			return b2u(x == y), true
		case OpFNe:
			return b2u(x != y), true
		case OpFLt:
			return b2u(x < y), true
		case OpFGt:
			return b2u(x > y), true
		case OpFLe:
			return b2u(x <= y), true
		case OpFGe:
			return b2u(x >= y), true
		}
	}
	return 0, false
}

// evalCast computes a conversion from type from to type to; ok is false
// when it traps.
func evalCast(op Op, from, to Type, a uint64) (uint64, bool) {
	switch op {
	case OpReinterpret:
		if to.Bits() == 32 {
			return uint64(uint32(a)), true
		}
		return a, true
	case OpDemote:
		return uint64(numeric.F32DemoteF64(a)), true
	case OpPromote:
		return numeric.F64PromoteF32(uint32(a)), true
	case OpConvertS, OpConvertU:
		return convertToFloat(op == OpConvertS, from, to, a), true
	case OpTruncSatS, OpTruncSatU:
		return truncSat(op == OpTruncSatS, from, to, a), true
	case OpTruncS, OpTruncU:
		r, tr := trunc(op == OpTruncS, from, to, a)
		return r, tr == numeric.TrapNone
	}
	return 0, false
}

func convertToFloat(signed bool, from, to Type, a uint64) uint64 {
	switch {
	case to == F32 && from == I32 && signed:
		return uint64(numeric.F32ConvertI32S(uint32(a)))
	case to == F32 && from == I32:
		return uint64(numeric.F32ConvertI32U(uint32(a)))
	case to == F32 && signed:
		return uint64(numeric.F32ConvertI64S(a))
	case to == F32:
		return uint64(numeric.F32ConvertI64U(a))
	case from == I32 && signed:
		return numeric.F64ConvertI32S(uint32(a))
	case from == I32:
		return numeric.F64ConvertI32U(uint32(a))
	case signed:
		return numeric.F64ConvertI64S(a)
	}
	return numeric.F64ConvertI64U(a)
}

func truncSat(signed bool, from, to Type, a uint64) uint64 {
	switch {
	case to == I32 && from == F32 && signed:
		return uint64(numeric.I32TruncSatF32S(uint32(a)))
	case to == I32 && from == F32:
		return uint64(numeric.I32TruncSatF32U(uint32(a)))
	case to == I32 && signed:
		return uint64(numeric.I32TruncSatF64S(a))
	case to == I32:
		return uint64(numeric.I32TruncSatF64U(a))
	case from == F32 && signed:
		return numeric.I64TruncSatF32S(uint32(a))
	case from == F32:
		return numeric.I64TruncSatF32U(uint32(a))
	case signed:
		return numeric.I64TruncSatF64S(a)
	}
	return numeric.I64TruncSatF64U(a)
}

func trunc(signed bool, from, to Type, a uint64) (uint64, numeric.Trap) {
	var r32 uint32
	var tr numeric.Trap
	switch {
	case to == I32 && from == F32 && signed:
		r32, tr = numeric.I32TruncF32S(uint32(a))
	case to == I32 && from == F32:
		r32, tr = numeric.I32TruncF32U(uint32(a))
	case to == I32 && signed:
		r32, tr = numeric.I32TruncF64S(a)
	case to == I32:
		r32, tr = numeric.I32TruncF64U(a)
	case from == F32 && signed:
		return numeric.I64TruncF32S(uint32(a))
	case from == F32:
		return numeric.I64TruncF32U(uint32(a))
	case signed:
		return numeric.I64TruncF64S(a)
	default:
		return numeric.I64TruncF64U(a)
	}
	return uint64(r32), tr
}
