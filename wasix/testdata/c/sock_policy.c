/*
 * What the network policy refuses (kiln runs this with connect and bind
 * rules for 127.0.0.1 only and no resolve rule): each refusal is EACCES.
 * 0.0.0.0 as a connect target is the loopback address, so it reaches the
 * host (which refuses the connection to a port nobody listens on).
 */
#include <stdio.h>
#include <string.h>

#include "wasix.h"

int main(void) {
	wasix_fd_t s, u;
	wasix_addr_port_t to;
	wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_STREAM, 0, &s);
	wasix_addr4(&to, 10, 1, 2, 3, 80);
	printf("connect 10.1.2.3:80: errno %d\n", wasix_sock_connect(s, &to));
	wasix_addr4(&to, 0, 0, 0, 0, 0);
	printf("bind 0.0.0.0:0: errno %d\n", wasix_sock_bind(s, &to));
	printf("listen without a bind: errno %d\n", wasix_sock_listen(s, 1));
	wasix_sock_open(WASIX_AF_INET4, WASIX_SOCK_DGRAM, 0, &u);
	wasix_addr4(&to, 192, 0, 2, 1, 53);
	wasix_iovec_t iov = {"x", 1};
	uint32_t n = 99;
	printf("send_to 192.0.2.1:53: errno %d, sent %u\n", wasix_sock_send_to(u, &iov, 1, 0, &to, &n), n);
	wasix_addr_ip_t addrs[4];
	uint32_t count = 99;
	printf("resolve localhost: errno %d\n", wasix_resolve_raw("localhost", 9, 0, addrs, 4, &count));
	wasix_addr4(&to, 127, 0, 0, 1, 1);
	wasix_errno_t e = wasix_sock_connect(s, &to);
	printf("connect 127.0.0.1:1 (allowed, nobody listens): refused by the policy %d\n", e == WASIX_EACCES);
	return 0;
}
