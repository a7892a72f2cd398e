// Package decoder turns the WebAssembly binary format into a *wasm.Module.
//
// Decode accepts the encodings of the features it is given (kiln's runtime
// passes wasm.Features3 by default; each 3.0 proposal and threads has a flag:
// recursion groups and sub/struct/array types, the tag section and tag
// imports and exports, table initialisers, u64 limits, the 0xFB and 0xFE
// prefixes, try_table catch clauses and the legacy try blocks). It checks
// everything the binary grammar requires and nothing more:
// section order and sizes, LEB128 limits, UTF-8 names, counts that agree
// (function/code, data count/data), local counts, and the full instruction
// syntax of every function body and constant expression. Typing, index
// ranges and other validation rules are the validator's job; it re-reads
// function bodies with the same InstrReader.
//
// Invariants:
//   - Any input yields a module or an *Error; no input panics. Every error
//     satisfies errors.Is(err, wasm.ErrMalformed) and carries the byte
//     offset in the module where decoding stopped. Messages use the wording
//     of the official test suite ("unexpected end", "integer too large",
//     "section size mismatch", ...), so spec scripts can match them.
//   - Like the reference interpreter, the decoder reads each section's
//     contents as a stream and compares the position with the declared size
//     afterwards ("section size mismatch"); lengths and counts may not exceed
//     the bytes left in the module ("length out of bounds"). This bounds every
//     allocation by the size of the input: a hostile count cannot reserve
//     memory the input does not back.
//   - The returned module aliases bin (function bodies, constant
//     expressions, data and custom section payloads); the caller must not
//     modify bin afterwards.
package decoder
