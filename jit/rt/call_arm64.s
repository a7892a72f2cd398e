//go:build unix

#include "textflag.h"
#include "go_asm.h"

// Register use, by Go's arm64 ABI (cmd/compile/abi-internal.md): a Go
// assembly (ABI0) function may clobber every register but RSP, X18 (the
// platform register, never used), X28 (g), X29 (the frame pointer) and
// X30 (its return address, which the assembler saves in the frame it
// makes for a function with a CALL and reloads, with X29, on RET); the
// flags and FPSR are scratch, FPCR must keep Go's setting. So both
// functions below restore RSP, X28 and X29 and nothing else.

// func CallLeaf(fn uintptr, a0, a1 uint64) uint64
// The callee may clobber any register but RSP, X18, X28 and X29 and must
// not use the stack (it runs on the goroutine's, with no frame check).
TEXT ·CallLeaf(SB), NOSPLIT, $0-32
	MOVD	fn+0(FP), R17
	MOVD	a0+8(FP), R0
	MOVD	a1+16(FP), R1
	CALL	(R17)
	MOVD	R0, ret+24(FP)
	RET

// func enter(fn uintptr, ctx *Ctx, sp uintptr)
// Machine code keeps X26 (the Ctx) and never writes X18 or X28: Go's
// signal handler reads g from X28, and a signal can land at any
// instruction. It may clobber every other register; RSP, X29 and X28
// are restored here from the Ctx.
TEXT ·enter(SB), NOSPLIT, $0-24
	MOVD	fn+0(FP), R17
	MOVD	ctx+8(FP), R26
	MOVD	sp+16(FP), R1
	MOVD	RSP, R2
	MOVD	R2, Ctx_goSP(R26)
	MOVD	R29, Ctx_goBP(R26)
	MOVD	g, Ctx_goG(R26)
	MOVD	Ctx_MemBase(R26), R25
	SUB	$16, R1, R1
	MOVD	R1, Ctx_entrySP(R26)
	// The frame record {X29 = 0: the end of the frame chain, X30 = back}
	// the exit stub returns through, at the bottom of the argument area.
	ADR	back, R2
	STP	(ZR, R2), (R1)
	MOVD	R1, RSP
	MOVD	ZR, R29
	// The code may have been written by another core: discard any
	// instruction this one fetched before (syncInstructionCache).
	ISB	$15
	// Poison the registers machine code may hold values in, so that a
	// value not saved across an exit fails every time, not by chance.
	MOVD	$0x5ee5a1ed5ee5a1ed, R0
	MOVD	R0, R1
	MOVD	R0, R2
	MOVD	R0, R3
	MOVD	R0, R4
	MOVD	R0, R5
	MOVD	R0, R6
	MOVD	R0, R7
	MOVD	R0, R8
	MOVD	R0, R9
	MOVD	R0, R10
	MOVD	R0, R11
	MOVD	R0, R12
	MOVD	R0, R13
	MOVD	R0, R14
	MOVD	R0, R15
	MOVD	R0, R16
	MOVD	R0, R19
	MOVD	R0, R20
	MOVD	R0, R21
	MOVD	R0, R22
	MOVD	R0, R23
	MOVD	R0, R24
	MOVD	R0, R27
	VDUP	R0, V0.D2
	VDUP	R0, V1.D2
	VDUP	R0, V2.D2
	VDUP	R0, V3.D2
	VDUP	R0, V4.D2
	VDUP	R0, V5.D2
	VDUP	R0, V6.D2
	VDUP	R0, V7.D2
	VDUP	R0, V8.D2
	VDUP	R0, V9.D2
	VDUP	R0, V10.D2
	VDUP	R0, V11.D2
	VDUP	R0, V12.D2
	VDUP	R0, V13.D2
	VDUP	R0, V14.D2
	VDUP	R0, V15.D2
	VDUP	R0, V16.D2
	VDUP	R0, V17.D2
	VDUP	R0, V18.D2
	VDUP	R0, V19.D2
	VDUP	R0, V20.D2
	VDUP	R0, V21.D2
	VDUP	R0, V22.D2
	VDUP	R0, V23.D2
	VDUP	R0, V24.D2
	VDUP	R0, V25.D2
	VDUP	R0, V26.D2
	VDUP	R0, V27.D2
	VDUP	R0, V28.D2
	VDUP	R0, V29.D2
	VDUP	R0, V30.D2
	VDUP	R0, V31.D2
	CALL	(R17)
back:
	MOVD	Ctx_goSP(R26), R1
	MOVD	R1, RSP
	MOVD	Ctx_goBP(R26), R29
	MOVD	Ctx_goG(R26), g
	RET
