/*
 * tty_get and tty_set from a program: without a terminal (the test
 * harness gives none) both answer ENOTSUP and leave the struct alone.
 */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

int main(void) {
	wasix_tty_t tty;
	memset(&tty, 0xee, sizeof tty);
	wasix_errno_t e = wasix_tty_get(&tty);
	printf("tty_get: errno %d\n", e);
	if (e == 0)
		printf("stdin_tty %d stdout_tty %d stderr_tty %d\n", tty.stdin_tty, tty.stdout_tty, tty.stderr_tty);
	else
		printf("struct untouched %d\n", tty.cols == 0xeeeeeeee && tty.line_feeds == 0xee);
	memset(&tty, 0, sizeof tty);
	tty.echo = 1;
	tty.line_buffered = 1;
	printf("tty_set: errno %d\n", wasix_tty_set(&tty));
	return 0;
}
