/* Shared helpers for the kiln benchmark workloads.
 *
 * Every workload is freestanding (no libc, no WASI imports): buffers are
 * static arrays in linear memory and inputs come from a deterministic
 * generator, so a run(n) call returns the same checksum on every runtime. */
#ifndef KILN_BENCH_COMMON_H
#define KILN_BENCH_COMMON_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef int i32;

/* xorshift32: a tiny deterministic generator for input data. */
static inline u32 xorshift32(u32 *state) {
	u32 x = *state;
	x ^= x << 13;
	x ^= x >> 17;
	x ^= x << 5;
	*state = x;
	return x;
}

/* mix folds a value into a running checksum (FNV-1a style, per word). */
static inline u32 mix(u32 acc, u32 v) {
	return (acc ^ v) * 16777619u;
}

#endif
