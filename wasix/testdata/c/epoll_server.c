/*
 * An epoll echo server serving many connections on loopback: eight
 * client threads each open four TCP connections to it (32 at once), send
 * three messages on each and check the echoes; the main thread serves
 * them all from one epoll loop (a listening socket and every
 * connection in one interest list) until every client has closed.
 * Client threads call no libc (kthread.h), so they format by hand.
 * With "et", the listener and the connections are registered
 * edge-triggered, non-blocking, and the server accepts and reads until
 * EAGAIN, as edge-triggered servers must.
 */
#include <stdio.h>
#include <string.h>
#include <wasi/api.h>

#include "kthread.h"

/* The socket calls this program uses (wasix_32v1); an addr_port is
 * {u8 family; u16 port at 2; address bytes at 4}, 110 bytes. */
typedef struct {
	uint8_t bytes[110];
} srv_addr_t;
wasix_errno_t srv_sock_open(uint32_t af, uint32_t type, uint32_t proto, wasix_fd_t *fd)
	WASIX_IMPORT(sock_open);
wasix_errno_t srv_sock_bind(wasix_fd_t fd, const srv_addr_t *addr) WASIX_IMPORT(sock_bind);
wasix_errno_t srv_sock_listen(wasix_fd_t fd, uint32_t backlog) WASIX_IMPORT(sock_listen);
wasix_errno_t srv_sock_accept_v2(wasix_fd_t fd, uint32_t fdflags, wasix_fd_t *conn, srv_addr_t *peer)
	WASIX_IMPORT(sock_accept_v2);
wasix_errno_t srv_sock_connect(wasix_fd_t fd, const srv_addr_t *addr) WASIX_IMPORT(sock_connect);
wasix_errno_t srv_sock_addr_local(wasix_fd_t fd, srv_addr_t *addr) WASIX_IMPORT(sock_addr_local);

enum { THREADS = 8, CONNS = 4, ROUNDS = 3, MSG = 6, TOTAL = THREADS * CONNS };
enum { AF_INET4 = 1, SOCK_STREAM_ = 1, FDFLAGS_NONBLOCK = 4, LISTENER = 0xffff };

static srv_addr_t server;
static int client_ok[THREADS];

static int write_all(wasix_fd_t fd, const char *p, size_t n) {
	while (n > 0) {
		__wasi_ciovec_t iov = {(const uint8_t *)p, n};
		__wasi_size_t w = 0;
		if (__wasi_fd_write(fd, &iov, 1, &w) != 0 || w == 0)
			return 0;
		p += w;
		n -= w;
	}
	return 1;
}

static int read_all(wasix_fd_t fd, char *p, size_t n) {
	while (n > 0) {
		__wasi_iovec_t iov = {(uint8_t *)p, n};
		__wasi_size_t r = 0;
		if (__wasi_fd_read(fd, &iov, 1, &r) != 0 || r == 0)
			return 0;
		p += r;
		n -= r;
	}
	return 1;
}

static void client(void *arg) {
	int t = (int)(uintptr_t)arg;
	wasix_fd_t fds[CONNS];
	int ok = 0;
	for (int c = 0; c < CONNS; c++) {
		if (srv_sock_open(AF_INET4, SOCK_STREAM_, 0, &fds[c]) != 0 || srv_sock_connect(fds[c], &server) != 0)
			fds[c] = (wasix_fd_t)-1;
	}
	for (int r = 0; r < ROUNDS; r++) {
		for (int c = 0; c < CONNS; c++) {
			if (fds[c] == (wasix_fd_t)-1)
				continue;
			char msg[MSG] = {'t', (char)('0' + t), 'c', (char)('0' + c), 'r', (char)('0' + r)};
			char echo[MSG];
			if (write_all(fds[c], msg, MSG) && read_all(fds[c], echo, MSG) && memcmp(msg, echo, MSG) == 0 &&
			    r == ROUNDS - 1)
				ok++;
		}
	}
	for (int c = 0; c < CONNS; c++)
		if (fds[c] != (wasix_fd_t)-1)
			(void)__wasi_fd_close(fds[c]);
	client_ok[t] = ok;
}

static uint32_t mode = WASIX_EPOLLIN;

static wasix_errno_t watch(wasix_fd_t ep, wasix_fd_t fd, uint64_t tag) {
	wasix_epoll_event_t ev;
	memset(&ev, 0, sizeof ev);
	ev.events = mode;
	ev.data.fd = fd;
	ev.data.data2 = tag;
	return wasix_epoll_ctl(ep, WASIX_EPOLL_CTL_ADD, fd, &ev);
}

/* serve handles one ready connection: echo what it holds (all of it,
 * until EAGAIN, when edge-triggered); 1 when the client closed it. */
static int serve(wasix_fd_t c, long *echoed) {
	for (;;) {
		char buf[256];
		__wasi_iovec_t iov = {(uint8_t *)buf, sizeof buf};
		__wasi_size_t r = 0;
		__wasi_errno_t re = __wasi_fd_read(c, &iov, 1, &r);
		if (re == __WASI_ERRNO_AGAIN)
			return 0;
		if (re != 0 || r == 0) {
			(void)__wasi_fd_close(c); /* leaves the interest list */
			return 1;
		}
		if (write_all(c, buf, r))
			*echoed += r;
		if (!(mode & WASIX_EPOLLET))
			return 0;
	}
}

int main(int argc, char **argv) {
	wasix_fd_t lfd, ep;
	if (argc > 1 && strcmp(argv[1], "et") == 0)
		mode |= WASIX_EPOLLET;
	memset(&server, 0, sizeof server);
	server.bytes[0] = AF_INET4;
	server.bytes[4] = 127;
	server.bytes[7] = 1;
	wasix_errno_t e = srv_sock_open(AF_INET4, SOCK_STREAM_, 0, &lfd);
	if (e == 0)
		e = srv_sock_bind(lfd, &server);
	if (e == 0)
		e = srv_sock_listen(lfd, 64);
	if (e == 0)
		e = srv_sock_addr_local(lfd, &server);
	printf("listen on 127.0.0.1, port chosen: errno %d, port set %d\n", e, (server.bytes[2] | server.bytes[3]) != 0);
	if (e != 0)
		return 1;
	if (mode & WASIX_EPOLLET)
		printf("non-blocking listener: errno %d\n", __wasi_fd_fdstat_set_flags(lfd, FDFLAGS_NONBLOCK));
	wasix_epoll_create(&ep);
	printf("watch the listener: errno %d\n", watch(ep, lfd, LISTENER));

	wasix_tid_t tids[THREADS];
	int spawned = 0;
	for (int t = 0; t < THREADS; t++)
		if (kthread_spawn(client, (void *)(uintptr_t)t, &tids[t]) == 0)
			spawned++;
	printf("client threads: %d\n", spawned);

	int accepted = 0, closed = 0, open = 0, peak = 0, waits = 0, timeouts = 0;
	long echoed = 0;
	while (closed < TOTAL && waits++ < 100000) {
		wasix_epoll_event_t evs[16];
		uint32_t n = 0;
		if (wasix_epoll_wait(ep, evs, 16, 10000000000ull, &n) != 0 || n == 0) {
			timeouts++;
			break;
		}
		for (uint32_t i = 0; i < n; i++) {
			if (evs[i].data.data2 == LISTENER) {
				wasix_fd_t c;
				srv_addr_t peer;
				do {
					if (srv_sock_accept_v2(lfd, FDFLAGS_NONBLOCK, &c, &peer) != 0 || watch(ep, c, 1) != 0)
						break;
					accepted++;
					if (++open > peak)
						peak = open;
				} while (mode & WASIX_EPOLLET);
				continue;
			}
			if (serve(evs[i].data.fd, &echoed)) {
				closed++;
				open--;
			}
		}
	}
	printf("accepted %d, closed %d, echoed %ld bytes, at least %d at once %d, timeouts %d\n",
		accepted, closed, echoed, CONNS, peak >= CONNS, timeouts);
	int ok = 0;
	for (int t = 0; t < spawned; t++) {
		wasix_thread_join(tids[t]);
		ok += client_ok[t];
	}
	printf("connections whose every echo came back: %d of %d\n", ok, TOTAL);
	return 0;
}
