package ir

import (
	"math/bits"

	"github.com/kilnrt/kiln/internal/numeric"
)

// EvalOp computes an integer operation on constant bits with WebAssembly
// semantics. argType is the type of the first argument (i32 values are in
// the low 32 bits, and i32 results are returned zero-extended). ok is
// false when the operation would trap (division by zero, signed overflow)
// or is not a pure integer operation; the caller then leaves it for run
// time.
func EvalOp(op Op, argType Type, args ...uint64) (result uint64, ok bool) {
	if op == OpSelect { // any type: the bits pass through
		if uint32(args[2]) != 0 {
			return args[0], true
		}
		return args[1], true
	}
	if op >= numOps || !argType.IsInt() {
		return 0, false
	}
	is32 := argType == I32
	switch opInfos[op].class {
	case classBinary:
		if is32 {
			r, ok := eval32(op, uint32(args[0]), uint32(args[1]))
			return uint64(r), ok
		}
		return eval64(op, args[0], args[1])
	case classUnary, classTest:
		return evalUnary(op, is32, args[0]), true
	case classCompare:
		return b2u(compare(op, is32, args[0], args[1])), true
	case classConvert:
		return convert(op, is32, args[0]), true
	}
	return 0, false
}

func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

func evalUnary(op Op, is32 bool, a uint64) uint64 {
	if is32 {
		x := uint32(a)
		switch op {
		case OpClz:
			return uint64(bits.LeadingZeros32(x))
		case OpCtz:
			return uint64(bits.TrailingZeros32(x))
		case OpPopcnt:
			return uint64(bits.OnesCount32(x))
		}
		return b2u(x == 0) // OpEqz
	}
	switch op {
	case OpClz:
		return uint64(bits.LeadingZeros64(a))
	case OpCtz:
		return uint64(bits.TrailingZeros64(a))
	case OpPopcnt:
		return uint64(bits.OnesCount64(a))
	}
	return b2u(a == 0)
}

func compare(op Op, is32 bool, a, b uint64) bool {
	sa, sb := int64(a), int64(b)
	if is32 {
		a, b = uint64(uint32(a)), uint64(uint32(b))
		sa, sb = int64(int32(a)), int64(int32(b))
	}
	switch op {
	case OpEq:
		return a == b
	case OpNe:
		return a != b
	case OpLtS:
		return sa < sb
	case OpLtU:
		return a < b
	case OpGtS:
		return sa > sb
	case OpGtU:
		return a > b
	case OpLeS:
		return sa <= sb
	case OpLeU:
		return a <= b
	case OpGeS:
		return sa >= sb
	}
	return a >= b // OpGeU
}

func convert(op Op, is32 bool, a uint64) uint64 {
	switch op {
	case OpWrap:
		return uint64(uint32(a))
	case OpExtendS:
		return uint64(int64(int32(a)))
	case OpExtendU:
		return uint64(uint32(a))
	case OpExt8S:
		a = uint64(int64(int8(a)))
	case OpExt16S:
		a = uint64(int64(int16(a)))
	case OpExt32S:
		a = uint64(int64(int32(a)))
	}
	if is32 {
		a = uint64(uint32(a))
	}
	return a
}

func eval32(op Op, a, b uint32) (uint32, bool) {
	var tr numeric.Trap
	var r uint32
	switch op {
	case OpAdd:
		r = a + b
	case OpSub:
		r = a - b
	case OpMul:
		r = a * b
	case OpDivS:
		r, tr = numeric.I32DivS(a, b)
	case OpDivU:
		r, tr = numeric.I32DivU(a, b)
	case OpRemS:
		r, tr = numeric.I32RemS(a, b)
	case OpRemU:
		r, tr = numeric.I32RemU(a, b)
	case OpAnd:
		r = a & b
	case OpOr:
		r = a | b
	case OpXor:
		r = a ^ b
	case OpShl:
		r = a << (b & 31)
	case OpShrS:
		r = uint32(int32(a) >> (b & 31))
	case OpShrU:
		r = a >> (b & 31)
	case OpRotl:
		r = bits.RotateLeft32(a, int(b&31))
	case OpRotr:
		r = bits.RotateLeft32(a, -int(b&31))
	default:
		return 0, false
	}
	return r, tr == numeric.TrapNone
}

func eval64(op Op, a, b uint64) (uint64, bool) {
	var tr numeric.Trap
	var r uint64
	switch op {
	case OpAdd:
		r = a + b
	case OpSub:
		r = a - b
	case OpMul:
		r = a * b
	case OpDivS:
		r, tr = numeric.I64DivS(a, b)
	case OpDivU:
		r, tr = numeric.I64DivU(a, b)
	case OpRemS:
		r, tr = numeric.I64RemS(a, b)
	case OpRemU:
		r, tr = numeric.I64RemU(a, b)
	case OpAnd:
		r = a & b
	case OpOr:
		r = a | b
	case OpXor:
		r = a ^ b
	case OpShl:
		r = a << (b & 63)
	case OpShrS:
		r = uint64(int64(a) >> (b & 63))
	case OpShrU:
		r = a >> (b & 63)
	case OpRotl:
		r = bits.RotateLeft64(a, int(b&63))
	case OpRotr:
		r = bits.RotateLeft64(a, -int(b&63))
	default:
		return 0, false
	}
	return r, tr == numeric.TrapNone
}
