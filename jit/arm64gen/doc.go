// Package arm64gen lowers the JIT's IR (jit/ir) to AArch64 machine code
// that follows the arm64 runtime contract of jit/rt, with the encoder of
// package arm64. It is jit/codegen's twin for arm64: the same liveness,
// intervals, linear-scan allocation, save slots and parallel moves
// (jit/regalloc), the same exits, Ctx offsets, trap codes and return
// sites (rt.Site), so jit/jitengine runs either.
//
// Registers: X26 holds the *rt.Ctx and X25 Ctx.MemBase for the whole
// run (pinned by rt's trampoline); X18 and X28 are never touched (the
// platform register and Go's g), nor X29 (the frame-pointer chain ends at
// the trampoline's 0; code only saves and restores it). The allocator
// hands out 21 general registers (X0-X13, X19-X24, X27) and 30 vector
// registers (V0-V29); X16 and X17 are scratch for results and operands,
// X15 for effective addresses and third operands, X14 for slot addresses
// beyond the immediate offsets, large constants and Ctx.MemLen; V30 and
// V31 are vector scratch. No instruction clobbers an allocatable
// register, so no value avoids one (regalloc.Intervals without
// clobbers). Every integer constant is rematerialised (MOVZ/MOVN/MOVK or
// an immediate operand); operations of one instruction take the register
// of a first operand whose last use they are.
//
// Frame (SP 16-aligned after the prologue): [SP, SP+16) is where a
// callee stores its return record, the outgoing argument/result slots
// start at SP+16, then spill and save slots; the function's own record
// {X29, X30} is at [SP+frame] and its incoming slots start at
// [SP+frame+16]. This is rt's entry state: the trampoline enters with SP
// at its own record and slot i at [SP+16+8i].
//
// Calling convention between compiled functions: the caller stores the
// arguments in its outgoing slots and branches with BL (or BLR to an
// entry Go resolved, or read from CompileLinked's table); the callee
// stores X29 and X30 at [SP] first, checks its stack, makes its frame
// and returns its results in the same slots (LDP X29, X30; RET). Every
// register is caller-saved: values live across a call or an exit are
// stored to their save slots and reloaded.
//
// Prologue: the record is stored before anything can branch (a trap
// site's BL overwrites X30), then SP - frame is compared with
// Ctx.StackLimit: below it the prologue exits with rt.ExitStack (Payload
// the frame's bytes; stackexit.go) for Go to lower the limit (machine
// stacks charged to a memory limiter grow in steps), checks again and
// traps "call stack exhausted" (both prologue sites); then the
// depth counted with Options.CountDepth (SUBS on Ctx.DepthLeft, trap
// when it borrows; the return gives it back), and one fuel unit charged:
// at every function entry and loop back-edge (an edge to a block that
// dominates its source), as the interpreter charges, with an exit
// (rt.ExitInterrupt, rt.ExitBudget) when Ctx.Interrupt is set or
// Ctx.Budget is zero.
//
// Exits and traps: the module's exit stub (BL) pushes {X29, X30}, saves
// SP in Ctx.resumeSP and returns to the trampoline; the resume stub pops
// the record and returns after the BL. A trap site calls its function's
// stub for the trap code out of line, which pushes the site's record and
// exits with rt.ExitTrap (Payload = code | function index << 32). Every
// BL and BLR is followed by a return address described by an rt.Site;
// sites.go says how Frame links the records, so jit/jitengine walks an
// arm64 stack with the same code as an amd64 one.
//
// WebAssembly semantics: division traps on zero and on MIN / -1 for
// div_s (SDIV itself never faults; the remainder by MSUB is 0 for rem_s
// MIN % -1); shift counts modulo the width (LSLV and friends); clz, ctz
// (RBIT, CLZ) and popcnt (CNT and ADDV on a vector register, the
// ARMv8.0 baseline having no scalar popcount); FMIN/FMAX are wasm's
// min/max (NaN propagation, -0 < +0); nearest is FRINTN; FCVTZS/FCVTZU
// saturate and give 0 for NaN, which is trunc_sat, and the trapping
// truncations compare with the bounds first; UCVTF converts unsigned
// integers directly. An i32 in a register has its upper half zero (W
// instructions clear it).
//
// Memory: address + offset (64-bit) + size, plus the extra bytes of a
// check jit/opt widened, is compared with Ctx.MemLen ("out of bounds
// memory access"; a failing widened check finds, out of line, the first
// access of its group that traps), and the access is [X25, address +
// offset]. An access proved in bounds has no compare. memory.size reads
// Ctx.MemLen; memory.grow exits with rt.ExitGrow. memory.fill and
// memory.copy are inline loops (bulk.go, as jit/codegen's): bulk fuel
// from Ctx.Budget first (exiting to Go, which refuels and executes the
// instruction, when the budget cannot pay), every range's bounds before
// any write, then 32-, 8- and 1-byte chunks with post-indexed addresses,
// a copy whose destination overlaps its source from above backwards
// (pre-indexed). memory.init, data.drop, the table instructions,
// elem.drop and ref.func exit to Go.
//
// call_indirect (indirect.go) looks the element up in the call index
// (Ctx.Tables, rt.IndexTables) as jit/codegen does, with the scratch
// registers only: an element in bounds whose view word has the expected
// canonical type ID and a non-zero entry is called with BLR; anything
// else exits with rt.ExitCallIndirect (Go resolves the element, produces
// the traps and records the entries it resolves) and calls the entry Go
// hands back. Views and type IDs beyond the scaled 12-bit load offsets
// are addressed through a register.
//
// SIMD (simd*.go): v128 values live in whole vector registers and
// 16-byte slots (two 8-byte argument/result slots, low half first). A
// function with a v128 gives V29 up as a third vector scratch, so an
// operation of several instructions computes into a register no operand
// holds. Lane operations are DUP/UMOV/SMOV/INS; comparisons CMEQ, CMGT,
// CMGE, CMHI, CMHS, FCMEQ, FCMGT, FCMGE (ne inverts eq); FMIN/FMAX are
// wasm's min/max, pmin/pmax a compare and BSL; shifts by a variable
// count take it modulo the lane width and shift with SSHL/USHL (negated
// for right shifts); swizzle is TBL (0 beyond the table, as wasm), a
// shuffle TBL on one operand (or on V30:V31 for both); narrowing
// SQXTN/SQXTUN, extending SXTL/UXTL (SSHLL/USHLL #0), extmul
// SMULL/UMULL, dot SMULL and ADDP,
// q15mulr_sat SQRDMULH; trunc_sat FCVTZS/FCVTZU (and SQXTN/UQXTN to the
// lower half for f64x2); i64x2.mul lane by lane in general registers;
// bitmasks sum each lane's weight across; any_true and all_true reduce
// with UMAXV/UMINV. Relaxed SIMD is lowered as internal/numeric defines
// it (the deterministic 2.0 operation, unfused madd). Check takes an
// OpSIMD only when the tables of simd_ops.go and simd_special.go lower
// it (every wasm SIMD operation, i8x16.shuffle with constant lanes).
package arm64gen
