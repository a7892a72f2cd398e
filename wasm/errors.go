package wasm

import "errors"

// Error classes. Decoder errors wrap ErrMalformed and validator errors wrap
// ErrInvalid, so that callers (and the spec-test runner) can tell a module
// that is not well-formed binary from one that is ill-typed with errors.Is.
var (
	ErrMalformed = errors.New("malformed module")
	ErrInvalid   = errors.New("invalid module")
)
