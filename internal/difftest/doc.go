// Package difftest runs generated modules (package wasmgen) on kiln and on
// reference engines and compares what they observe.
//
// Its tests are the fuzz target FuzzEngine (kiln alone: no panics, only
// values, traps or fuel exhaustion, and the same results from two
// instances of the same module) and TestDifferentialWabt (kiln against
// wabt's reference interpreter wasm-interp, skipped when it is not
// installed).
//
// Both engines' observations are reduced to Outcome values: one line per
// export call with its results as exact text (integers in unsigned
// decimal, v128 as four hexadecimal i32 lanes, as wasm-interp prints them)
// or the kind of trap, so that they compare as strings. Known
// disagreements that are not kiln bugs are listed with a reason in
// testdata/expectations.txt.
package difftest
