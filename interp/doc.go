// Package interp is kiln's register-based interpreter: a translator that the
// validator drives instruction by instruction (see validator.FuncVisitor)
// and an executor with one dense dispatch loop. It is an engine in the
// sense of package internal/engine (Engine, the interpreter's Compiler,
// Machine as its Executor); the stack limits, fuel, interruption word and
// sampling it uses are that package's, shared with other engines.
//
// Frame layout. Every function activation owns a window of the machine's
// slot stack: parameters first, then declared locals, then one slot per
// operand-stack position (a v128 takes two consecutive slots). Because
// validation fixes the operand-stack height at every instruction, each
// operand has a fixed slot and instructions name their operand and result
// slots directly. A parallel array of `any` holds reference values at the
// same slot indices, so references are always visible to the garbage
// collector; numeric slots are uint64 (i32 zero-extended, floats as bits).
// The reference array reaches only as far as the frames of functions
// that can hold references need (Code.refSlots: a parameter, local,
// result or operand of reference type, or exception handling; host calls
// and calls into other engines get both arrays): a deep recursion of
// numeric functions leaves nothing for the collector to scan.
//
// Translation. The translator keeps a virtual operand stack whose entries
// are either materialised slots, lazy references to a local, or lazy
// constants. local.get and constants therefore emit nothing; operations
// read locals in place and take constants as immediates; local.set and
// local.tee retarget the producing instruction's result slot instead of
// copying; compare-and-branch is fused. Lazy entries are materialised only
// where a value must be in its canonical slot: at control boundaries,
// before calls, and before a local they alias is overwritten. Dead code
// (after br, return, unreachable) emits nothing.
//
// Superinstructions (translate_fuse.go) were chosen from the instruction
// pairs executed on the bench workloads (bench/cmd/pairs counts them in a
// build with -tags kilnpairs; normal builds compile the counting away).
// One kind replaces a producer and its consumer (xor of a shifted value,
// rotate of a xor, multiply-add). The other rewrites only the first of two
// instructions into a form that also executes the second in the same
// dispatch (an increment and the compare-and-branch testing it, a copy or
// constant and the br after it): the second stays in place, so branch
// targets and jumps to it are unaffected. Stores of zero to a declared
// local that still holds its entry zero emit nothing.
//
// Calls. Arguments are already in the caller's top slots, which become the
// callee's parameter slots, and the callee leaves its results at the bottom
// of its frame, i.e. where the caller expects them: a call copies nothing.
// Calls do not recurse on the Go stack: frames are pushed on an explicit
// stack bounded in bytes (frame records and value slots) and optionally in
// depth (the "call stack exhausted" trap). Frame records hold no pointers
// (funcs.go): their function is an index into the Machine's table of the
// functions its Run has entered, which keeps each visible to the
// collector once; a direct-mapped cache finds the callee's index on the
// fast call path, and a miss takes the slow path. The fast call path
// only checks that the frame array has room (frameCap); growing it, and
// the slot stacks, happens on the slow path, which checks the budget and
// charges the growth to the Run's limiter. A Run started by a host
// function (found
// through the context it passes, or through store.Instance.InHost whatever
// context it passes) continues the accounting of the execution that called
// that host function, and such nesting is itself bounded (StackLimits).
// A callee compiled by another engine (its store.Function.Code is not a
// *Code) is called the same way, through the Machine's engine.Caller,
// which continues the accounting and spends this Run's fuel; the fast
// call path stays a direct type check for *Code.
//
// Addressing. The dispatch loop reaches slots through the frame's base
// address and instructions through an instruction pointer, without bounds
// checks: the translator only names slots below the function's frame size,
// a call only enters a frame that fits in the slot stack (growing it
// first), and every code ends with unreachable sentinels so the
// instruction pointer stays inside its array. Linear memory and tables are
// always bounds-checked explicitly; after the check, scalar loads and
// stores of memory 0 are plain word accesses on hosts that allow unaligned
// little-endian accesses (mem_unaligned.go), byte-wise elsewhere
// (mem_portable.go, also chosen by the build tag kiln_portablemem).
//
// Capture (capture.go, engine.Capturer): because frames are data, the Run
// waiting for a host function can be copied (Capture) and resumed on
// another Machine with its functions translated to another instance's
// (Resume: WASIX's native fork), or a frame recorded (Checkpoint) and
// returned to when a host function fails with an engine.Jump (longjmp).
// Only a Run entered from the embedder, calling the host function through
// a plain call (capFP), is captured. The dispatch loop learns of a Jump
// on the error path of a slow-path call only, so the hot path is
// unchanged.
//
// Traps leave the dispatch loop by returning a *store.Trap carrying a wasm
// backtrace. Interruption (fuel, context cancellation, sample requests)
// is checked at function entry and loop back-edges behind a single flag;
// the context is polled every pollQuantum checks (machine.go), not
// registered with per Run.
//
// Later proposals keep the WebAssembly 2.0 hot path unchanged:
//
//   - Memories other than a 32-bit memory 0 (multi-memory, memory64) use
//     one general access instruction, opMemX, whose side table entry
//     (Code.memOps) names the memory, the index type and the offset; its
//     effective address is computed in 64 bits with an overflow check.
//   - Tail calls (return_call*) move the arguments to the bottom of the
//     current frame and replace it: the frame stack does not grow.
//   - Atomic instructions (atomic.go) use sync/atomic on the memory bytes;
//     memory.atomic.wait/notify use per-address queues of the memory.
//   - Exceptions (exceptions.go) unwind through per-function handler
//     tables without Go recursion, across host calls too.
//   - GC objects (gc.go) are Go heap objects in reference slots; casts
//     walk the canonical types of package store.
//   - Relaxed SIMD makes the deterministic choices documented in
//     internal/numeric.
//
// Tiering (tier.go): a Code is an engine.Tiered; under EngineAuto with
// a JIT it counts calls (in Machine.call, which the fast call path
// leaves to a Code whose heat word is nonzero) and loop back-edges
// (edgeCheck), tells the Tierer when it is hot, and once promoted its
// calls go to the promoted code through the Caller, and its running
// frames continue there at their next back-edge to a loop the promoted
// code has an entry for (enterLoop, engine.LoopCaller).
package interp

//go:generate go run ./internal/opnamegen ops.go opnames.go
