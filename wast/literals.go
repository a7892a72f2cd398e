package wast

import (
	"strings"

	"github.com/kilnrt/kiln/wasm"
)

// parseScalar reads a numeric literal of type t into its bits.
func parseScalar(lit *node, t wasm.ValType) (uint64, error) {
	text := lit.text
	if lit.list || (lit.kind != tokNumber && lit.kind != tokKeyword && lit.kind != tokReserved) {
		return 0, errorf(lit.pos(), "unexpected token %s, expected a %s literal", lit.describe(), t)
	}
	var bits uint64
	var e numErr
	switch t {
	case wasm.I32:
		bits, e = parseInt(text, 32)
	case wasm.I64:
		bits, e = parseInt(text, 64)
	case wasm.F32:
		bits, e = parseFloat(text, 32)
	case wasm.F64:
		bits, e = parseFloat(text, 64)
	}
	switch e {
	case numSyntax:
		return 0, literalSyntaxError(lit, t.String()+" literal")
	case numRange:
		return 0, errorf(lit.pos(), "constant out of range: %s does not fit %s (%s constant out of range)", text, t, t)
	}
	return bits, nil
}

// literalSyntaxError reports a malformed literal: a number-like token that
// is not a valid number is an unknown operator (it is not a token at all),
// a keyword is an unexpected token.
func literalSyntaxError(lit *node, expected string) error {
	text := lit.text
	_, isFloat := parseFloat(text, 64)
	if lit.kind == tokNumber || lit.kind == tokReserved ||
		(strings.HasPrefix(text, "nan") || strings.HasPrefix(text, "inf")) && isFloat != numOK && nanPattern(text) == NaNNone {
		return errorf(lit.pos(), "unknown operator %q: not a valid %s", lit.text, expected)
	}
	return errorf(lit.pos(), "unexpected token %s, expected a %s", lit.describe(), expected)
}

var shapes = map[string]Shape{
	"i8x16": ShapeI8x16, "i16x8": ShapeI16x8, "i32x4": ShapeI32x4,
	"i64x2": ShapeI64x2, "f32x4": ShapeF32x4, "f64x2": ShapeF64x2,
}

// parseShape reads a v128 lane shape keyword.
func parseShape(c *cursor) (Shape, error) {
	if s, ok := keywordOf(c, shapes); ok {
		return s, nil
	}
	return 0, c.unexpected("a v128 shape (i8x16, i16x8, i32x4, i64x2, f32x4, f64x2)")
}

// parseLane reads one lane literal of a v128 constant.
func parseLane(lit *node, s Shape) (uint64, error) {
	if lit.list || (lit.kind != tokNumber && lit.kind != tokKeyword && lit.kind != tokReserved) {
		return 0, errorf(lit.pos(), "unexpected token %s, expected a %s lane literal", lit.describe(), s)
	}
	var bits uint64
	var e numErr
	switch s {
	case ShapeI8x16:
		bits, e = parseInt(lit.text, 8)
	case ShapeI16x8:
		bits, e = parseInt(lit.text, 16)
	case ShapeI32x4:
		bits, e = parseInt(lit.text, 32)
	case ShapeI64x2:
		bits, e = parseInt(lit.text, 64)
	case ShapeF32x4:
		bits, e = parseFloat(lit.text, 32)
	case ShapeF64x2:
		bits, e = parseFloat(lit.text, 64)
	}
	switch e {
	case numSyntax:
		return 0, literalSyntaxError(lit, s.String()+" lane literal")
	case numRange:
		return 0, errorf(lit.pos(), "constant out of range: %s does not fit a %s lane", lit.text, s)
	}
	return bits, nil
}

// parseV128 reads the shape and lanes of a v128.const.
func parseV128(c *cursor) ([16]byte, error) {
	var b [16]byte
	s, err := parseShape(c)
	if err != nil {
		return b, err
	}
	w := s.LaneBits() / 8
	// The number of literals is checked before their values.
	for i := 0; i <= s.Lanes(); i++ {
		lit := c.peekAt(i)
		isLit := lit != nil && !lit.list && (lit.kind == tokNumber || lit.kind == tokReserved ||
			lit.kind == tokKeyword && !strings.Contains(lit.text, "."))
		if i < s.Lanes() && !isLit || i == s.Lanes() && isLit && lit.kind == tokNumber {
			return b, errorf(c.pos(), "wrong number of lane literals: %s needs %d", s, s.Lanes())
		}
	}
	for i := 0; i < s.Lanes(); i++ {
		lit := c.next()
		bits, err := parseLane(lit, s)
		if err != nil {
			return b, err
		}
		for j := 0; j < w; j++ {
			b[i*w+j] = byte(bits >> (8 * j))
		}
	}
	return b, nil
}

// abstractHeaps are the heap type keywords.
var abstractHeaps = map[string]wasm.HeapType{
	"func": wasm.HeapFunc, "extern": wasm.HeapExtern, "any": HeapAny, "eq": HeapEq,
	"i31": HeapI31, "struct": HeapStruct, "array": HeapArray, "none": HeapNone,
	"noextern": HeapNoExtern, "nofunc": HeapNoFunc, "exn": HeapExn, "noexn": HeapNoExn,
}

// parseAbstractHeap reads an abstract heap type keyword.
func parseAbstractHeap(c *cursor) (wasm.HeapType, error) {
	if h, ok := keywordOf(c, abstractHeaps); ok {
		return h, nil
	}
	return 0, c.unexpected("a heap type (func, extern, ...)")
}
