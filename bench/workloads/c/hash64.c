/* hash64: a 64-bit multiply-rotate hash (four xxHash64-style lanes) over
 * 16 KiB of words; measures i64 multiplies, rotates, shifts and i64 loads.
 * run(n) hashes the buffer n times, seeding each pass with the last hash. */
#include "common.h"

#define WORDS 2048u
#define P1 0x9E3779B185EBCA87ull
#define P2 0xC2B2AE3D27D4EB4Full
#define P3 0x165667B19E3779F9ull
static u64 words[WORDS];

static inline u64 rotl64(u64 x, u32 r) { return (x << r) | (x >> (64u - r)); }

static inline u64 round64(u64 acc, u64 v) {
	acc += v * P2;
	acc = rotl64(acc, 31);
	return acc * P1;
}

u64 run(u32 n) {
	u64 s = 0x0123456789abcdefull;
	for (u32 i = 0; i < WORDS; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		words[i] = s;
	}
	u64 h = 0;
	for (u32 r = 0; r < n; r++) {
		u64 v1 = h + P1 + P2, v2 = h + P2, v3 = h, v4 = h - P1;
		for (u32 i = 0; i < WORDS; i += 4) {
			v1 = round64(v1, words[i]);
			v2 = round64(v2, words[i + 1]);
			v3 = round64(v3, words[i + 2]);
			v4 = round64(v4, words[i + 3]);
		}
		h = rotl64(v1, 1) + rotl64(v2, 7) + rotl64(v3, 12) + rotl64(v4, 18);
		h ^= h >> 33;
		h *= P2;
		h ^= h >> 29;
		h *= P3;
		h ^= h >> 32;
	}
	return h;
}
