/*
 * UDP on 127.0.0.1: two sockets bound to port 0 exchange datagrams with
 * sock_send_to and sock_recv_from (the sender's address must be the
 * other socket's); a receive with DONT_WAIT and nothing queued is
 * EAGAIN. Then sock_send_file sends part of a file down one end of a
 * sock_pair.
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "wasix.h"

static wasix_errno_t udp_socket(wasix_fd_t *fd, wasix_addr_port_t *local) {
	wasix_addr4(local, 127, 0, 0, 1, 0);
	wasix_errno_t e = wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_DGRAM, 0, fd);
	if (e == 0)
		e = wasix_sock_bind(*fd, local);
	if (e == 0)
		e = wasix_sock_addr_local(*fd, local);
	return e;
}

int main(void) {
	wasix_fd_t a, b;
	wasix_addr_port_t la, lb;
	wasix_errno_t e1 = udp_socket(&a, &la), e2 = udp_socket(&b, &lb);
	printf("two UDP sockets: errno %d %d, distinct ports %d\n", e1, e2, la.port != lb.port && la.port && lb.port);
	for (int i = 0; i < 3; i++) {
		char msg[32], got[32];
		snprintf(msg, sizeof msg, "datagram %d", i);
		wasix_iovec_t out = {msg, strlen(msg)}, in = {got, sizeof got - 1};
		uint32_t sent = 0, n = 0;
		uint16_t ro = 0;
		wasix_addr_port_t from;
		wasix_errno_t e = wasix_sock_send_to(a, &out, 1, 0, &lb, &sent);
		printf("send_to: errno %d, %u bytes\n", e, sent);
		e = wasix_sock_recv_from(b, &in, 1, 0, &n, &ro, &from);
		got[n] = 0;
		printf("recv_from: errno %d, %u bytes \"%s\", from the sender %d\n", e, n, got,
			from.tag == WASIX_AF_INET4 && from.port == la.port && from.addr[0] == 127);
	}
	char buf[8];
	wasix_iovec_t in = {buf, sizeof buf};
	uint32_t n = 0;
	uint16_t ro = 0;
	wasix_addr_port_t from;
	printf("recv_from(DONT_WAIT), nothing queued: errno %d\n",
		wasix_sock_recv_from(b, &in, 1, WASIX_RIFLAGS_DONT_WAIT, &n, &ro, &from));
	wasix_fd_close(a);
	wasix_fd_close(b);

	/* sock_send_file: part of a file down one end of a stream pair. */
	wasix_fd_t p0, p1;
	wasix_errno_t e = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &p0, &p1);
	int f = open("/workspace/sendfile.txt", O_RDONLY);
	uint64_t sent = 0;
	wasix_errno_t es = wasix_sock_send_file(p0, (wasix_fd_t)f, 6, 10, &sent);
	wasix_fd_close(p0); /* the receive below then ends even if nothing was sent */
	char got[32] = {0};
	wasix_iovec_t gin = {got, sizeof got - 1};
	wasix_errno_t er = wasix_sock_recv(p1, &gin, 1, WASIX_RIFLAGS_DONT_WAIT, &n, &ro);
	printf("sock_pair: errno %d; send_file(offset 6, 10 bytes): errno %d, sent %llu; received errno %d: %.*s\n",
		e, es, (unsigned long long)sent, er, (int)n, got);
	close(f);
	wasix_fd_close(p1);
	return 0;
}
