// echo_server: accepts one connection on the preopened listening socket
// (descriptor 3, given by the embedder), answers every message with its
// upper-case copy until the peer shuts down, then shuts down its side.
#include <ctype.h>
#include <stdio.h>
#include <sys/socket.h>
#include <unistd.h>

int main(void) {
	int conn = accept(3, NULL, NULL);
	if (conn < 0) {
		perror("accept");
		return 1;
	}
	char buf[256];
	ssize_t n;
	long total = 0;
	while ((n = recv(conn, buf, sizeof buf, 0)) > 0) {
		for (ssize_t i = 0; i < n; i++)
			buf[i] = (char)toupper((unsigned char)buf[i]);
		if (send(conn, buf, (size_t)n, 0) != n) {
			perror("send");
			return 1;
		}
		total += n;
	}
	if (n < 0) {
		perror("recv");
		return 1;
	}
	if (shutdown(conn, SHUT_WR) != 0) {
		perror("shutdown");
		return 1;
	}
	close(conn);
	printf("echoed %ld bytes\n", total);
	return 0;
}
