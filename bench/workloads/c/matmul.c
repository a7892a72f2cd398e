/* matmul: naive f64 matrix multiply C = A*B of n x n matrices (n <= 128);
 * measures f64 loads, multiply-add chains and address arithmetic.
 * Returns the bit pattern of a weighted sum of C as an i64 checksum. */
#include "common.h"

#define MAT_MAX 128
static double A[MAT_MAX * MAT_MAX], B[MAT_MAX * MAT_MAX], C[MAT_MAX * MAT_MAX];

u64 run(u32 n) {
	if (n > MAT_MAX)
		n = MAT_MAX;
	for (u32 i = 0; i < n; i++)
		for (u32 j = 0; j < n; j++) {
			A[i * n + j] = (double)((i * 7 + j * 3) % 17) - 8.0;
			B[i * n + j] = (double)((i * 5 + j * 11) % 13) * 0.25;
		}
	for (u32 i = 0; i < n; i++)
		for (u32 j = 0; j < n; j++) {
			double s = 0.0;
			for (u32 k = 0; k < n; k++)
				s += A[i * n + k] * B[k * n + j];
			C[i * n + j] = s;
		}
	double sum = 0.0;
	for (u32 i = 0; i < n * n; i++)
		sum += C[i] * (double)(i % 7 + 1);
	union {
		double d;
		u64 u;
	} bits = {sum};
	return bits.u;
}
