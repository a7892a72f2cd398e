package store

// TrapCode identifies why execution trapped.
type TrapCode uint8

// Trap codes, with the wording of the official test suite.
const (
	TrapNone TrapCode = iota
	TrapUnreachable
	TrapIntegerDivideByZero
	TrapIntegerOverflow
	TrapInvalidConversionToInteger
	TrapOutOfBoundsMemoryAccess
	TrapOutOfBoundsTableAccess
	TrapIndirectCallTypeMismatch
	TrapUndefinedElement
	TrapUninitializedElement
	TrapCallStackExhausted
	TrapNullReference
	TrapHostPanic
)

var trapMessages = [...]string{
	TrapNone:                       "no trap",
	TrapUnreachable:                "unreachable",
	TrapIntegerDivideByZero:        "integer divide by zero",
	TrapIntegerOverflow:            "integer overflow",
	TrapInvalidConversionToInteger: "invalid conversion to integer",
	TrapOutOfBoundsMemoryAccess:    "out of bounds memory access",
	TrapOutOfBoundsTableAccess:     "out of bounds table access",
	TrapIndirectCallTypeMismatch:   "indirect call type mismatch",
	TrapUndefinedElement:           "undefined element",
	TrapUninitializedElement:       "uninitialized element",
	TrapCallStackExhausted:         "call stack exhausted",
	TrapNullReference:              "null reference",
	TrapHostPanic:                  "host function panicked",
}

// String returns the specification's message for the trap.
func (c TrapCode) String() string {
	if int(c) < len(trapMessages) {
		return trapMessages[c]
	}
	return "unknown trap"
}
