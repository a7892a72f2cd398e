// Package wast reads the WebAssembly text format: WAT modules and WAST
// scripts (the official test suite's format), and encodes text modules to
// the binary format.
//
// ParseModule turns one WAT module into a binary module. ParseScript turns a
// WAST script into a Script: a list of commands (modules, actions and
// assertions, see ast.go) whose text modules are already encoded to
// binary, ready for a conformance runner. A Parser value selects the
// version-dependent text rules (2.0 by default, memory64 for 3.0).
//
// Reading goes through layers, each in its own files:
//   - lexer.go splits the source into tokens (keywords, identifiers,
//     numbers, strings, parentheses), skipping comments; numbers.go and
//     literals.go read numeric literals and v128 lanes exactly;
//   - sexpr.go builds the tree of parenthesised lists that every text
//     construct is made of (dropping annotations), so that a malformed
//     module inside a script is skipped without losing the rest; cursor.go
//     walks one list;
//   - module.go, segments.go, typeuse.go and types.go read a module in two
//     passes: first every definition and its identifier in field order
//     (index spaces, inline imports and exports, inline segments), then,
//     after the explicit type definitions, type uses (implicit types are
//     appended in order of appearance), bodies and references; instr.go
//     encodes instructions, plain and folded, from the opcode table of
//     package wasm, so an opcode added there with a known immediate kind
//     needs no change here (try_table and the legacy try have block forms
//     of their own, ref.test and ref.cast pick their opcode from the
//     written type's nullability);
//   - encode.go writes the binary in the canonical form of wabt's
//     wat2wasm (section order, minimal LEB128 sizes, no name section, a
//     data count section only when memory.init or data.drop needs it, the
//     compact element segment encodings when they apply);
//   - script.go reads the script commands and their values.
//
// Invariants:
//   - Every error is a *Error carrying file:line:column; it says what was
//     expected, and wraps wasm.ErrMalformed (text that is not well formed
//     is a malformed module in the specification's sense). Errors inside
//     a (module quote ...) are positioned within the quoted text.
//   - Numeric indices are never checked against index spaces: that is the
//     validator's job, so modules the suite expects to be invalid still
//     encode. Symbolic identifiers must resolve.
//   - The parser accepts the syntax of later proposals where it knows it
//     (typed references, rec/sub/struct/array types, tags, table
//     initialisers, 64-bit and shared memories, multiple memories);
//     feature gating belongs to the decoder and validator.
package wast
