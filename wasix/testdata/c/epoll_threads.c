/*
 * A pipe between two threads, its reader woken by epoll: a spawned thread
 * writes five messages, pausing between them; the main thread waits in
 * epoll_wait without timeout and reads each. With "exit", the main thread
 * instead waits on an empty pipe while the other thread ends the process
 * with proc_exit2(3): the wait must not keep the process alive.
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "kthread.h"

static wasix_fd_t rfd, wfd;
static _Atomic uint32_t spins;

/* pause_ busy-waits: the thread calls no libc and does not sleep. */
static void pause_(void) {
	for (int i = 0; i < 200000; i++)
		__c11_atomic_fetch_add(&spins, 1, __ATOMIC_RELAXED);
}

static void writer(void *arg) {
	(void)arg;
	static const char *msgs[5] = {"m0", "m1", "m2", "m3", "m4"};
	for (int i = 0; i < 5; i++) {
		pause_();
		__wasi_ciovec_t iov = {(const uint8_t *)msgs[i], 2};
		__wasi_size_t n;
		if (__wasi_fd_write(wfd, &iov, 1, &n) != 0)
			return;
	}
}

static void exiter(void *arg) {
	(void)arg;
	pause_();
	pause_();
	wasix_proc_exit2(3);
}

int main(int argc, char **argv) {
	wasix_fd_t ep;
	wasix_epoll_create(&ep);
	wasix_fd_pipe(&rfd, &wfd);
	wasix_epoll_event_t ev;
	memset(&ev, 0, sizeof ev);
	ev.events = WASIX_EPOLLIN;
	ev.data.data2 = 7;
	wasix_epoll_ctl(ep, WASIX_EPOLL_CTL_ADD, rfd, &ev);
	wasix_tid_t tid;

	if (argc > 1 && strcmp(argv[1], "exit") == 0) {
		printf("main waits in epoll_wait, thread calls proc_exit2(3)\n");
		fflush(stdout);
		kthread_spawn(exiter, 0, &tid);
		uint32_t n;
		wasix_epoll_wait(ep, &ev, 1, WASIX_EPOLL_FOREVER, &n);
		printf("not reached\n");
		return 1;
	}

	wasix_errno_t e = kthread_spawn(writer, 0, &tid);
	printf("spawn writer: errno %d\n", e);
	char all[16] = {0};
	size_t got = 0;
	int wakeups = 0, bad = 0;
	while (got < 10 && wakeups < 50) {
		uint32_t n = 0;
		e = wasix_epoll_wait(ep, &ev, 1, WASIX_EPOLL_FOREVER, &n);
		wakeups++;
		if (e != 0 || n != 1 || ev.data.data2 != 7 || !(ev.events & WASIX_EPOLLIN)) {
			bad++;
			continue;
		}
		__wasi_iovec_t iov = {(uint8_t *)all + got, 10 - got};
		__wasi_size_t r = 0;
		if (__wasi_fd_read(rfd, &iov, 1, &r) != 0)
			bad++;
		got += r;
	}
	printf("read %zu bytes: %s, every wake-up had data %d\n", got, all, bad == 0);
	printf("join: errno %d\n", wasix_thread_join(tid));
	return 0;
}
