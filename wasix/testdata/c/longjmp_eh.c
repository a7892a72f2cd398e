/* kiln:wasm-sjlj
 * setjmp/longjmp lowered by LLVM to exception handling (no runtime call
 * is involved: kiln only runs the throw and the catch): a longjmp from
 * five frames deep returns to setjmp with its value, and longjmp(env, 0)
 * makes setjmp return 1. */
#include <stdio.h>

#include "sjlj/setjmp.h"

static jmp_buf jb;
static volatile int depth_reached;

__attribute__((noinline)) static void dive(int depth, int val) {
	depth_reached = depth;
	if (depth == 5)
		longjmp(jb, val);
	dive(depth + 1, val);
	printf("never printed\n");
}

int main(void) {
	volatile int rounds = 0;
	int r = setjmp(jb);
	printf("setjmp returned %d, rounds %d, depth reached %d\n", r, rounds, depth_reached);
	if (rounds++ < 2)
		dive(1, rounds == 1 ? 7 : 0);
	printf("done after %d rounds\n", rounds);
	return 0;
}
