/* matstride: f64 matrix multiply C = A^T B of n x n column-major matrices
 * stored with a leading dimension (LD) larger than n, so the inner loop
 * walks A with a stride of LD doubles; measures strided f64 loads and
 * multiply-add chains. Returns the bits of a weighted sum of C. */
#include "common.h"

#define N_MAX 96u
#define LD 100u
static double A[N_MAX * LD], B[N_MAX * LD], C[N_MAX * LD];

u64 run(u32 n) {
	if (n > N_MAX)
		n = N_MAX;
	for (u32 j = 0; j < n; j++)
		for (u32 i = 0; i < n; i++) {
			A[j * LD + i] = (double)((i * 3u + j * 5u) % 19u) - 9.0;
			B[j * LD + i] = (double)((i * 7u + j * 2u) % 23u) * 0.125;
		}
	for (u32 j = 0; j < n; j++)
		for (u32 i = 0; i < n; i++) {
			double s = 0.0;
			for (u32 k = 0; k < n; k++)
				s += A[k * LD + i] * B[j * LD + k];
			C[j * LD + i] = s;
		}
	double sum = 0.0;
	for (u32 j = 0; j < n; j++)
		for (u32 i = 0; i < n; i++)
			sum += C[j * LD + i] * (double)((i + j) % 5u + 1u);
	union {
		double d;
		u64 u;
	} bits = {sum};
	return bits.u;
}
