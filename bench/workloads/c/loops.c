/* loops: three nested counted loops with integer arithmetic in the body;
 * measures branch, compare and add/mul/xor dispatch. The body mixes values
 * nonlinearly so the compiler cannot replace the loops by a closed form. */
#include "common.h"

u32 run(u32 n) {
	u32 acc = 1;
	for (u32 i = 0; i < n; i++)
		for (u32 j = 0; j < n; j++)
			for (u32 k = 0; k < 16; k++) {
				acc = acc * 31u + (i ^ j) + k;
				acc ^= acc >> 7;
			}
	return acc;
}
