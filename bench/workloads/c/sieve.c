/* sieve: sieve of Eratosthenes over a byte array; measures byte loads and
 * stores in tight loops. run(n) counts primes below n (n <= SIEVE_MAX) and
 * folds them into a checksum. */
#include "common.h"

#define SIEVE_MAX (1u << 22)
static u8 composite[SIEVE_MAX];

u32 run(u32 n) {
	if (n > SIEVE_MAX)
		n = SIEVE_MAX;
	for (u32 i = 0; i < n; i++)
		composite[i] = 0;
	u32 count = 0, acc = 2166136261u;
	for (u32 i = 2; i < n; i++) {
		if (composite[i])
			continue;
		count++;
		acc = mix(acc, i);
		for (u32 j = i + i; j < n; j += i)
			composite[j] = 1;
	}
	return mix(acc, count);
}
