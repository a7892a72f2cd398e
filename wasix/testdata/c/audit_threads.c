/*
 * Audit records name the calling thread: the main thread and three
 * spawned threads each connect a TCP socket to 192.0.2.1 on port
 * 1000 + the ID thread_id gives it (the test's policy refuses it, so
 * nothing leaves the host), at the same time. The test checks that the
 * audit record of each refused connect names the thread the port names.
 * The threads make only WASIX calls (no libc), as kthread.h requires.
 */
#include <stdio.h>

#include "kthread.h"

#define THREADS 3

static _Atomic uint32_t refused;

static void connect_once(void *arg) {
	(void)arg;
	wasix_tid_t me = 0;
	wasix_fd_t s;
	wasix_errno_t e = wasix_thread_id(&me);
	if (e == 0)
		e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &s);
	if (e == 0) {
		wasix_addr_port_t to;
		wasix_addr4(&to, 192, 0, 2, 1, (uint16_t)(1000 + me));
		if (wasix_sock_connect(s, &to) == 2) /* EACCES */
			refused++;
		wasix_fd_close(s);
	}
}

int main(void) {
	wasix_tid_t tids[THREADS];
	int spawned = 0;
	for (int i = 0; i < THREADS; i++)
		if (kthread_spawn(connect_once, 0, &tids[i]) == 0)
			spawned++;
	connect_once(0);
	for (int i = 0; i < spawned; i++)
		wasix_thread_join(tids[i]);
	printf("spawned %d, refused %u\n", spawned, refused);
	return 0;
}
