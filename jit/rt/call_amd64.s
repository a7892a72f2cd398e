#include "textflag.h"

// func CallLeaf(fn uintptr, a0, a1 uint64) uint64
// ABI0: arguments and result on the stack. The callee may clobber every
// register Go does not reserve (the ABI wrapper restores R14 and X15);
// it must keep RSP and RBP.
TEXT ·CallLeaf(SB), NOSPLIT, $0-32
	MOVQ fn+0(FP), AX
	MOVQ a0+8(FP), DI
	MOVQ a1+16(FP), SI
	CALL AX
	MOVQ AX, ret+24(FP)
	RET
