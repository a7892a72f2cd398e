// Package difftest runs generated modules (package wasmgen) on kiln and on
// reference engines and compares what they observe.
//
// Its tests are:
//   - FuzzEngine: kiln alone. Nothing may panic; a valid module compiles
//     and instantiates; every call ends in results of the right types, a
//     trap or fuel exhaustion; two instances of one compiled module
//     (called through Func.CallValues and through raw Func.Call) observe
//     the same; a run with fuel agrees with one without up to the first
//     call that runs out of fuel.
//   - TestDifferentialWabt: kiln (with and without fuel) against wabt's
//     reference interpreter wasm-interp, skipped when it is not installed.
//   - TestDifferentialV8: kiln against V8 (Node.js), a second, independent
//     reference, skipped when node is not installed.
//   - TestDifferentialJIT and FuzzJIT (jit_test.go, built with -tags
//     kilnjit): kiln's JIT (EngineJIT) against its interpreter. Here the
//     engines must agree exactly, call by call: results, trap code and
//     message, the fuel each call consumed (from a FuelTank, with and
//     without a per-call limit that stops calls midway) and the exported
//     memory, tables and globals after each call (RunOptions.Detail,
//     wasmgen.Config.ExportState). Most modules keep to what the JIT
//     compiles (no SIMD, references or bulk memory, often single-result
//     functions), and the test reports how many functions the JIT
//     compiled and how many it left to the interpreter.
//
// Observations are reduced to Outcome values: one line per export call
// with its results as exact text (integers in unsigned decimal, v128 as
// four hexadecimal i32 lanes, as wasm-interp prints them) or the kind of
// trap, so that they compare as strings. Generated modules return floats
// as their bits and replace arithmetic NaNs by the canonical NaN (the
// specification lets engines differ there: wabt canonicalises NaN
// results, kiln keeps the payload and sets the quiet bit), so any other
// difference is a bug on one side. Fuel exhaustion and call-stack
// exhaustion are the engine's choice: comparison of a module stops there.
// Known disagreements that are not kiln bugs are listed with a reason in
// testdata/expectations.txt; a disagreeing input is shrunk and saved to
// the temporary directory for investigation.
package difftest
