/* bucket: a token-bucket rate limiter simulation; each request picks one
 * of 64 buckets and calls small non-inlined functions (pick, take, refill)
 * on a struct in linear memory; measures short calls with few instructions
 * each, struct field loads and stores. run(n) simulates n requests. */
#include "common.h"

#define NB 64u

typedef struct {
	u32 tokens, cap, rate, last, granted, denied;
} bucket;

static bucket buckets[NB];

__attribute__((noinline)) static void refill(bucket *b, u32 now) {
	u32 t = b->tokens + (now - b->last) * b->rate;
	if (t > b->cap)
		t = b->cap;
	b->tokens = t;
	b->last = now;
}

__attribute__((noinline)) static u32 take(bucket *b, u32 now, u32 cost) {
	refill(b, now);
	if (b->tokens >= cost) {
		b->tokens -= cost;
		b->granted++;
		return 1;
	}
	b->denied++;
	return 0;
}

__attribute__((noinline)) static u32 pick(u32 *s) { return xorshift32(s) % NB; }

u32 run(u32 n) {
	for (u32 i = 0; i < NB; i++) {
		bucket *b = &buckets[i];
		b->cap = 10u + i % 17u;
		b->rate = 1u + i % 3u;
		b->tokens = b->cap;
		b->last = 0;
		b->granted = 0;
		b->denied = 0;
	}
	u32 s = 0xb0c4e7u, now = 0, acc = 0;
	for (u32 r = 0; r < n; r++) {
		if ((r & 3u) == 0)
			now++;
		u32 i = pick(&s);
		u32 cost = 1u + (s & 3u);
		acc += take(&buckets[i], now, cost) * (i + 1u);
	}
	acc = mix(2166136261u, acc);
	for (u32 i = 0; i < NB; i++) {
		acc = mix(acc, buckets[i].granted);
		acc = mix(acc, buckets[i].denied);
		acc = mix(acc, buckets[i].tokens);
	}
	return acc;
}
