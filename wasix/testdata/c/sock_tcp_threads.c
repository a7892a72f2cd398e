/*
 * A TCP echo server and its client in two threads of one guest, on
 * 127.0.0.1: the main thread binds port 0, reads the port the host chose
 * with sock_addr_local, and serves one connection; a spawned thread
 * connects, sends ROUNDS messages and checks every echo. The client
 * thread makes only WASIX calls (no libc), as kthread.h requires.
 */
#include <stdio.h>

#include "kthread.h"

#define ROUNDS 200
#define MSG 48

static uint16_t port;
static _Atomic uint32_t client_errno, rounds_ok;

/* send_all and recv_all loop over partial transfers (bounded by len). */
static wasix_errno_t send_all(wasix_fd_t fd, const uint8_t *buf, uint32_t len) {
	while (len > 0) {
		wasix_iovec_t iov = {buf, len};
		uint32_t n = 0;
		wasix_errno_t e = wasix_sock_send(fd, &iov, 1, 0, &n);
		if (e != 0)
			return e;
		buf += n;
		len -= n;
	}
	return 0;
}

static wasix_errno_t recv_all(wasix_fd_t fd, uint8_t *buf, uint32_t len) {
	while (len > 0) {
		wasix_iovec_t iov = {buf, len};
		uint32_t n = 0;
		uint16_t ro = 0;
		wasix_errno_t e = wasix_sock_recv(fd, &iov, 1, 0, &n, &ro);
		if (e != 0)
			return e;
		if (n == 0)
			return 255; /* early end of stream */
		buf += n;
		len -= n;
	}
	return 0;
}

static void client(void *arg) {
	(void)arg;
	wasix_fd_t s;
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &s);
	if (e == 0) {
		wasix_addr_port_t to;
		wasix_addr4(&to, 127, 0, 0, 1, port);
		e = wasix_sock_connect(s, &to);
	}
	for (uint32_t r = 0; e == 0 && r < ROUNDS; r++) {
		uint8_t out[MSG], in[MSG];
		for (uint32_t i = 0; i < MSG; i++)
			out[i] = (uint8_t)(r * 7 + i);
		e = send_all(s, out, MSG);
		if (e == 0)
			e = recv_all(s, in, MSG);
		uint32_t same = 1;
		for (uint32_t i = 0; i < MSG; i++)
			same &= in[i] == out[i];
		if (e == 0 && same)
			rounds_ok++;
	}
	wasix_fd_close(s);
	client_errno = e;
}

int main(void) {
	wasix_fd_t l, c;
	wasix_addr_port_t addr;
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &l);
	wasix_addr4(&addr, 127, 0, 0, 1, 0);
	if (e == 0)
		e = wasix_sock_bind(l, &addr);
	if (e == 0)
		e = wasix_sock_listen(l, 8);
	if (e == 0)
		e = wasix_sock_addr_local(l, &addr);
	printf("listen on 127.0.0.1:0: errno %d, a port was chosen %d\n", e, e == 0 && addr.port != 0);
	if (e != 0 || addr.port == 0)
		return 1; /* no port to connect to */
	port = addr.port;

	wasix_tid_t tid;
	e = kthread_spawn(client, 0, &tid);
	if (e != 0) {
		printf("spawn: errno %d\n", e);
		return 1;
	}
	wasix_addr_port_t peer;
	e = wasix_sock_accept_v2(l, 0, &c, &peer);
	printf("accept: errno %d, peer 127.0.0.1 %d\n", e,
		peer.tag == WASIX_AF_INET4 && peer.addr[0] == 127 && peer.addr[3] == 1);
	uint32_t echoed = 0;
	for (int i = 0; e == 0 && i < ROUNDS * MSG; i++) { /* at least one byte per round trip */
		uint8_t buf[64];
		wasix_iovec_t iov = {buf, sizeof buf};
		uint32_t n = 0;
		uint16_t ro;
		e = wasix_sock_recv(c, &iov, 1, 0, &n, &ro);
		if (e != 0 || n == 0)
			break;
		e = send_all(c, buf, n);
		echoed += n;
	}
	wasix_thread_join(tid);
	printf("server echoed %u bytes, errno %d\n", echoed, e);
	printf("client: errno %u, rounds echoed intact %u of %d\n", client_errno, rounds_ok, ROUNDS);
	wasix_fd_close(c);
	wasix_fd_close(l);
	return 0;
}
