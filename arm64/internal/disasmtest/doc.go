// Package disasmtest checks kiln's AArch64 encoder (package arm64) against
// independent references: the disassembler golang.org/x/arch/arm64/arm64asm
// for every form it knows, and LLVM's assembler (llvm-mc, through the
// golden file testdata/llvm.txt) for the few it does not (the LSE
// atomics, LDAPR, half-precision arithmetic, FJCVTZS, UDF). It is its own
// module so that x/arch never enters kiln's go.mod; .ci/run runs its
// tests.
package disasmtest
