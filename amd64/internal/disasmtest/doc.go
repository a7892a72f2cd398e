// Package disasmtest checks kiln's x86-64 encoder against an independent
// disassembler, golang.org/x/arch/x86/x86asm. It is its own module so that
// x/arch never enters kiln's go.mod; .ci/run runs its tests.
package disasmtest
