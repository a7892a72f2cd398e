// Package front is the JIT's front end: a validator.FuncVisitor that
// builds a function's ir.Func while the validator type-checks it, so
// kiln keeps one type checker and one pass over the bytes.
//
// The operand stack is a stack of SSA values; control frames map to
// blocks (a loop's header, a continuation whose parameters are the
// frame's results); locals become SSA values by the algorithm of Braun et
// al. with block parameters (ssa.go). Code the validator marks
// unreachable is skipped.
//
// Coverage: integer, float and control instructions (multi-value blocks
// included), locals, globals, direct calls and call_indirect (32-bit
// tables, any table), with any number of results (ir.OpCallResult per
// result after a call with several), loads, stores, memory.size,
// memory.grow, memory.fill, memory.copy and memory.init of a 32-bit
// memory 0, data.drop, the table instructions on 32-bit tables,
// elem.drop and the 2.0 reference instructions (runtime.go), and every
// SIMD instruction (simd.go: v128.const as a make of two i64 constants,
// the SIMD loads and stores, and one table-driven OpSIMD per other
// instruction, relaxed SIMD included). References
// of every type are i64 handles in the IR (irType): ref.null is the
// constant 0 and ref.is_null is eqz. Anything else (64-bit
// memories and tables, the other 3.0 proposals) makes the function
// unsupported: Err wraps ErrUnsupported and validation is not affected,
// so the engine runs that function in the interpreter and counts it.
//
// Invariant: every function built verifies (ir.Verify); the tests check
// it on every function of the 2.0 suite and of random modules.
package front
