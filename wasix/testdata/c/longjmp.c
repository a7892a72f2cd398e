/* kiln:asyncify
 * setjmp/longjmp through stack_checkpoint and stack_restore: a longjmp
 * from five frames deep returns to the checkpoint with its value, twice. */
#include <stdio.h>

#include "wasix.h"

static wasix_stack_snapshot_t jb;
static volatile int depth_reached;

__attribute__((noinline)) static void dive(int depth, uint64_t val) {
	depth_reached = depth;
	if (depth == 5)
		wasix_stack_restore(&jb, val);
	dive(depth + 1, val);
	printf("never printed\n");
}

int main(void) {
	volatile int rounds = 0;
	uint64_t ret = 99;
	wasix_errno_t e = wasix_stack_checkpoint(&jb, &ret);
	printf("checkpoint: errno %d, returned %llu, rounds %d, depth reached %d\n", e,
		(unsigned long long)ret, rounds, depth_reached);
	if (rounds++ < 2)
		dive(1, rounds == 1 ? 7 : 0);
	printf("done after %d rounds\n", rounds);
	return 0;
}
