package decoder

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// Error is a decoding failure: the module is not well-formed binary.
// errors.Is(err, wasm.ErrMalformed) holds for every *Error.
type Error struct {
	// Offset is the byte position in the module binary where the problem
	// was detected.
	Offset int
	// Msg is the description, in the official test suite's wording.
	Msg string
	// Err is the underlying cause, if any (for example leb128.ErrTooLarge).
	Err error
}

func (e *Error) Error() string {
	return fmt.Sprintf("offset %#x: %s", e.Offset, e.Msg)
}

// Unwrap returns the underlying cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports that every decoding error is a wasm.ErrMalformed.
func (e *Error) Is(target error) bool { return target == wasm.ErrMalformed }

// Messages shared by several decoding steps, in the suite's wording.
const (
	msgUnexpectedEnd = "unexpected end of section or function"
	msgLengthOOB     = "length out of bounds"
	msgZeroByte      = "zero byte expected"
	msgMemopFlags    = "malformed memop flags"
	msgValueType     = "malformed value type"
	msgRefType       = "malformed reference type"
	msgHeapType      = "malformed heap type"
	msgBlockType     = "malformed block type"
	msgEndExpected   = "END opcode expected"
	msgSectionSize   = "section size mismatch"
	msgUTF8          = "malformed UTF-8 encoding"
	msgIllegalOpcode = "illegal opcode"
	msgAfterLast     = "unexpected content after last section"
	msgSectionID     = "malformed section id"
	msgTooManyLocals = "too many locals"
	msgMutability    = "malformed mutability"
	msgImportKind    = "malformed import kind"
	msgExportKind    = "malformed export kind"
	msgFuncType      = "malformed function type"
	msgLimits        = "malformed limits flags"
	msgElemKind      = "malformed elements segment kind"
	msgElemType      = "malformed element kind"
	msgDataKind      = "malformed data segment kind"
	msgFuncCodeCount = "function and code section have inconsistent lengths"
	msgDataCount     = "data count and data section have inconsistent lengths"
	msgDataCountNeed = "data count section required"
	msgMagic         = "magic header not detected"
	msgVersion       = "unknown binary version"
	msgHeaderEnd     = "unexpected end"
	msgMisplacedEnd  = "misplaced END opcode"
	msgMisplacedElse = "misplaced ELSE opcode"
)
