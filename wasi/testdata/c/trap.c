// trap: calls through a few named functions into abort(), which wasi-libc
// implements as a wasm trap (unreachable), to show the wasm backtrace.
#include <stdio.h>
#include <stdlib.h>

__attribute__((noinline)) static void innermost(int depth) {
	if (depth == 0)
		abort();
	innermost(depth - 1);
}

__attribute__((noinline)) void trap_here(void) {
	innermost(2);
}

int main(void) {
	printf("about to trap\n");
	fflush(stdout);
	trap_here();
	return 0;
}
