/* fib: naive doubly-recursive Fibonacci; measures call/return cost. */
#include "common.h"

__attribute__((noinline)) static u32 fib(u32 n) {
	if (n < 2)
		return n;
	return fib(n - 1) + fib(n - 2);
}

u32 run(u32 n) { return fib(n); }
