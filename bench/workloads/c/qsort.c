/* qsort: recursive quicksort (Hoare partition, median-of-three pivot,
 * insertion sort for short ranges) of n generated 32-bit keys
 * (n <= SORT_MAX); measures data-dependent branches and i32 memory traffic.
 * Returns a position-weighted checksum of the sorted array. */
#include "common.h"

#define SORT_MAX (1u << 20)
static u32 keys[SORT_MAX];

static void insertion(u32 *a, i32 lo, i32 hi) {
	for (i32 i = lo + 1; i <= hi; i++) {
		u32 v = a[i];
		i32 j = i - 1;
		while (j >= lo && a[j] > v) {
			a[j + 1] = a[j];
			j--;
		}
		a[j + 1] = v;
	}
}

static void quicksort(u32 *a, i32 lo, i32 hi) {
	while (hi - lo > 16) {
		i32 mid = lo + (hi - lo) / 2;
		u32 x = a[lo], y = a[mid], z = a[hi];
		u32 pivot = x < y ? (y < z ? y : (x < z ? z : x))
				  : (x < z ? x : (y < z ? z : y));
		i32 i = lo - 1, j = hi + 1;
		for (;;) {
			do
				i++;
			while (a[i] < pivot);
			do
				j--;
			while (a[j] > pivot);
			if (i >= j)
				break;
			u32 t = a[i];
			a[i] = a[j];
			a[j] = t;
		}
		/* recurse into the smaller half, loop on the larger one */
		if (j - lo < hi - j) {
			quicksort(a, lo, j);
			lo = j + 1;
		} else {
			quicksort(a, j + 1, hi);
			hi = j;
		}
	}
	insertion(a, lo, hi);
}

u32 run(u32 n) {
	if (n > SORT_MAX)
		n = SORT_MAX;
	u32 s = 0x9e3779b9u;
	for (u32 i = 0; i < n; i++)
		keys[i] = xorshift32(&s);
	if (n > 1)
		quicksort(keys, 0, (i32)n - 1);
	u32 acc = 2166136261u;
	for (u32 i = 0; i < n; i++)
		acc = mix(acc, keys[i] + i);
	return acc;
}
