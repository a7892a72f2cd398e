package store

import "github.com/kilnrt/kiln/wasm"

// Tag is an exception tag (exception handling): its identity is the
// pointer, its type the exception's payload.
type Tag struct {
	Type  *wasm.FuncType
	Canon *Type
}

// Exception is an exception instance, the value an exnref refers to: a tag
// and its payload, laid out in slots as the tag's parameters are on the
// operand stack (Vals for numbers, Refs for references at the same index).
type Exception struct {
	Tag  *Tag
	Vals []uint64
	Refs []any
}
