/* sha256: SHA-256 (FIPS 180-4) over a generated buffer of n bytes
 * (n <= BUF_MAX); measures 32-bit rotates, shifts and adds. Returns the
 * first digest word xor-folded with the others. */
#include "common.h"

#define BUF_MAX (1u << 20)
static u8 buf[BUF_MAX];

static const u32 K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
    0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
    0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
    0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
    0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
    0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

static inline u32 rotr(u32 x, u32 n) { return (x >> n) | (x << (32 - n)); }

static void compress(u32 h[8], const u8 *p) {
	u32 w[64];
	for (int i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | (u32)p[4 * i + 3];
	for (int i = 16; i < 64; i++) {
		u32 s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
		u32 s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
		w[i] = w[i - 16] + s0 + w[i - 7] + s1;
	}
	u32 a = h[0], b = h[1], c = h[2], d = h[3];
	u32 e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int i = 0; i < 64; i++) {
		u32 S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
		u32 ch = (e & f) ^ (~e & g);
		u32 t1 = hh + S1 + ch + K[i] + w[i];
		u32 S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
		u32 maj = (a & b) ^ (a & c) ^ (b & c);
		u32 t2 = S0 + maj;
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

/* sha256 hashes len bytes of buf (len a multiple of 64 is not required). */
static void sha256(const u8 *data, u32 len, u32 h[8]) {
	static const u32 init[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				    0xa54ff53a, 0x510e527f, 0x9b05688c,
				    0x1f83d9ab, 0x5be0cd19};
	for (int i = 0; i < 8; i++)
		h[i] = init[i];
	u32 off = 0;
	for (; off + 64 <= len; off += 64)
		compress(h, data + off);
	u8 tail[128];
	u32 rest = len - off;
	for (u32 i = 0; i < 128; i++)
		tail[i] = 0;
	for (u32 i = 0; i < rest; i++)
		tail[i] = data[off + i];
	tail[rest] = 0x80;
	u32 tlen = rest + 9 <= 64 ? 64 : 128;
	u64 bits = (u64)len * 8;
	for (int i = 0; i < 8; i++)
		tail[tlen - 1 - i] = (u8)(bits >> (8 * i));
	compress(h, tail);
	if (tlen == 128)
		compress(h, tail + 64);
}

/* digest returns word i of SHA-256 over the first n bytes of the generated
 * buffer; exported so tests can check the implementation against a
 * reference. */
u32 digest(u32 n, u32 i) {
	if (n > BUF_MAX)
		n = BUF_MAX;
	u32 s = 0x12345678u;
	for (u32 k = 0; k < n; k++)
		buf[k] = (u8)xorshift32(&s);
	u32 h[8];
	sha256(buf, n, h);
	return h[i & 7];
}

u32 run(u32 n) {
	if (n > BUF_MAX)
		n = BUF_MAX;
	u32 s = 0x12345678u;
	for (u32 k = 0; k < n; k++)
		buf[k] = (u8)xorshift32(&s);
	u32 h[8];
	sha256(buf, n, h);
	u32 acc = 0;
	for (int i = 0; i < 8; i++)
		acc ^= h[i];
	return acc;
}
