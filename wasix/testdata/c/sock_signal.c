/*
 * A signal for the guest's handler interrupts a blocked socket call with
 * EINTR, as in POSIX: an alarm (proc_raise_interval) during a
 * sock_accept_v2 nobody connects to, then during a sock_recv on one end
 * of a stream pair nobody writes to.
 */
#include <stdio.h>

#include "wasix.h"

static volatile int last, count;
/* early counts the alarms delivered before their blocking call (see
 * arm); the handler counts printed leave them out. */
static int early;

__attribute__((export_name("on_signal"))) void on_signal(int sig) {
	last = sig;
	count++;
}

/* arm sets a one-shot SIGALRM in 50 ms. The handler runs only when a
 * host call returns, so an alarm that has not run it by the time arm
 * returns interrupts the blocking call made next (no host call in
 * between). One that has run it (the 50 ms passed before
 * proc_raise_interval returned, on a loaded machine) is counted in
 * early and armed again. */
static void arm(void) {
	for (;;) {
		int before = count;
		wasix_proc_raise_interval(WASIX_SIGALRM, 50ull * 1000 * 1000, 0);
		if (count == before)
			return;
		early++;
	}
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
	arm();
	e = wasix_sock_accept_v2(l, 0, &c, &addr);
	printf("sock_accept_v2 during an alarm: errno %d, handler ran %d time(s), last signal %d\n", e, count - early, last);

	e = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &a, &b);
	arm();
	char buf[8];
	wasix_iovec_t iov = {buf, sizeof buf};
	uint32_t n = 0;
	uint16_t ro;
	e = wasix_sock_recv(a, &iov, 1, 0, &n, &ro);
	printf("sock_recv during an alarm: errno %d, handler ran %d time(s)\n", e, count - early);
	return 0;
}
