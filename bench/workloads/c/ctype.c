/* ctype: byte-at-a-time character classification over a 16 KiB text
 * buffer (digits, letters, upper case, blanks, punctuation, words, lines);
 * measures byte loads and short data-dependent branch chains. run(n) makes
 * n passes, flipping one byte between passes so that each differs. */
#include "common.h"

#define TEXT (16u * 1024u)
static u8 text[TEXT];

static void init(void) {
	u32 s = 0x7e57ab1eu;
	for (u32 i = 0; i < TEXT; i++) {
		u32 r = xorshift32(&s);
		u8 c = (u8)(32u + r % 95u);
		if ((r >> 8) % 11u == 0)
			c = '\n';
		if ((r >> 12) % 5u == 0)
			c = ' ';
		text[i] = c;
	}
}

u32 run(u32 n) {
	init();
	u32 acc = 2166136261u;
	for (u32 r = 0; r < n; r++) {
		u32 digits = 0, alpha = 0, upper = 0, blank = 0, punct = 0;
		u32 words = 0, lines = 0, inword = 0;
		for (u32 i = 0; i < TEXT; i++) {
			u8 c = text[i];
			if (c >= '0' && c <= '9') {
				digits++;
			} else if ((u8)((c | 32u) - 'a') < 26u) {
				alpha++;
				if (c <= 'Z')
					upper++;
			} else if (c == ' ' || c == '\n' || c == '\t') {
				blank++;
				if (c == '\n')
					lines++;
			} else {
				punct++;
			}
			u32 w = c > ' ';
			words += w & (inword ^ 1u);
			inword = w;
		}
		acc = mix(acc, digits);
		acc = mix(acc, alpha);
		acc = mix(acc, upper);
		acc = mix(acc, blank);
		acc = mix(acc, punct);
		acc = mix(acc, words);
		acc = mix(acc, lines);
		text[(r * 7919u) % TEXT] ^= 1u;
	}
	return acc;
}
