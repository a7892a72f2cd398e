// divide: run without arguments, it divides by argc - 1 = 0 and traps
// (integer divide by zero) two calls deep, at a known line, so that the
// tests can check source positions in trap backtraces.
#include <stdio.h>

__attribute__((noinline)) static int divide(int a, int b) {
	return a / b;
}

__attribute__((noinline)) int average(int total, int count) {
	return divide(total, count);
}

int main(int argc, char **argv) {
	(void)argv;
	printf("%d\n", average(10, argc - 1));
	return 0;
}
