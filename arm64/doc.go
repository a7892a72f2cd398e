// Package arm64 is kiln's AArch64 machine-code encoder: the bottom layer of
// the JIT's arm64 back end. It knows instruction encodings, not
// WebAssembly, and is pure Go: it produces bytes on any GOARCH.
//
// Every A64 instruction is one 32-bit word, so the encoder is organised by
// encoding class rather than by a parsed table as amd64's is: a class
// (add/subtract immediate, logical shifted register, load/store pair,
// FP data-processing 2-source, NEON three-same, ...) is one method, and
// the instructions that share it are rows of a small table of the bits
// that tell them apart (opRow). Aliases the Arm ARM defines (MOV, CMP,
// TST, LSL #n, UXTB, CSET, ...) are methods over their base instruction.
//
// Invariants:
//   - Every form is checked over many operand combinations (each register
//     slot with ZR or SP, immediates at the edges of their range, every
//     condition and extend) against an independent disassembler,
//     golang.org/x/arch/arm64/arm64asm, and the few forms it does not know
//     (LSE atomics, LDAPR, half precision, FJCVTZS, UDF) against LLVM's
//     assembler through a golden file. That test is its own module, internal/disasmtest, so
//     x/arch stays out of kiln's go.mod.
//   - Register number 31 is the zero register in some slots and the stack
//     pointer in others; Reg has distinct ZR and RSP values and every slot
//     refuses the one it cannot encode, so the two are never confused.
//   - Errors never panic: a bad instruction (unencodable immediate, wrong
//     register kind, out-of-range field) records the first error, later
//     instructions are ignored, and Finish returns it with context.
//   - An Assembler is created for a feature set (Features); an instruction
//     needing more is an error, and Used reports what the code needs so a
//     compiled module can record it and refuse to run on a CPU without it
//     (Check, CheckHost). Baseline is ARMv8.0-A (no LSE: atomics are
//     exclusive-pair loops); Detect reads the host with
//     github.com/klauspost/cpuid/v2.
//   - Label references are resolved by Finish, each in the shortest form
//     that reaches, iterating to a fixed point (lengthening one only moves
//     targets further): the instruction itself (B and BL ±128 MiB, B.cond,
//     CBZ/CBNZ, ADR and LDR literal ±1 MiB, TBZ/TBNZ ±32 KiB); for a
//     conditional branch, the opposite test skipping a B; and the far
//     form (below), ±2 GiB. Beyond that Finish fails with ErrBranchRange,
//     never wrong code.
//     Offsets are final only after Finish: take positions with labels.
//     Label bookkeeping and ExternRef are internal/asmlabel's, shared with
//     amd64.
//   - X16 and X17 (IP0, IP1: the registers the AAPCS64 gives linker
//     veneers) belong to the assembler at every label reference and
//     external call: code must hold nothing in them across a B, BL,
//     B.cond, CBZ/CBNZ, TBZ/TBNZ, ADR or LDR literal, nor across a call
//     Link may send through a veneer. jit/rt's convention agrees: X26 is
//     the Ctx and X25 the memory base for the whole run, and X16/X17 are
//     scratch its trampoline poisons.
//   - Separately assembled blocks are joined by Link, which patches each
//     CallExtern's BL to its target, or where that is beyond ±128 MiB to a
//     veneer (the far form of B) placed after the calling block.
//
// The far form of a reference d bytes from its first word:
//
//	ADR  X17, .                   // the sequence's own address
//	MOVZ X16, #d[15:0]
//	MOVK X16, #d[31:16], LSL #16
//	ADD  X16, X17, W16, SXTW      // ADR: into its rd, and nothing follows
//	BR X16 | BLR X16 | LDR rt, [X16]
//
// A conditional branch's far form is the opposite test skipping it.
//
// Adding a form: add its row to the class's table (or a method for a new
// class, using rz/rsp/vr for the register slots and failf for errors),
// then add its operand combinations and the text arm64asm prints for them
// to internal/disasmtest, and run that module's tests.
package arm64
