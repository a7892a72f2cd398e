/* chacha: the ChaCha20 block function (RFC 8439: 20 rounds of quarter
 * rounds on a 4x4 state of 32-bit words) in counter mode; measures 32-bit
 * adds, xors and rotates on values held in locals. run(n) computes n
 * blocks and folds every output word into a checksum. */
#include "common.h"

static inline u32 rotl32(u32 x, u32 r) { return (x << r) | (x >> (32u - r)); }

#define QR(a, b, c, d)                                                         \
	a += b; d ^= a; d = rotl32(d, 16);                                     \
	c += d; b ^= c; b = rotl32(b, 12);                                     \
	a += b; d ^= a; d = rotl32(d, 8);                                      \
	c += d; b ^= c; b = rotl32(b, 7)

static u32 state[16], out[16];

__attribute__((noinline)) static void block(void) {
	u32 x0 = state[0], x1 = state[1], x2 = state[2], x3 = state[3];
	u32 x4 = state[4], x5 = state[5], x6 = state[6], x7 = state[7];
	u32 x8 = state[8], x9 = state[9], x10 = state[10], x11 = state[11];
	u32 x12 = state[12], x13 = state[13], x14 = state[14], x15 = state[15];
	for (u32 i = 0; i < 10; i++) {
		QR(x0, x4, x8, x12);
		QR(x1, x5, x9, x13);
		QR(x2, x6, x10, x14);
		QR(x3, x7, x11, x15);
		QR(x0, x5, x10, x15);
		QR(x1, x6, x11, x12);
		QR(x2, x7, x8, x13);
		QR(x3, x4, x9, x14);
	}
	out[0] = x0 + state[0]; out[1] = x1 + state[1];
	out[2] = x2 + state[2]; out[3] = x3 + state[3];
	out[4] = x4 + state[4]; out[5] = x5 + state[5];
	out[6] = x6 + state[6]; out[7] = x7 + state[7];
	out[8] = x8 + state[8]; out[9] = x9 + state[9];
	out[10] = x10 + state[10]; out[11] = x11 + state[11];
	out[12] = x12 + state[12]; out[13] = x13 + state[13];
	out[14] = x14 + state[14]; out[15] = x15 + state[15];
}

u32 run(u32 n) {
	state[0] = 0x61707865u; /* "expand 32-byte k" */
	state[1] = 0x3320646eu;
	state[2] = 0x79622d32u;
	state[3] = 0x6b206574u;
	u32 s = 0xc4ac4a20u;
	for (u32 i = 4; i < 16; i++)
		state[i] = xorshift32(&s); /* key, counter, nonce */
	state[12] = 0;
	u32 acc = 2166136261u;
	for (u32 b = 0; b < n; b++) {
		block();
		for (u32 i = 0; i < 16; i++)
			acc = mix(acc, out[i]);
		state[12]++;
	}
	return acc;
}
