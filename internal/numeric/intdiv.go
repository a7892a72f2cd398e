package numeric

import "math"

// I32DivS is i32.div_s. It traps on a zero divisor and on INT32_MIN / -1.
func I32DivS(a, b uint32) (uint32, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	if int32(a) == math.MinInt32 && int32(b) == -1 {
		return 0, TrapIntegerOverflow
	}
	return uint32(int32(a) / int32(b)), TrapNone
}

// I32DivU is i32.div_u. It traps on a zero divisor.
func I32DivU(a, b uint32) (uint32, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	return a / b, TrapNone
}

// I32RemS is i32.rem_s. It traps on a zero divisor; INT32_MIN rem -1 is 0.
func I32RemS(a, b uint32) (uint32, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	if int32(b) == -1 {
		return 0, TrapNone
	}
	return uint32(int32(a) % int32(b)), TrapNone
}

// I32RemU is i32.rem_u. It traps on a zero divisor.
func I32RemU(a, b uint32) (uint32, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	return a % b, TrapNone
}

// I64DivS is i64.div_s. It traps on a zero divisor and on INT64_MIN / -1.
func I64DivS(a, b uint64) (uint64, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	if int64(a) == math.MinInt64 && int64(b) == -1 {
		return 0, TrapIntegerOverflow
	}
	return uint64(int64(a) / int64(b)), TrapNone
}

// I64DivU is i64.div_u. It traps on a zero divisor.
func I64DivU(a, b uint64) (uint64, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	return a / b, TrapNone
}

// I64RemS is i64.rem_s. It traps on a zero divisor; INT64_MIN rem -1 is 0.
func I64RemS(a, b uint64) (uint64, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	if int64(b) == -1 {
		return 0, TrapNone
	}
	return uint64(int64(a) % int64(b)), TrapNone
}

// I64RemU is i64.rem_u. It traps on a zero divisor.
func I64RemU(a, b uint64) (uint64, Trap) {
	if b == 0 {
		return 0, TrapIntegerDivideByZero
	}
	return a % b, TrapNone
}
