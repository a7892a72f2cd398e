/*
 * The end of the process ends a thread blocked in a socket call: a
 * spawned thread waits in sock_accept_v2 on a listener nobody connects
 * to, and sock_recv on one end of a stream pair nobody writes to; the
 * main thread then calls proc_exit2(7), which must end the run with
 * code 7 instead of waiting for them.
 */
#include <stdio.h>

#include "kthread.h"

static wasix_fd_t listener, quiet;
static kevent_t started;

static void block_accept(void *arg) {
	(void)arg;
	kevent_set(&started);
	wasix_fd_t c;
	wasix_addr_port_t peer;
	wasix_sock_accept_v2(listener, 0, &c, &peer);
}

static void block_recv(void *arg) {
	(void)arg;
	char buf[8];
	wasix_iovec_t iov = {buf, sizeof buf};
	uint32_t n;
	uint16_t ro;
	wasix_sock_recv(quiet, &iov, 1, 0, &n, &ro);
}

int main(void) {
	wasix_addr_port_t addr;
	wasix_addr4(&addr, 127, 0, 0, 1, 0);
	wasix_fd_t other;
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &listener);
	if (e == 0)
		e = wasix_sock_bind(listener, &addr);
	if (e == 0)
		e = wasix_sock_listen(listener, 1);
	wasix_errno_t ep = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &quiet, &other);
	wasix_tid_t t1, t2;
	wasix_errno_t s1 = kthread_spawn(block_accept, 0, &t1), s2 = kthread_spawn(block_recv, 0, &t2);
	kevent_wait(&started);
	wasix_thread_sleep(50 * 1000 * 1000);
	printf("listener errno %d, pair errno %d, spawns %d %d; threads block in accept and recv, main calls proc_exit2(7)\n",
		e, ep, s1, s2);
	fflush(stdout);
	wasix_proc_exit2(7);
}
