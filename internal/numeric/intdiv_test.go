package numeric

import (
	"math"
	"testing"
)

func TestI32DivRem(t *testing.T) {
	const minI32 = 0x80000000
	neg := func(x int32) uint32 { return uint32(x) }
	tests := []struct {
		name string
		f    func(a, b uint32) (uint32, Trap)
		a, b uint32
		want uint32
		trap Trap
	}{
		{"div_s", I32DivS, 7, 2, 3, TrapNone},
		{"div_s", I32DivS, neg(-7), 2, neg(-3), TrapNone},
		{"div_s", I32DivS, 7, neg(-2), neg(-3), TrapNone},
		{"div_s", I32DivS, 1, 0, 0, TrapIntegerDivideByZero},
		{"div_s", I32DivS, 0, 0, 0, TrapIntegerDivideByZero},
		{"div_s", I32DivS, minI32, neg(-1), 0, TrapIntegerOverflow},
		{"div_s", I32DivS, minI32, 2, neg(-1 << 30), TrapNone},
		{"div_s", I32DivS, math.MaxInt32, neg(-1), neg(-math.MaxInt32), TrapNone},
		{"div_u", I32DivU, minI32, neg(-1), 0, TrapNone},
		{"div_u", I32DivU, math.MaxUint32, 2, math.MaxInt32, TrapNone},
		{"div_u", I32DivU, 1, 0, 0, TrapIntegerDivideByZero},
		{"rem_s", I32RemS, minI32, neg(-1), 0, TrapNone},
		{"rem_s", I32RemS, neg(-7), 2, neg(-1), TrapNone},
		{"rem_s", I32RemS, 7, neg(-2), 1, TrapNone},
		{"rem_s", I32RemS, 7, 0, 0, TrapIntegerDivideByZero},
		{"rem_u", I32RemU, neg(-7), 2, 1, TrapNone},
		{"rem_u", I32RemU, 7, 0, 0, TrapIntegerDivideByZero},
	}
	for _, tt := range tests {
		got, trap := tt.f(tt.a, tt.b)
		if got != tt.want || trap != tt.trap {
			t.Errorf("i32.%s(%#x, %#x) = %#x, %v; want %#x, %v", tt.name, tt.a, tt.b, got, trap, tt.want, tt.trap)
		}
	}
}

func TestI64DivRem(t *testing.T) {
	const minI64 = 0x8000000000000000
	neg := func(x int64) uint64 { return uint64(x) }
	tests := []struct {
		name string
		f    func(a, b uint64) (uint64, Trap)
		a, b uint64
		want uint64
		trap Trap
	}{
		{"div_s", I64DivS, neg(-7), 2, neg(-3), TrapNone},
		{"div_s", I64DivS, 1, 0, 0, TrapIntegerDivideByZero},
		{"div_s", I64DivS, minI64, neg(-1), 0, TrapIntegerOverflow},
		{"div_s", I64DivS, minI64, 2, neg(-1 << 62), TrapNone},
		{"div_u", I64DivU, minI64, neg(-1), 0, TrapNone},
		{"div_u", I64DivU, math.MaxUint64, 2, math.MaxInt64, TrapNone},
		{"div_u", I64DivU, 1, 0, 0, TrapIntegerDivideByZero},
		{"rem_s", I64RemS, minI64, neg(-1), 0, TrapNone},
		{"rem_s", I64RemS, neg(-7), 2, neg(-1), TrapNone},
		{"rem_s", I64RemS, 7, 0, 0, TrapIntegerDivideByZero},
		{"rem_u", I64RemU, neg(-7), 2, 1, TrapNone},
		{"rem_u", I64RemU, 7, 0, 0, TrapIntegerDivideByZero},
	}
	for _, tt := range tests {
		got, trap := tt.f(tt.a, tt.b)
		if got != tt.want || trap != tt.trap {
			t.Errorf("i64.%s(%#x, %#x) = %#x, %v; want %#x, %v", tt.name, tt.a, tt.b, got, trap, tt.want, tt.trap)
		}
	}
}
