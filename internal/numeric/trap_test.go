package numeric

import "testing"

func TestTrapString(t *testing.T) {
	for trap, want := range map[Trap]string{
		TrapNone:                       "",
		TrapIntegerDivideByZero:        "integer divide by zero",
		TrapIntegerOverflow:            "integer overflow",
		TrapInvalidConversionToInteger: "invalid conversion to integer",
		Trap(200):                      "unknown numeric trap",
	} {
		if got := trap.String(); got != want {
			t.Errorf("Trap(%d).String() = %q, want %q", trap, got, want)
		}
	}
}
