/*
 * An epoll loop over two pipes and an event descriptor: readiness, the
 * data handed back, a timeout, errors and a closed descriptor leaving
 * the interest list; with "timeout", also a wait that times out, and
 * with "hup", the hang-up of a pipe whose writers are all closed. Events are gathered per round and printed in a fixed
 * order, since runtimes may report them in any order.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "wasix.h"

enum { P1, P2, EV, NSRC };
static const char *names[NSRC] = {"pipe1", "pipe2", "event"};
static wasix_fd_t fds[NSRC];

static wasix_errno_t add(wasix_fd_t ep, int src, uint32_t events) {
	wasix_epoll_event_t ev;
	memset(&ev, 0, sizeof ev);
	ev.events = events;
	ev.data.fd = fds[src];
	ev.data.data2 = 100 + (uint64_t)src;
	return wasix_epoll_ctl(ep, WASIX_EPOLL_CTL_ADD, fds[src], &ev);
}

/* round waits (up to ten times) until every source in want was reported
 * readable, reads what each holds and prints it. */
static void round_(wasix_fd_t ep, const char *what, unsigned want) {
	char got[NSRC][32];
	unsigned seen = 0, waits = 0, bad = 0;
	while (seen != want && waits++ < 10) {
		wasix_epoll_event_t evs[8];
		uint32_t n = 0;
		wasix_errno_t e = wasix_epoll_wait(ep, evs, 8, 1000000000ull, &n);
		if (e != 0) {
			printf("%s: epoll_wait errno %d\n", what, e);
			return;
		}
		for (uint32_t i = 0; i < n; i++) {
			uint64_t src = evs[i].data.data2 - 100;
			if (src >= NSRC || evs[i].data.fd != fds[src] || !(evs[i].events & WASIX_EPOLLIN)) {
				bad++;
				continue;
			}
			if (seen & (1u << src))
				continue;
			seen |= 1u << src;
			if (src == EV) {
				uint64_t v = 0;
				read((int)fds[EV], &v, sizeof v);
				snprintf(got[src], sizeof got[src], "%llu", (unsigned long long)v);
			} else {
				ssize_t r = read((int)fds[src], got[src], sizeof got[src] - 1);
				got[src][r > 0 ? r : 0] = 0;
			}
		}
	}
	printf("%s:", what);
	for (int s = 0; s < NSRC; s++)
		if (seen & (1u << s))
			printf(" %s=%s", names[s], got[s]);
	printf("%s%s\n", seen == want ? "" : " (incomplete)", bad ? " (unexpected events)" : "");
}

static double since_ms(struct timespec *t0) {
	struct timespec t1;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

static int has_arg(int argc, char **argv, const char *a) {
	return argc > 1 && strcmp(argv[1], a) == 0;
}

int main(int argc, char **argv) {
	wasix_fd_t ep, w1, w2;
	printf("epoll_create: errno %d\n", wasix_epoll_create(&ep));
	wasix_fd_pipe(&fds[P1], &w1);
	wasix_fd_pipe(&fds[P2], &w2);
	wasix_fd_event(0, 0, &fds[EV]);
	for (int s = 0; s < NSRC; s++)
		printf("add %s: errno %d\n", names[s], add(ep, s, WASIX_EPOLLIN));
	printf("add pipe1 again: errno %d\n", add(ep, P1, WASIX_EPOLLIN));

	wasix_epoll_event_t evs[4];
	uint32_t n = 99;
	wasix_errno_t e = wasix_epoll_wait(ep, evs, 4, 0, &n);
	printf("nothing ready: errno %d, %u events\n", e, n);
	if (has_arg(argc, argv, "timeout")) {
		struct timespec t0;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		n = 99;
		e = wasix_epoll_wait(ep, evs, 4, 50000000ull, &n);
		printf("wait 50ms: errno %d, %u events, waited at least 50ms %d\n", e, n, since_ms(&t0) >= 49.0);
	}

	write((int)w2, "hello", 5);
	uint64_t five = 5;
	write((int)fds[EV], &five, sizeof five);
	round_(ep, "round 1", 1u << P2 | 1u << EV);
	write((int)w1, "one", 3);
	round_(ep, "round 2", 1u << P1);
	write((int)w1, "a", 1);
	write((int)w2, "b", 1);
	uint64_t two = 2;
	write((int)fds[EV], &two, sizeof two);
	round_(ep, "round 3", 1u << P1 | 1u << P2 | 1u << EV);

	/* Removed, a source is no longer reported. */
	printf("del event: errno %d\n", wasix_epoll_ctl(ep, WASIX_EPOLL_CTL_DEL, fds[EV], evs));
	printf("del event again: errno %d\n", wasix_epoll_ctl(ep, WASIX_EPOLL_CTL_DEL, fds[EV], evs));
	write((int)fds[EV], &two, sizeof two);
	n = 99;
	e = wasix_epoll_wait(ep, evs, 4, 0, &n);
	printf("event written after del: errno %d, %u events\n", e, n);

	/* Every writer of pipe1 gone: its read end reports (hang-up or end
	 * of file) and reads 0. */
	close((int)w1);
	if (has_arg(argc, argv, "hup")) {
		n = 0;
		e = wasix_epoll_wait(ep, evs, 4, 1000000000ull, &n);
		int hup = n == 1 && evs[0].data.data2 == 100 + P1 && (evs[0].events & (WASIX_EPOLLIN | WASIX_EPOLLHUP));
		char c;
		printf("writer closed: errno %d, pipe1 reported %d, read %zd\n", e, hup, read((int)fds[P1], &c, 1));
	}

	/* A closed descriptor leaves the list. */
	close((int)fds[P1]);
	n = 99;
	e = wasix_epoll_wait(ep, evs, 4, 0, &n);
	printf("after closing pipe1: errno %d, %u events\n", e, n);

	printf("ctl on a pipe: errno %d\n", wasix_epoll_ctl(fds[P2], WASIX_EPOLL_CTL_ADD, w2, evs));
	printf("ctl on a closed number: errno %d\n", wasix_epoll_ctl(999, WASIX_EPOLL_CTL_ADD, w2, evs));
	printf("close epoll: errno %d\n", close((int)ep) == 0 ? 0 : -1);
	return 0;
}
