package ir

import (
	"math/bits"

	"github.com/kilnrt/kiln/internal/numeric"
)

// EvalOp computes a numeric operation on constant bits with WebAssembly
// semantics. argType is the type of the first argument, resultType the
// operation's (32-bit values are in the low bits, and 32-bit results are
// returned zero-extended). ok is false when the operation would trap
// (division by zero, signed overflow, a float-to-integer truncation out
// of range) or is not a pure numeric operation; the caller then leaves it
// for run time.
func EvalOp(op Op, argType, resultType Type, args ...uint64) (result uint64, ok bool) {
	if op == OpSelect { // any type: the bits pass through
		if uint32(args[2]) != 0 {
			return args[0], true
		}
		return args[1], true
	}
	if op >= numOps {
		return 0, false
	}
	switch opInfos[op].class {
	case classFBinary, classFUnary, classFCompare:
		return evalFloat(op, argType, args)
	case classCast:
		return evalCast(op, argType, resultType, args[0])
	}
	if !argType.IsInt() {
		return 0, false
	}
	is32 := argType == I32
	switch opInfos[op].class {
	case classBinary:
		return evalBinary(op, is32, args[0], args[1])
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

var (
	divide32 = map[Op]func(a, b uint32) (uint32, numeric.Trap){
		OpDivS: numeric.I32DivS, OpDivU: numeric.I32DivU, OpRemS: numeric.I32RemS, OpRemU: numeric.I32RemU,
	}
	divide64 = map[Op]func(a, b uint64) (uint64, numeric.Trap){
		OpDivS: numeric.I64DivS, OpDivU: numeric.I64DivU, OpRemS: numeric.I64RemS, OpRemU: numeric.I64RemU,
	}
)

// evalBinary computes a binary integer operation at width 32 or 64; ok is
// false when it traps.
func evalBinary(op Op, is32 bool, a, b uint64) (uint64, bool) {
	w, mask := uint64(64), ^uint64(0)
	signed := int64(a)
	if is32 {
		w, mask = 32, 0xFFFF_FFFF
		a, b, signed = a&mask, b&mask, int64(int32(a))
		if div, ok := divide32[op]; ok {
			r, tr := div(uint32(a), uint32(b))
			return uint64(r), tr == numeric.TrapNone
		}
	} else if div, ok := divide64[op]; ok {
		r, tr := div(a, b)
		return r, tr == numeric.TrapNone
	}
	n := b & (w - 1) // shift and rotate counts are taken modulo the width
	var r uint64
	switch op {
	case OpAdd:
		r = a + b
	case OpSub:
		r = a - b
	case OpMul:
		r = a * b
	case OpAnd:
		r = a & b
	case OpOr:
		r = a | b
	case OpXor:
		r = a ^ b
	case OpShl:
		r = a << n
	case OpShrS:
		r = uint64(signed >> n)
	case OpShrU:
		r = a >> n
	case OpRotl:
		r = a<<n | a>>((w-n)%w)
	case OpRotr:
		r = a>>n | a<<((w-n)%w)
	default:
		return 0, false
	}
	return r & mask, true
}
