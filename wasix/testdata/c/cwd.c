/*
 * getcwd and chdir. argv[1] names a directory that exists in the guest,
 * holding a subdirectory "sub" and a file "file". Prints the working
 * directory as it changes, getcwd's answer to a buffer one byte short,
 * and chdir's errors for a missing path and a file.
 */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

static wasix_errno_t chdir_to(const char *path) {
	return wasix_chdir_raw(path, (uint32_t)strlen(path));
}

static void show_cwd(const char *when) {
	char buf[256];
	uint32_t len = sizeof buf;
	wasix_errno_t e = wasix_getcwd(buf, &len);
	if (e != 0) {
		printf("%s: getcwd errno %d\n", when, e);
		return;
	}
	printf("%s: getcwd %.*s (length %u)\n", when, (int)len, buf, len);
}

int main(int argc, char **argv) {
	if (argc < 2) {
		printf("usage: cwd DIR\n");
		return 2;
	}
	const char *dir = argv[1];
	printf("chdir %s: errno %d\n", dir, chdir_to(dir));
	show_cwd("after chdir");
	printf("chdir sub: errno %d\n", chdir_to("sub"));
	show_cwd("after relative chdir");
	printf("chdir ..: errno %d\n", chdir_to(".."));
	show_cwd("after chdir ..");

	/* The working directory is dir again: ask with one byte too few. */
	char small[256];
	uint32_t want = (uint32_t)strlen(dir), len = want - 1;
	memset(small, '#', sizeof small);
	wasix_errno_t e = wasix_getcwd(small, &len);
	printf("getcwd with %u bytes: errno %d, length reported %u, needed %u, buffer untouched past it %d\n",
		want - 1, e, len, want, small[want - 1] == '#');

	printf("chdir missing: errno %d\n", chdir_to("no-such-dir"));
	printf("chdir file: errno %d\n", chdir_to("file"));
	show_cwd("after failed chdirs");
	printf("chdir /: errno %d\n", chdir_to("/"));
	show_cwd("after chdir /");
	return 0;
}
