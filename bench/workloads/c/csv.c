/* csv: a CSV parser (RFC 4180 quoting: quoted fields, "" escapes, commas
 * inside quotes) over a generated 400-row table of an integer, a quoted
 * name and a decimal amount; measures byte-at-a-time state machines,
 * digit accumulation and short branches. run(n) generates the text once
 * and parses it n times, folding every field into a checksum: a quoted
 * field as the FNV-1a hash of its unescaped bytes, any other as the
 * integer of its digits (the decimal point skipped, negated after '-'). */
#include "common.h"

#define ROWS 400u
#define CAP (32u * 1024u)
static u8 buf[CAP];
static u32 len;

static void put(u8 c) { buf[len++] = c; }

static void putu(u32 v) {
	u8 tmp[10];
	u32 k = 0;
	do {
		tmp[k++] = (u8)('0' + v % 10u);
		v /= 10u;
	} while (v);
	while (k)
		put(tmp[--k]);
}

static void generate(void) {
	static const char header[] = "id,name,amount\n";
	len = 0;
	for (u32 i = 0; header[i]; i++)
		put((u8)header[i]);
	u32 s = 0x5eed1234u;
	for (u32 r = 0; r < ROWS; r++) {
		u32 x = xorshift32(&s);
		if (x & 1u)
			put('-');
		putu((x >> 1) % 100000u);
		put(',');
		put('"');
		u32 m = 3u + xorshift32(&s) % 12u;
		for (u32 k = 0; k < m; k++) {
			u32 y = xorshift32(&s);
			u8 c = (u8)('a' + y % 26u);
			if ((y >> 8) % 13u == 0)
				c = ',';
			if ((y >> 8) % 17u == 0) {
				put('"'); /* escaped quote */
				c = '"';
			}
			put(c);
		}
		put('"');
		put(',');
		u32 z = xorshift32(&s) % 100000u;
		putu(z / 100u);
		put('.');
		put((u8)('0' + (z / 10u) % 10u));
		put((u8)('0' + z % 10u));
		put('\n');
	}
}

static u32 parse(u32 acc) {
	u32 i = 0, rows = 0;
	while (buf[i] != '\n') /* header */
		i++;
	i++;
	while (i < len) {
		for (;;) { /* one field per iteration */
			u32 v;
			u8 c = buf[i];
			if (c == '"') {
				v = 2166136261u;
				i++;
				for (;;) {
					c = buf[i++];
					if (c == '"') {
						if (buf[i] != '"')
							break;
						i++;
					}
					v = (v ^ c) * 16777619u;
				}
				c = buf[i];
			} else {
				u32 neg = 0;
				v = 0;
				if (c == '-') {
					neg = 1;
					c = buf[++i];
				}
				while (c != ',' && c != '\n') {
					if (c != '.')
						v = v * 10u + (u32)(c - '0');
					c = buf[++i];
				}
				if (neg)
					v = 0u - v;
			}
			acc = mix(acc, v);
			i++; /* past ',' or '\n' */
			if (c == '\n')
				break;
		}
		rows++;
	}
	return mix(acc, rows);
}

u32 run(u32 n) {
	generate();
	u32 acc = 2166136261u;
	for (u32 r = 0; r < n; r++)
		acc = parse(acc);
	return acc;
}
