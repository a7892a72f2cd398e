// Package codegen lowers the JIT's IR (jit/ir) to amd64 machine code
// that follows the runtime contract of jit/rt.
//
// Per function, with jit/regalloc (shared across back ends): liveness
// over the blocks (block parameters are defined at their block's start,
// edge arguments are used at the end of the block they leave), one
// interval per value covering every point where it is live (an
// instruction's operands end at the instruction; only the terminator's
// are read at the block's end), then linear-scan register allocation
// (alloc.go gives amd64's registers): nine general registers (RDX, RBX,
// RSI, RDI, R8-R10, R12, R13; RDX not for a value live at a division or an
// inline memory.fill/copy, which write it) and fourteen vector
// registers (X0-X13); a value that does not get one lives in a stack
// slot for its whole life. Integer constants that fit a 32-bit immediate
// get neither (locImm): instructions take them as immediates, and where a
// register or slot is needed they are loaded there, so a constant never
// holds a register across a loop. RAX, RCX, R11, X14 and X15 are scratch;
// R14 (memory base) and R15 (*rt.Ctx) are pinned. Instruction selection
// (isel.go, float.go) emits each IR operation from its operands'
// locations; edges become parallel moves into the target's parameters
// (move.go), with cycles broken through a scratch register.
//
// Calling convention between compiled functions: the caller stores the
// arguments in its outgoing slots at [RSP+8i] and calls; the callee finds
// them at [RSP+8+8i] and returns its results in the same slots. Every
// register is caller-saved: values live across a call (or an exit to Go)
// are stored to their save slots and reloaded. A call to a function that
// was not compiled exits to Go with rt.ExitCall (Payload = function
// index, Args = the slots) and resumes when Go has written the results
// (Payload 0), or calls the entry Go leaves in Payload: compiled code of
// the same instance compiled apart (a function tiered up later).
//
// Backtraces (sites.go): every call instruction (to a function, the
// exit stub or a trap stub) is followed by a return address that
// Module.Sites describes (function, wasm offset, frame size), so Go can
// walk a machine stack. A trap site calls its function's shared stub
// for the trap code out of line; a check widened by jit/opt fails to a
// stub that finds which access of its group traps first (precise.go).
// Values carry their wasm offset (ir.Value.Pos). With
// Options.CountDepth the prologue also takes one from Ctx.DepthLeft and
// the return gives it back (depth.go), for a call depth limit.
//
// Prologue: the frame's lowest address is checked against
// Ctx.StackLimit (below it an rt.ExitStack lets Go lower the limit, then
// a second check traps "call stack exhausted"), then one fuel unit is
// charged. Fuel: one unit at every function entry and every loop
// back-edge (an edge to a block that dominates its source), which is
// where and how much the interpreter charges (interp.Machine.check), so
// a function run natively or interpreted consumes the same fuel. When
// Ctx.Budget is zero the code exits with rt.ExitBudget before charging,
// and with rt.ExitInterrupt when Ctx.Interrupt is set; Go refuels or
// serves the interruption and resumes.
//
// WebAssembly semantics kept exactly: division traps (zero, and MIN/-1
// for div_s; rem_s of MIN by -1 is 0), shift counts modulo the width
// (the hardware's), fmin/fmax with NaN propagation and -0 < +0,
// truncation with its traps or saturation, unsigned conversions,
// nearest as round-half-even (ROUNDSS mode 0). The floor is x86-64-v2
// (Required): SSE4.1 and POPCNT are used without fallback; LZCNT and
// TZCNT when the target has them, BSR/BSF otherwise.
//
// Memory: loads and stores check address + offset + size (computed in
// 64 bits, so it cannot wrap) against Ctx.MemLen and trap "out of bounds
// memory access"; the access is relative to R14 (Ctx.MemBase). An
// access jit/opt proved in bounds (ir.Value.BoundsCheck) has no compare;
// a check it widened adds its extra bytes to the compared end.
// memory.size reads Ctx.MemLen; memory.grow exits with rt.ExitGrow.
//
// call_indirect first looks the element up in the instance's call index
// (Ctx.Tables, rt.IndexTables; indirect.go): in bounds, of the expected
// canonical type ID and with a known entry (compiled code of the same
// instance), it is called directly. Anything else exits with
// rt.ExitCallIndirect: Go resolves the element (bounds, null, type and
// subtype check, with the interpreter's traps) and either makes the call
// itself or, for compiled code of the same instance, returns its entry,
// which machine code then calls (and which the index records for the
// next call).
//
// Calls with several results leave them in the outgoing slots; the
// OpCallResult values right after the call move them out (runtime.go).
// Functions with several results return them in their incoming slots.
//
// memory.fill and memory.copy are inline (bulk.go): the bulk fuel is
// taken from Ctx.Budget (when it cannot pay, the instruction exits to Go,
// which refuels and executes it), every range is checked before any
// write, then the bytes move 32 at a time (SSE), then 8, then 1, a copy
// backwards when the destination overlaps the source from above.
// memory.init, data.drop, the table instructions, elem.drop and ref.func
// exit to Go with one exit code each (runtime.go, rt.ExitMemoryFill and
// after): the operands are stored in the outgoing slots, a result comes
// back in slot 0.
// References are i64 handles (see jit/rt): ref.null is 0, ref.is_null
// is eqz, select on references is select on integers.
//
// SIMD (simd.go, simd_special.go): v128 values live in vector registers
// or 16-byte slots aligned to 16 (so a spilled v128 can be an SSE memory
// operand); in argument and result slots a v128 takes two, low half
// first. Operations are table-driven: one SSE instruction (with operands
// reversed, an equality with the first operand for ge/le through
// min/max, or an inversion), one unary instruction, or a sequence of
// its own using only xTmp2 and two per-frame 16-byte temporary slots
// (constants, shift counts, a third operand) as scratch. Exact semantics: fmin/fmax run
// MINPS/MAXPS in both orders and merge (NaN, -0), trunc_sat saturates
// and maps NaN to 0, nearest is ROUNDPS mode 0, shift counts are taken
// modulo the lane width, i8x16 shifts go through word shifts, i64x2
// shr_s/abs/mul and the unsigned conversions have SSE4.1 sequences,
// unsigned comparisons use min/max and equality. Loads and stores are
// bounds-checked as scalar ones. Everything is SSE up to SSE4.2 (the
// x86-64-v2 floor).
//
// Globals: Ctx.Globals holds rt.GlobalWords words per global (a v128's
// low half first).
//
// Relaxed SIMD follows internal/numeric's deterministic choices
// (ir.SIMDAlias lowers those defined as a 2.0 operation as that one;
// madd/nmadd are unfused, the dot products signed), so both engines
// agree. Check reports ErrUnsupported (the function runs in the
// interpreter) for what the front end builds and the back end does not
// lower.
//
// Baseline (baseline.go, baseline_instr.go) is the package's second way
// in: a one-pass compiler from wasm (a validator.FuncVisitor) that
// keeps every value in a frame slot and lowers each instruction with
// the same gen.inst, for a compile several times cheaper than the IR
// pipeline's; its code is linked by the same Stream.
package codegen
