/*
 * A TCP echo server for cmd/echobench, built twice from this file: for
 * WASIX (wasm32-wasi, sockets through wasix_32v1, run under kiln) and
 * natively (POSIX sockets). It listens on 127.0.0.1 on a port the host
 * chooses, prints "port N", and then serves connections one after the
 * other, echoing every byte until the client closes, until it is killed.
 */
#include <stdint.h>
#include <stdio.h>

#ifdef __wasm__
#define WASIX(name) __attribute__((import_module("wasix_32v1"), import_name(#name)))
typedef struct {
	uint8_t tag, pad;
	uint16_t port;
	uint8_t addr[106];
} addr_port;
typedef struct {
	void *buf;
	uint32_t len;
} iovec;
uint16_t sock_open(uint32_t af, uint32_t type, uint32_t proto, uint32_t *fd) WASIX(sock_open);
uint16_t sock_bind(uint32_t fd, const addr_port *a) WASIX(sock_bind);
uint16_t sock_listen(uint32_t fd, uint32_t backlog) WASIX(sock_listen);
uint16_t sock_addr_local(uint32_t fd, addr_port *a) WASIX(sock_addr_local);
uint16_t sock_accept_v2(uint32_t fd, uint32_t flags, uint32_t *nfd, addr_port *a) WASIX(sock_accept_v2);
uint16_t sock_recv(uint32_t fd, const iovec *iov, uint32_t n, uint32_t fl, uint32_t *got, uint16_t *ro) WASIX(sock_recv);
uint16_t sock_send(uint32_t fd, const iovec *iov, uint32_t n, uint32_t fl, uint32_t *sent) WASIX(sock_send);
uint16_t fd_close(uint32_t fd) __attribute__((import_module("wasi_snapshot_preview1"), import_name("fd_close")));

static int listen_loopback(uint16_t *port) {
	uint32_t fd;
	addr_port a = {.tag = 1, .addr = {127, 0, 0, 1}};
	if (sock_open(1, 1, 0, &fd) || sock_bind(fd, &a) || sock_listen(fd, 16) || sock_addr_local(fd, &a))
		return -1;
	*port = a.port;
	return (int)fd;
}
static int accept_one(int l) {
	uint32_t fd;
	addr_port a;
	return sock_accept_v2((uint32_t)l, 0, &fd, &a) ? -1 : (int)fd;
}
static long recv_some(int fd, void *buf, uint32_t len) {
	iovec iov = {buf, len};
	uint32_t n;
	uint16_t ro;
	return sock_recv((uint32_t)fd, &iov, 1, 0, &n, &ro) ? -1 : (long)n;
}
static long send_some(int fd, void *buf, uint32_t len) {
	iovec iov = {buf, len};
	uint32_t n;
	return sock_send((uint32_t)fd, &iov, 1, 0, &n) ? -1 : (long)n;
}
static void close_fd(int fd) { fd_close((uint32_t)fd); }
#else
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

static int listen_loopback(uint16_t *port) {
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 16) ||
		getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}
static int accept_one(int l) { return accept(l, 0, 0); }
static long recv_some(int fd, void *buf, uint32_t len) { return recv(fd, buf, len, 0); }
static long send_some(int fd, void *buf, uint32_t len) { return send(fd, buf, len, MSG_NOSIGNAL); }
static void close_fd(int fd) { close(fd); }
#endif

int main(void) {
	uint16_t port;
	int l = listen_loopback(&port);
	if (l < 0) {
		printf("cannot listen\n");
		return 1;
	}
	printf("port %u\n", port);
	fflush(stdout);
	static unsigned char buf[64 * 1024];
	for (;;) {
		int c = accept_one(l);
		if (c < 0)
			return 1;
		for (;;) {
			long n = recv_some(c, buf, sizeof buf);
			if (n <= 0)
				break;
			for (long off = 0; off < n;) {
				long w = send_some(c, buf + off, (uint32_t)(n - off));
				if (w <= 0)
					break;
				off += w;
			}
		}
		close_fd(c);
	}
}
