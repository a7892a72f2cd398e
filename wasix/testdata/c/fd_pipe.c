/*
 * fd_pipe, fd_dup, fd_dup2 (F_DUPFD), fd_fdflags_get and fd_event: data
 * through a pipe and through a duplicate of its write end, the
 * close-on-exec flag of a duplicate, end of file once every writer is
 * closed, and an eventfd counter in both modes. Descriptor numbers are
 * printed only as facts (at least min_fd, distinct), since runtimes
 * preopen different numbers.
 */
#include <stdint.h>
#include <stdio.h>
#include <unistd.h>

#include "wasix.h"

static void show_read(const char *what, int fd) {
	char buf[64];
	ssize_t n = read(fd, buf, sizeof buf);
	printf("%s: read %zd: %.*s\n", what, n, n > 0 ? (int)n : 0, buf);
}

static uint64_t read_counter(int fd) {
	uint64_t v = 0;
	if (read(fd, &v, sizeof v) != sizeof v) {
		return UINT64_MAX;
	}
	return v;
}

static void add_counter(int fd, uint64_t v) {
	if (write(fd, &v, sizeof v) != sizeof v) {
		printf("write to the counter failed\n");
	}
}

int main(void) {
	wasix_fd_t p[2];
	wasix_errno_t e = wasix_fd_pipe(&p[0], &p[1]);
	printf("fd_pipe: errno %d, distinct %d\n", e, p[0] != p[1]);
	printf("write: %zd\n", write((int)p[1], "through the pipe", 16));
	show_read("pipe", (int)p[0]);

	wasix_fd_t copy;
	e = wasix_fd_dup2(p[1], 20, 1, &copy);
	printf("fd_dup2(min 20, cloexec): errno %d, at least 20 %d\n", e, copy >= 20);
	wasix_fdflagsext_t flags = 0xff;
	e = wasix_fd_fdflags_get(copy, &flags);
	printf("fd_fdflags_get(copy): errno %d, cloexec %d\n", e, flags & WASIX_FDFLAGSEXT_CLOEXEC);
	flags = 0xff;
	e = wasix_fd_fdflags_get(p[1], &flags);
	printf("fd_fdflags_get(original): errno %d, cloexec %d\n", e, flags & WASIX_FDFLAGSEXT_CLOEXEC);

	close((int)p[1]);
	printf("write through the copy after closing the original: %zd\n", write((int)copy, "dup", 3));
	show_read("pipe", (int)p[0]);

	wasix_fd_t again;
	e = wasix_fd_dup(copy, &again);
	printf("fd_dup: errno %d, a new number %d\n", e, again != copy);
	printf("write through fd_dup's copy: %zd\n", write((int)again, "again", 5));
	show_read("pipe", (int)p[0]);
	close((int)copy);
	close((int)again);
	show_read("pipe with every writer closed", (int)p[0]);
	close((int)p[0]);

	wasix_fd_t bad;
	printf("fd_dup of a closed number: errno %d\n", wasix_fd_dup(p[0], &bad));
	printf("fd_fdflags_get of a closed number: errno %d\n", wasix_fd_fdflags_get(p[0], &flags));

	wasix_fd_t ev;
	e = wasix_fd_event(3, 0, &ev);
	printf("fd_event(3): errno %d\n", e);
	printf("counter: %llu\n", (unsigned long long)read_counter((int)ev));
	add_counter((int)ev, 2);
	add_counter((int)ev, 5);
	printf("counter after adding 2 and 5: %llu\n", (unsigned long long)read_counter((int)ev));
	close((int)ev);

	e = wasix_fd_event(2, WASIX_EVENTFDFLAGS_SEMAPHORE, &ev);
	printf("fd_event(2, semaphore): errno %d\n", e);
	uint64_t a = read_counter((int)ev), b = read_counter((int)ev);
	printf("semaphore reads: %llu %llu\n", (unsigned long long)a, (unsigned long long)b);
	close((int)ev);
	return 0;
}
