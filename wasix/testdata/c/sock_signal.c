/*
 * A signal for the guest's handler interrupts a blocked socket call with
 * EINTR, as in POSIX: an alarm (proc_raise_interval) during a
 * sock_accept_v2 nobody connects to, then during a sock_recv on one end
 * of a stream pair nobody writes to.
 */
#include <stdio.h>

#include "wasix.h"

static volatile int last, count;

__attribute__((export_name("on_signal"))) void on_signal(int sig) {
	last = sig;
	count++;
}

int main(void) {
	wasix_callback_signal_raw("on_signal", 9);
	wasix_fd_t l, c, a, b;
	wasix_addr_port_t addr;
	wasix_addr4(&addr, 127, 0, 0, 1, 0);
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &l);
	if (e == 0)
		e = wasix_sock_bind(l, &addr);
	if (e == 0)
		e = wasix_sock_listen(l, 1);
	printf("listener: errno %d\n", e);
	wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
	e = wasix_sock_accept_v2(l, 0, &c, &addr);
	printf("sock_accept_v2 during an alarm: errno %d, handler ran %d time(s), last signal %d\n", e, count, last);

	e = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &a, &b);
	wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
	char buf[8];
	wasix_iovec_t iov = {buf, sizeof buf};
	uint32_t n = 0;
	uint16_t ro;
	e = wasix_sock_recv(a, &iov, 1, 0, &n, &ro);
	printf("sock_recv during an alarm: errno %d, handler ran %d time(s)\n", e, count);
	return 0;
}
