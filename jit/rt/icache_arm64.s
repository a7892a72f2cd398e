//go:build unix

#include "textflag.h"

// func ctrEL0() uint64
TEXT ·ctrEL0(SB), NOSPLIT|NOFRAME, $0-8
	MRS	CTR_EL0, R0
	MOVD	R0, ret+0(FP)
	RET

// func syncICache(start, end uintptr, ctr uint64)
// Data side: DC CVAU on every D-line of [start, end) unless CTR_EL0.IDC,
// then DSB ISH so the cleaned data reaches the point of unification.
// Instruction side: IC IVAU on every I-line unless CTR_EL0.DIC, DSB ISH
// so the invalidation completes on every core, then ISB so this core
// fetches again.
TEXT ·syncICache(SB), NOSPLIT|NOFRAME, $0-24
	MOVD	start+0(FP), R0
	MOVD	end+8(FP), R1
	MOVD	ctr+16(FP), R2
	TBNZ	$28, R2, dataDone   // IDC
	UBFX	$16, R2, $4, R3     // DminLine: log2 of the line in words
	MOVD	$4, R4
	LSL	R3, R4, R4          // line bytes
	SUB	$1, R4, R5
	BIC	R5, R0, R6          // first line
dataLoop:
	DC	CVAU, R6
	ADD	R4, R6, R6
	CMP	R1, R6
	BLO	dataLoop
dataDone:
	DSB	$11                 // ISH
	TBNZ	$29, R2, instDone   // DIC
	AND	$15, R2, R3         // IminLine
	MOVD	$4, R4
	LSL	R3, R4, R4
	SUB	$1, R4, R5
	BIC	R5, R0, R6
instLoop:
	WORD	$0xd50b7526         // IC IVAU, R6 (the assembler has no IVAU operand)
	ADD	R4, R6, R6
	CMP	R1, R6
	BLO	instLoop
	DSB	$11                 // ISH
instDone:
	ISB	$15
	RET
