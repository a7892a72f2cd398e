// Package rt is the JIT's runtime contract with machine code. Today it
// holds the executable-memory helper and a leaf-call trampoline; the entry
// trampoline proper (switching to the wasm stack, exit codes for traps,
// host calls, memory.grow and interruption) comes with the engine.
//
// Invariants:
//   - Code memory is never writable and executable at once (W^X): Map
//     maps pages read-write, copies the code, then makes them read-execute
//     before returning. Code is immutable afterwards; Close unmaps it.
//   - Machine code is entered only through assembly trampolines; it never
//     calls Go and never stores Go pointers. CallLeaf (amd64) is for leaf
//     code that follows the System V convention for two integer arguments,
//     keeps RSP, RBP, R14 and X15 (Go's g and zero registers), and uses no
//     stack beyond its return address: it
//     runs on the goroutine stack inside a NOSPLIT frame, where the
//     runtime guarantees a small red zone, and cannot be preempted, so it
//     must be short. Real compiled functions will run on their own stack.
//   - On arm64 the instruction cache must be made coherent before new code
//     runs; that is not written yet, so Map's code is run only on amd64.
package rt
