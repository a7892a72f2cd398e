// Package regalloc is the instruction-set-independent half of the JIT's
// code generators (jit/codegen for amd64, jit/arm64gen for arm64): it
// numbers a function's program points, computes liveness and one
// interval per value, numbers the dominator tree (for loop back-edges),
// assigns every value a location by linear scan, finds the values a call
// or exit must save, and orders an edge's parallel moves.
//
// Program points (Layout): blocks in reverse postorder; a block's start
// (where its parameters are defined), two points per instruction, and its
// end (where the terminator reads its operands and edge arguments). An
// instruction's operands end at the instruction; only the terminator's
// are read at the block's end.
//
// Allocation (Allocate): an ISA gives its allocatable general and vector
// registers (register numbers in its own encoding), and per instruction
// the general registers its lowering writes as scratch (Intervals'
// clobbers): a value live at such an instruction never gets one of them.
// When registers run out, the value whose interval ends last is spilled
// for its whole lifetime. Options: constants rematerialised at their uses
// (LocImm), and the hand-off of a first operand's register to an
// operation computing in place over it when the operand's last use is
// that operation.
//
// Floats and v128 live in vector registers (IsVec); a v128 slot is 16
// bytes aligned to 16 (VecSlot), which assumes the stack pointer is
// 16-aligned inside a frame (true of both back ends).
package regalloc
