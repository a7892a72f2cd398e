/* fibdeep: Fibonacci by linear recursion 1000 frames deep (each frame
 * returns the pair (fib(n), fib(n-1)) packed in an i64); measures call and
 * return cost at a stack depth where frames no longer stay in a small
 * window. run(n) makes n descents of 937 to 1000 frames. */
#include "common.h"

#define DEPTH 1000u

__attribute__((noinline)) static u64 fibpair(u32 n) {
	if (n == 0)
		return 1; /* fib(0) = 0 in the high half, fib(-1) = 1 in the low */
	u64 p = fibpair(n - 1);
	u32 a = (u32)(p >> 32), b = (u32)p;
	return ((u64)(a + b) << 32) | a;
}

u64 run(u32 n) {
	u64 acc = 0;
	for (u32 r = 0; r < n; r++)
		acc = acc * 31u + fibpair(DEPTH - (r & 63u));
	return acc;
}
