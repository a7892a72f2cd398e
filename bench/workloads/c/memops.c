/* memops: block copies and fills. run(n) uses __builtin_memcpy and
 * __builtin_memset, which become memory.copy / memory.fill with
 * -mbulk-memory; run_bytes(n) does the same work with explicit byte loops
 * (compiled with -fno-builtin so they are not turned back into copies).
 * Each performs n rounds over a 64 KiB working set and returns a checksum
 * of sampled bytes. */
#include "common.h"

#define BLOCK (64u * 1024u)
static u8 src[BLOCK], dst[BLOCK];

static void init(void) {
	u32 s = 0xc0ffee11u;
	for (u32 i = 0; i < BLOCK; i++)
		src[i] = (u8)xorshift32(&s);
}

static u32 sample(u32 acc) {
	for (u32 i = 0; i < BLOCK; i += 997)
		acc = mix(acc, dst[i]);
	return acc;
}

u32 run(u32 n) {
	init();
	u32 acc = 2166136261u;
	for (u32 r = 0; r < n; r++) {
		u32 off = (r * 61u) % 4096u;
		__builtin_memset(dst, (int)(r & 0xff), BLOCK);
		__builtin_memcpy(dst + off, src, BLOCK - off);
		__builtin_memcpy(dst, dst + 1, BLOCK / 2); /* overlapping move */
		acc = mix(acc, dst[(r * 131u) % BLOCK]);
	}
	return sample(acc);
}

__attribute__((noinline)) static void fill_bytes(u8 *d, u8 v, u32 len) {
	for (u32 i = 0; i < len; i++)
		d[i] = v;
}

__attribute__((noinline)) static void copy_bytes(u8 *d, const u8 *s, u32 len) {
	if (d <= s) {
		for (u32 i = 0; i < len; i++)
			d[i] = s[i];
	} else {
		for (u32 i = len; i > 0; i--)
			d[i - 1] = s[i - 1];
	}
}

u32 run_bytes(u32 n) {
	init();
	u32 acc = 2166136261u;
	for (u32 r = 0; r < n; r++) {
		u32 off = (r * 61u) % 4096u;
		fill_bytes(dst, (u8)(r & 0xff), BLOCK);
		copy_bytes(dst + off, src, BLOCK - off);
		copy_bytes(dst, dst + 1, BLOCK / 2);
		acc = mix(acc, dst[(r * 131u) % BLOCK]);
	}
	return sample(acc);
}
