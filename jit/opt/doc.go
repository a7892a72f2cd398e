// Package opt holds the JIT's optimisation passes over ir.Func. Each pass
// keeps the IR valid (ir.Verify passes after it) and preserves its
// meaning under ir.Run, the IR's reference semantics: results, traps
// (where and with which message), global and memory writes before them,
// and the loop back-edges where the back end charges fuel. The tests
// check this on every function of the WebAssembly 2.0 test suite that the
// front end builds, against the suite's own expected results, on random
// modules (internal/wasmgen, memory included) before and after the passes,
// and pass by pass on small functions.
//
// Passes, in the order RunWith applies them: RemoveUnreachableBlocks,
// RemoveRedundantParams (trivial block parameters left by SSA
// construction), Fold (constant folding, algebraic identities, branches
// on constants), GVN (dominator-based value numbering of pure
// operations; loads and global reads are not numbered), HoistInvariants
// (loop-invariant code motion of operations that can neither trap nor
// have an effect, into a preheader per loop), DeadCode, MergeBlocks (a
// jump to a block with no other predecessor joins the two) and
// EliminateBoundsChecks (accesses proved in bounds by a constant address
// below the memory's minimum size or by a dominating check on the same
// address, and groups of accesses off one address in a block covered by
// one widened check; recorded in the access, see ir.Value.BoundsCheck).
// Config (ConfigFor a module) carries what the passes may assume about
// the module: memory 0's minimum size.
package opt
