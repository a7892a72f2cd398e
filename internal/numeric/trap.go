package numeric

// Trap says whether an operation trapped and why. The zero value, TrapNone,
// means the operation produced a result.
type Trap uint8

const (
	// TrapNone means no trap.
	TrapNone Trap = iota
	// TrapIntegerDivideByZero is an integer division or remainder by zero.
	TrapIntegerDivideByZero
	// TrapIntegerOverflow is a signed division overflow (INT_MIN / -1) or a
	// float-to-integer truncation whose result does not fit.
	TrapIntegerOverflow
	// TrapInvalidConversionToInteger is a float-to-integer truncation of a NaN.
	TrapInvalidConversionToInteger
)

// trapMessages holds the wording of the official test suite.
var trapMessages = [...]string{
	TrapNone:                       "",
	TrapIntegerDivideByZero:        "integer divide by zero",
	TrapIntegerOverflow:            "integer overflow",
	TrapInvalidConversionToInteger: "invalid conversion to integer",
}

// String returns the specification's message for the trap ("integer
// overflow", ...), or "" for TrapNone.
func (t Trap) String() string {
	if int(t) < len(trapMessages) {
		return trapMessages[t]
	}
	return "unknown numeric trap"
}
