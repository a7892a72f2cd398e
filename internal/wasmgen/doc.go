// Package wasmgen generates random but valid WebAssembly 2.0 modules from a
// byte string, for fuzzing (go test -fuzz) and differential testing of
// kiln's decoder, validator and execution engine.
//
// A module has several functions with random signatures over i32, i64,
// f32, f64, v128, funcref and externref (sometimes long ones, sometimes
// with hundreds of locals), bodies generated as typed expression trees:
// every WebAssembly 2.0 instruction (the numeric, conversion, SIMD and
// memory ones from wasm.OpInfos), block/loop/if with empty, single and
// multi-value block types, br/br_if/br_table/return into any label, calls
// and call_indirect through a funcref table, loads and stores with random
// alignments and offsets (mostly in bounds, some at and past the end),
// bulk memory and table instructions, globals, a start function, passive
// and active data and element segments in every encoding, and optionally
// host imports. Some shapes are there to break register-machine
// translators: locals written while a read of them is pending, stores to
// local+constant addresses, scaled-index addresses, deep label stacks and
// tall operand stacks.
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
