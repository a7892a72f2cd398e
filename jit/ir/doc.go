// Package ir is the JIT's machine-independent intermediate representation:
// functions in SSA form over the WebAssembly value types (i32, i64, f32,
// f64, v128).
//
// A Func is a list of Blocks; Blocks[0] is the entry and its parameters are
// the function's. A Block has parameters (instead of phi instructions:
// each edge passes values to its target's parameters), instructions
// (Values, in order) and one terminator (jump, two-way branch, br_table,
// return or trap). Every instruction is a *Value, including those without
// a result (Type None), so passes have one thing to walk.
//
// Invariants, checked by Verify (every pass's tests run it):
//   - every block ends in a terminator; edges pass exactly the target's
//     parameter types; the entry is never a branch target;
//   - operations have their argument count and types (integer operations
//     on one of i32/i64, float operations on one of f32/f64, comparisons
//     yield i32, conversions between the types they name, calls match
//     their Signature);
//   - in reachable blocks, every use is dominated by its definition.
//     Unreachable blocks are allowed (dead-code removal drops them).
//
// Memory 0 is reached by OpLoad and OpStore (Aux packs the static
// offset, access size and sign extension: MemAux, Value.Access),
// OpMemorySize and OpMemoryGrow; Run gives them their semantics when its
// Env is also a MemoryEnv (ErrNoMemory otherwise).
//
// SIMD (op_simd.go): OpV128Make builds a v128 from two i64 halves,
// OpSIMD stands for any v128 instruction of fixed signature (the wasm
// opcode and lane in Aux, the signature from wasm's table), OpSIMDLoad
// and OpSIMDStore are the SIMD memory accesses. Run keeps a v128's high
// half beside its low one and evaluates them through internal/simdops
// (the interpreter's tables of internal/numeric functions); in argument
// and result lists a v128 takes two slots, low half first (SlotCount).
//
// EvalOp gives every numeric operation its WebAssembly semantics
// (internal/numeric, as the interpreter), for constant folding and for
// Run. Operations that write state, call, or may trap report HasEffect: they
// are kept even when their result is unused and are not reordered with
// each other. ComputeCFG derives reverse postorder, predecessors and the
// dominator tree. Func.String prints a stable text form used by tests.
package ir
