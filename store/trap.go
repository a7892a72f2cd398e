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
	// TrapInternalError is a bug in the engine, reported instead of
	// crashing the embedding process.
	TrapInternalError
	TrapNullFunctionReference
	TrapUnalignedAtomic
	TrapExpectedSharedMemory
	TrapNullStructureReference
	TrapNullArrayReference
	TrapNullI31Reference
	TrapOutOfBoundsArrayAccess
	TrapCastFailure
	// TrapUncaughtException is an exception that no handler caught; the
	// Trap's Exception field holds it.
	TrapUncaughtException
	TrapNullExceptionReference
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
	TrapInternalError:              "internal error",
	TrapNullFunctionReference:      "null function reference",
	TrapUnalignedAtomic:            "unaligned atomic",
	TrapExpectedSharedMemory:       "expected shared memory",
	TrapNullStructureReference:     "null structure reference",
	TrapNullArrayReference:         "null array reference",
	TrapNullI31Reference:           "null i31 reference",
	TrapOutOfBoundsArrayAccess:     "out of bounds array access",
	TrapCastFailure:                "cast failure",
	TrapUncaughtException:          "uncaught exception",
	TrapNullExceptionReference:     "null exception reference",
}

// String returns the specification's message for the trap.
func (c TrapCode) String() string {
	if int(c) < len(trapMessages) {
		return trapMessages[c]
	}
	return "unknown trap"
}

// Trap is a WebAssembly trap: execution stopped because an instruction
// could not complete. Frames is the wasm backtrace, innermost first.
type Trap struct {
	Code   TrapCode
	Frames []Frame
	// Detail qualifies the message (the element index of an undefined or
	// uninitialized element), or is empty.
	Detail string
	// Cause is the underlying error of TrapHostPanic (the host function's
	// panic value) and TrapInternalError (the engine's).
	Cause error
	// Exception is the exception of TrapUncaughtException.
	Exception *Exception
}

// Frame is one function activation in a trap backtrace.
type Frame struct {
	FuncIndex uint32
	// Name is the function's debug name, or "" when unknown.
	Name string
	// Module is the name of the module instance, or "".
	Module string
	// Offset is the byte offset of the instruction in the module binary.
	Offset int
}

// Error returns "wasm trap: " followed by the specification's message.
func (t *Trap) Error() string {
	msg := "wasm trap: " + t.Code.String()
	if t.Detail != "" {
		msg += " " + t.Detail
	}
	if t.Cause != nil {
		msg += ": " + t.Cause.Error()
	}
	return msg
}

// Unwrap returns the cause of a host panic or internal error trap.
func (t *Trap) Unwrap() error { return t.Cause }
