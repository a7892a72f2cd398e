// hello: greets on stdout and stderr and exits with the status given as
// its first argument (0 without one).
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv) {
	printf("hello, world\n");
	fprintf(stderr, "hello, stderr\n");
	return argc > 1 ? atoi(argv[1]) : 0;
}
