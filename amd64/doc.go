// Package amd64 is kiln's x86-64 machine-code encoder: the bottom layer of
// the JIT's amd64 back end. It knows instruction encodings, not WebAssembly.
//
// The instruction set is a table (ops.go, ops_simd.go). Each Op has rows
// written in the notation of Intel's opcode tables plus two columns of our
// own, parsed once at start-up (spec.go):
//
//	ADD:   "v MI rm,i8 83 /0 ib"              add r/m16/32/64, imm8
//	SHLX:  "dq RMV r,rm,r VEX.LZ.66.0F38 F7 /r"
//	PADDB: "x RM x,xm 66 0F FC /r"
//
// Adding an instruction is adding a row. The assembler (Assembler.Inst and
// the typed methods RR, RM, MR, RI, VVV, ...) picks the first row that
// accepts the operands and width, so rows are listed shortest first.
//
// Invariants:
//   - Every row is checked against an independent disassembler
//     (golang.org/x/arch/x86/x86asm) over all registers, including the
//     ModRM/SIB special cases (RSP/R12 as base need a SIB, RBP/R13 as base
//     need a displacement, RSP is never an index, byte registers 4-7 need
//     REX), and over memory shapes. That test is its own module,
//     internal/disasmtest, so x/arch stays out of kiln's go.mod.
//   - Errors never panic: a bad instruction records the first error, which
//     Finish returns.
//   - An Assembler is created for a feature set (Features); an instruction
//     needing anything else is an error, and Used reports what the code
//     needs so a compiled module can record it and refuse to run on a CPU
//     without it (Check, CheckHost). Baseline is x86-64-v2; Detect reads
//     the host with github.com/klauspost/cpuid/v2.
//   - Branches to labels are resolved by Finish, which shortens jumps to
//     their 2-byte forms whenever the final layout allows (iterating to a
//     fixed point, since shrinking code only brings targets closer).
//     Offsets are final only after Finish: take positions with labels.
//     Label bookkeeping (binding, positions, moving them after
//     relaxation) and ExternRef are internal/asmlabel's, shared with
//     arm64; what a reference encodes is this package's.
package amd64
