#include "textflag.h"
#include "go_asm.h"

// func CallLeaf(fn uintptr, a0, a1 uint64) uint64
// ABI0: arguments and result on the stack. The callee may clobber the
// general and vector registers except RSP, RBP, R14 (Go's g) and X15
// (Go's zero register), which it must leave unchanged.
TEXT ·CallLeaf(SB), NOSPLIT, $0-32
	MOVQ fn+0(FP), AX
	MOVQ a0+8(FP), DI
	MOVQ a1+16(FP), SI
	CALL AX
	MOVQ AX, ret+24(FP)
	RET

// func enter(fn uintptr, ctx *Ctx, sp uintptr)
// Machine code keeps R15 (the Ctx) and returns with SP at ctx.entrySP+8.
// It may clobber every other register; Go's BP, g (R14) and zero
// register (X15) are restored here.
TEXT ·enter(SB), NOSPLIT, $0-24
	MOVQ fn+0(FP), AX
	MOVQ ctx+8(FP), R15
	MOVQ sp+16(FP), DX
	MOVQ SP, Ctx_goSP(R15)
	MOVQ BP, Ctx_goBP(R15)
	MOVQ R14, Ctx_goG(R15)
	MOVQ Ctx_MemBase(R15), R14
	LEAQ -8(DX), CX
	MOVQ CX, Ctx_entrySP(R15)
	MOVQ DX, SP
	XORQ BP, BP
	// Poison the registers machine code may hold values in, so that a
	// value not saved across an exit fails every time, not by chance.
	MOVQ $0x5ee5a1ed5ee5a1ed, BX
	MOVQ BX, SI
	MOVQ BX, DI
	MOVQ BX, R8
	MOVQ BX, R9
	MOVQ BX, R10
	MOVQ BX, R11
	MOVQ BX, R12
	MOVQ BX, R13
	MOVQ BX, X0
	MOVQ BX, X1
	MOVQ BX, X2
	MOVQ BX, X3
	MOVQ BX, X4
	MOVQ BX, X5
	MOVQ BX, X6
	MOVQ BX, X7
	MOVQ BX, X8
	MOVQ BX, X9
	MOVQ BX, X10
	MOVQ BX, X11
	MOVQ BX, X12
	MOVQ BX, X13
	CALL AX
	MOVQ Ctx_goSP(R15), SP
	MOVQ Ctx_goBP(R15), BP
	MOVQ Ctx_goG(R15), R14
	XORPS X15, X15
	RET
