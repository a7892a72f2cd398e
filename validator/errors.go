package validator

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// Error is a validation failure. It wraps wasm.ErrInvalid, so
// errors.Is(err, wasm.ErrInvalid) holds.
type Error struct {
	// Func is the index of the function whose body is invalid (in the
	// function index space), or -1 when the error is not in a body.
	Func int64
	// Where names the module entity at fault outside function bodies,
	// such as "global 2" or "export \"f\""; empty inside bodies.
	Where string
	// Offset is the byte offset in the module binary of the offending
	// instruction or entity, or -1 when unknown.
	Offset int
	// Op is the offending instruction inside a body or constant
	// expression; meaningful when HasOp.
	Op    wasm.Opcode
	HasOp bool
	// Msg is the reason, starting with the official suite's wording
	// ("type mismatch", "unknown local", ...).
	Msg string
}

func (e *Error) Error() string {
	var s string
	switch {
	case e.Func >= 0:
		s = fmt.Sprintf("function %d", e.Func)
	case e.Where != "":
		s = e.Where
	default:
		s = "module"
	}
	if e.Offset >= 0 {
		s += fmt.Sprintf(" at offset %#x", e.Offset)
	}
	if e.HasOp {
		s += " (" + e.Op.String() + ")"
	}
	return s + ": " + e.Msg
}

// Unwrap returns wasm.ErrInvalid.
func (e *Error) Unwrap() error { return wasm.ErrInvalid }

// moduleError reports a failure of a module-level rule.
func moduleError(where string, offset int, format string, args ...any) error {
	return &Error{Func: -1, Where: where, Offset: offset, Msg: fmt.Sprintf(format, args...)}
}

// malformedError reports a binary-format rule that is only checkable while
// reading bodies; it wraps wasm.ErrMalformed instead of wasm.ErrInvalid.
type malformedError struct{ err error }

func (e *malformedError) Error() string { return e.err.Error() }
func (e *malformedError) Unwrap() error { return wasm.ErrMalformed }
