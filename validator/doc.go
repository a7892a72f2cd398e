// Package validator implements WebAssembly validation: the module-level rules
// (index spaces, limits, constant expressions, exports, start function,
// element and data segments) and the type checker for function bodies of
// the specification's appendix ("Validation Algorithm"), with an operand
// stack whose entries may be Unknown and control frames that become
// stack-polymorphic after an unconditional branch.
//
// The type checker drives a FuncVisitor, so that an engine translates a
// function in the same single pass that checks it and never needs a type
// checker of its own: for every instruction the visitor sees the operand
// stack height, the types popped and pushed, resolved block and callee
// types and the control frames a branch may target.
//
// Scope: all of WebAssembly 2.0 (wasm.Features2) and, behind their feature
// flags, the proposals of WebAssembly 3.0 and the threads proposal: tail
// calls, extended constant expressions, multi-memory, memory64 and table64,
// typed function references (subtyping, non-nullable locals and their
// initialisation, table initialisers), exception handling (tags, throw,
// throw_ref, try_table, and the legacy try/catch/delegate/rethrow), GC
// (recursion groups, declared supertypes and structural subtyping, struct,
// array, i31, casts, iso-recursive type equivalence), relaxed SIMD and
// atomic memory accesses. CanonicalTypes gives engines module-independent
// keys for type equivalence. Instructions the opcode table does not define
// are rejected by the decoder before they get here.
//
// Invariants:
//   - Instructions are decoded only by package decoder (InstrReader); this
//     package never parses instruction bytes itself.
//   - Every error wraps wasm.ErrInvalid (or wasm.ErrMalformed for the few
//     binary-format rules that can only be checked while reading bodies,
//     such as the data count section requirement) and its text contains
//     the wording of the official test suite's assert_invalid messages.
//   - Validating a function allocates nothing per instruction once its
//     stacks have grown: the State, its In/Out slices and the control and
//     operand stacks are reused across instructions and functions.
//   - The module is never modified.
package validator
