package store

import (
	"fmt"
	"io"
	"strconv"
)

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
	// TrapHeapExhausted is a GC allocation beyond the GC heap limit
	// (RuntimeConfig.MaxHeapBytes) or refused by the resource limiter.
	TrapHeapExhausted
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
	TrapHeapExhausted:              "GC heap exhausted",
}

// String returns the specification's message for the trap.
func (c TrapCode) String() string {
	if int(c) < len(trapMessages) {
		return trapMessages[c]
	}
	return "unknown trap"
}

// Trap is a WebAssembly trap: execution stopped because an instruction
// could not complete. Frames is the wasm backtrace, innermost first: all
// of it up to MaxTrapFrames frames, the innermost MaxTrapFrames of a
// deeper one (OmittedFrames counts the others).
type Trap struct {
	Code   TrapCode
	Frames []Frame
	// OmittedFrames is the number of outer frames beyond MaxTrapFrames
	// that Frames leaves out.
	OmittedFrames int
	// Detail qualifies the message (the element index of an undefined or
	// uninitialized element), or is empty.
	Detail string
	// Cause is the underlying error of TrapHostPanic (the host function's
	// panic value) and TrapInternalError (the engine's).
	Cause error
	// Exception is the exception of TrapUncaughtException.
	Exception *Exception
	// Reentered marks frames that end at a host function which called
	// back into wasm: a host function's trap that already has frames
	// keeps them alone, so the callers of the host function, whatever
	// engine runs them, add none (engines set it where they call hosts).
	Reentered bool
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
	// Source is the instruction's position in the source (function, file,
	// line, column) when the module carries DWARF line information for
	// it (C compiled with -g, for example), else nil.
	Source *SourcePos
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
	for _, f := range t.Frames {
		if f.Source != nil {
			// The first frame with a source position: where in the
			// program's own code the trap happened.
			msg += " (" + f.sourceText() + ")"
			break
		}
	}
	return msg
}

// sourceText is "in function at file:line:column" for a frame with a
// source position.
func (f Frame) sourceText() string {
	name := f.Source.Function
	if name == "" {
		name = f.Name
	}
	if name == "" {
		return "at " + f.Source.String()
	}
	return "in " + name + " at " + f.Source.String()
}

// BacktraceFrames is how many frames a printed backtrace shows (the
// innermost ones); the others are summarised as "... N more frames".
const BacktraceFrames = 32

// MaxTrapFrames bounds Trap.Frames: a frame stack of millions of frames
// would otherwise make a backtrace of hundreds of megabytes.
const MaxTrapFrames = 100_000

// String formats the frame as "0xOFFSET - module!name" ("func[N]" when
// the function has no name), followed by " at file:line:column" when
// the frame has a source position.
func (f Frame) String() string {
	name := f.Name
	if name == "" && f.Source != nil {
		name = f.Source.Function
	}
	if name == "" {
		name = "func[" + strconv.FormatUint(uint64(f.FuncIndex), 10) + "]"
	}
	if f.Module != "" {
		name = f.Module + "!" + name
	}
	s := fmt.Sprintf("0x%06x - %s", f.Offset, name)
	if f.Source != nil {
		s += " at " + f.Source.String()
	}
	return s
}

// WriteBacktrace writes the backtrace, innermost frame first, one
// "  N: frame" line each, at most limit frames (all when limit <= 0) and
// then a "  ... N more frames" line for the rest.
func (t *Trap) WriteBacktrace(w io.Writer, limit int) error {
	n := len(t.Frames)
	if limit > 0 && n > limit {
		n = limit
	}
	for i, f := range t.Frames[:n] {
		if _, err := fmt.Fprintf(w, "  %2d: %s\n", i, f); err != nil {
			return err
		}
	}
	if more := len(t.Frames) - n + t.OmittedFrames; more > 0 {
		_, err := fmt.Fprintf(w, "  ... %d more frames\n", more)
		return err
	}
	return nil
}

// Format implements fmt.Formatter: %v and %s give Error(); %+v adds
// "wasm backtrace:" and the first BacktraceFrames frames.
func (t *Trap) Format(s fmt.State, verb rune) {
	io.WriteString(s, t.Error())
	if verb == 'v' && s.Flag('+') && len(t.Frames) > 0 {
		io.WriteString(s, "\nwasm backtrace:\n")
		t.WriteBacktrace(s, BacktraceFrames)
	}
}

// Unwrap returns the cause of a host panic or internal error trap.
func (t *Trap) Unwrap() error { return t.Cause }
