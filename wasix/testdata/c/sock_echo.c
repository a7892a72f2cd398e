/*
 * One side of a TCP echo pair run as two processes. "server" binds
 * 127.0.0.1:0, prints the port the host chose, serves one connection
 * (echoing until the client shuts down its side) and exits; "client
 * PORT" connects, sends three lines, shuts down writing and prints what
 * came back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "wasix.h"

static int server(void) {
	wasix_fd_t l, c;
	wasix_addr_port_t addr;
	wasix_addr4(&addr, 127, 0, 0, 1, 0);
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &l);
	if (e == 0)
		e = wasix_sock_bind(l, &addr);
	if (e == 0)
		e = wasix_sock_listen(l, 1);
	if (e == 0)
		e = wasix_sock_addr_local(l, &addr);
	if (e != 0) {
		printf("server: errno %d\n", e);
		return 1;
	}
	printf("listening on port %u\n", addr.port);
	fflush(stdout);
	e = wasix_sock_accept_v2(l, 0, &c, &addr);
	uint32_t total = 0;
	for (int i = 0; e == 0 && i < 1000; i++) {
		char buf[256];
		wasix_iovec_t iov = {buf, sizeof buf};
		uint32_t n = 0, w = 0;
		uint16_t ro;
		e = wasix_sock_recv(c, &iov, 1, 0, &n, &ro);
		if (e != 0 || n == 0)
			break;
		iov.len = n;
		e = wasix_sock_send(c, &iov, 1, 0, &w);
		total += w;
	}
	printf("server echoed %u bytes, errno %d\n", total, e);
	return e != 0;
}

static int client(uint16_t port) {
	static const char msg[] = "one\ntwo\nthree\n";
	wasix_fd_t s;
	wasix_addr_port_t to;
	wasix_addr4(&to, 127, 0, 0, 1, port);
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &s);
	if (e == 0)
		e = wasix_sock_connect(s, &to);
	uint32_t n = 0;
	wasix_iovec_t iov = {msg, strlen(msg)};
	if (e == 0)
		e = wasix_sock_send(s, &iov, 1, 0, &n);
	if (e == 0)
		e = wasix_sock_shutdown(s, WASIX_SHUT_WR);
	char got[64];
	uint32_t have = 0;
	for (int i = 0; e == 0 && i < 100 && have < sizeof got - 1; i++) {
		wasix_iovec_t in = {got + have, sizeof got - 1 - have};
		uint16_t ro;
		e = wasix_sock_recv(s, &in, 1, 0, &n, &ro);
		if (e != 0 || n == 0)
			break;
		have += n;
	}
	got[have] = 0;
	printf("client: errno %d, got back %u bytes:\n%s", e, have, got);
	return e != 0;
}

int main(int argc, char **argv) {
	if (argc == 2 && strcmp(argv[1], "server") == 0)
		return server();
	if (argc == 3 && strcmp(argv[1], "client") == 0)
		return client((uint16_t)atoi(argv[2]));
	printf("usage: sock_echo server | sock_echo client PORT\n");
	return 2;
}
