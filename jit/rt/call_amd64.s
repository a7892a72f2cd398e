#include "textflag.h"

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
