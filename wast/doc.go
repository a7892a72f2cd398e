// Package wast reads the WebAssembly text format: WAT modules and WAST
// scripts (the official test suite's format), and encodes text modules to
// the binary format.
//
// ParseModule turns one WAT module into a binary module. ParseScript turns a
// WAST script into a Script: a list of commands (modules, actions and
// assertions) whose text modules are already encoded to binary, ready for a
// conformance runner.
//
// Reading goes through three layers, each in its own files:
//   - lexer.go splits the source into tokens (keywords, identifiers,
//     numbers, strings, parentheses), skipping comments and annotations;
//   - sexpr.go builds the tree of parenthesised lists that every text
//     construct is made of, so that a malformed module inside a script can
//     be skipped without losing the rest;
//   - module*.go, instr*.go read a module from that tree in two passes
//     (first every definition and its identifier, then bodies with all
//     symbolic references resolved) and encode.go writes the binary, in the
//     canonical form wabt's wat2wasm produces (minimal LEB128 sizes, no name
//     section, a data count section only when an instruction needs it).
//
// Invariants:
//   - Every error is a *Error carrying file:line:column; it says what was
//     expected, and wraps wasm.ErrMalformed (text that is not well formed
//     is a malformed module in the specification's sense).
//   - Numeric indices are never checked against index spaces: that is the
//     validator's job, so modules the suite expects to be invalid still
//     encode. Symbolic identifiers must resolve.
//   - The parser accepts the syntax of later proposals where it already
//     knows it; feature gating belongs to the decoder and validator.
package wast
