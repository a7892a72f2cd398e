/*
 * sock_pair: a connected stream pair carries bytes both ways; a datagram
 * pair keeps message
 * boundaries. Every
 * receive here has data waiting (or the end of stream); they are made
 * with DONT_WAIT all the same, so that a runtime that lost the data
 * answers EAGAIN instead of hanging.
 */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

static void send_str(wasix_fd_t fd, const char *s) {
	wasix_iovec_t iov = {s, strlen(s)};
	uint32_t n = 0;
	wasix_errno_t e = wasix_sock_send(fd, &iov, 1, 0, &n);
	printf("send \"%s\": errno %d, %u bytes\n", s, e, n);
}

static void recv_str(wasix_fd_t fd, uint32_t max) {
	char buf[64] = {0};
	wasix_iovec_t iov = {buf, max};
	uint32_t n = 0;
	uint16_t ro = 0;
	wasix_errno_t e = wasix_sock_recv(fd, &iov, 1, WASIX_RIFLAGS_DONT_WAIT, &n, &ro);
	printf("recv: errno %d, %u bytes \"%.*s\"\n", e, n, (int)n, buf);
}

int main(void) {
	wasix_fd_t a, b;
	wasix_errno_t e = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &a, &b);
	printf("stream pair: errno %d, distinct %d\n", e, a != b);
	send_str(a, "ping");
	recv_str(b, 63);
	send_str(b, "pong");
	recv_str(a, 63);
	wasix_fd_close(a);
	wasix_fd_close(b);

	e = wasix_sock_pair(WASIX_AF_INET4, WASIX_SOCK_DGRAM, 0, &a, &b);
	printf("datagram pair: errno %d\n", e);
	send_str(a, "first");
	send_str(a, "second");
	recv_str(b, 63);
	recv_str(b, 3);
	wasix_fd_close(a);
	wasix_fd_close(b);

	return 0;
}
