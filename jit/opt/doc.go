// Package opt holds the JIT's optimisation passes over ir.Func. Each pass
// keeps the IR valid (ir.Verify passes after it) and preserves its
// meaning under ir.Run, the IR's reference semantics; the tests check
// both on every function of the WebAssembly 2.0 test suite that the front
// end builds, against the suite's own expected results.
//
// Passes: RemoveUnreachableBlocks, RemoveRedundantParams (trivial block
// parameters left by SSA construction), Fold (constant folding, algebraic
// identities, branches on constants), DeadCode and MergeBlocks (a jump
// to a block with no other predecessor joins the two). Run applies them
// in order. Later: global value numbering, loop-invariant code motion and
// bounds-check elimination.
package opt
