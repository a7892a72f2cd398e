// Package wasmgen generates random but valid WebAssembly 2.0 modules from a
// byte string, for fuzzing (go test -fuzz) and differential testing of
// kiln's decoder, validator and execution engine.
//
// Invariants:
//   - Every output is a valid module under wasm.Features2 for every input;
//     the input only steers choices, and an exhausted input steers towards
//     the smallest choices, so short inputs give small modules.
//   - Generation is deterministic: the same input and Config give the same
//     bytes.
//   - Execution terminates: every function entry and loop header
//     decrements a budget global and, when it is spent, returns zero
//     values from the function, so every call ends after a bounded amount
//     of work, independently of the engine; the budget also bounds the
//     call depth. Exported wrappers reset the budget.
//   - With Config.CanonicalNaNs, every float operation whose NaN result is
//     nondeterministic by the specification is followed by code that
//     replaces an arithmetic NaN (quiet bit set; any sign and payload) with
//     the canonical positive NaN, so that all observable results of
//     conforming engines are equal bit for bit. A NaN with a clear quiet
//     bit, which no arithmetic instruction may produce, is left alone and
//     shows up as a difference.
//
// The binary encoder is the package's own (it does not use package wast),
// so generated modules cross-check the decoder and validator as well. It
// sometimes writes LEB128 numbers in their longest valid form.
package wasmgen
