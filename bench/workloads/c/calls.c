/* calls: entry points for call-overhead measurements.
 * noop() is the cheapest possible host->wasm call; call_host(n) makes n
 * wasm->host round trips through the imported env.host_inc. */
#include "common.h"

__attribute__((import_module("env"), import_name("host_inc"))) u32
host_inc(u32 x);

u32 noop(void) { return 0; }

u32 call_host(u32 n) {
	u32 x = 0;
	for (u32 i = 0; i < n; i++)
		x = host_inc(x);
	return x;
}
