/*
 * dup2 as wasix-libc builds it: fd_renumber (imported from
 * wasi_snapshot_preview1) onto a number that is not open, onto standard
 * output and back, and from a closed number.
 */
#include <stdio.h>
#include <unistd.h>
#include <wasi/api.h>

#include "wasix.h"

/* show_read reads want bytes (in as many reads as it takes: the
 * reference runtime's pipes return one write per read). */
static void show_read(const char *what, int fd, size_t want) {
	char buf[64];
	size_t got = 0;
	while (got < want) {
		ssize_t n = read(fd, buf + got, want - got);
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	printf("%s: read %zu: %.*s\n", what, got, (int)got, buf);
}

int main(void) {
	wasix_fd_t r, w;
	wasix_fd_pipe(&r, &w);
	printf("dup2 onto 40 (not open): errno %d\n", __wasi_fd_renumber(w, 40));
	printf("write through 40: %zd\n", write(40, "new,", 4));
	printf("write through the source: %zd\n", write((int)w, "old", 3));
	show_read("pipe", (int)r, 7);

	fflush(stdout);
	printf("save stdout on 41: errno %d\n", __wasi_fd_renumber(1, 41));
	fflush(stdout);
	__wasi_errno_t e = __wasi_fd_renumber(w, 1);
	printf("into the pipe");
	fflush(stdout);
	__wasi_errno_t back = __wasi_fd_renumber(41, 1);
	printf("dup2 the pipe onto stdout: errno %d, back: errno %d\n", e, back);
	show_read("pipe", (int)r, 13);

	printf("dup2 from a closed number: errno %d\n", __wasi_fd_renumber(77, 42));
	printf("dup2 onto itself: errno %d\n", __wasi_fd_renumber(w, w));
	return 0;
}
