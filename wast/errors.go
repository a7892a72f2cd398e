package wast

import (
	"fmt"

	"github.com/kilnrt/kiln/wasm"
)

// Error is a text-format error at a source position. It wraps
// wasm.ErrMalformed: text that cannot be read is a malformed module.
type Error struct {
	Pos Pos
	Msg string
}

func (e *Error) Error() string { return e.Pos.String() + ": " + e.Msg }

// Unwrap makes errors.Is(err, wasm.ErrMalformed) hold.
func (e *Error) Unwrap() error { return wasm.ErrMalformed }

func errorf(pos Pos, format string, args ...any) *Error {
	return &Error{Pos: pos, Msg: fmt.Sprintf(format, args...)}
}
