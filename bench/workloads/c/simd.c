/* simd: 128-bit SIMD kernels written with wasm_simd128.h intrinsics.
 * run(n) makes n passes over a 16 KiB array of i32 lanes, mixing each
 * vector with multiplies, shifts, xors and a lane shuffle, then reduces an
 * f32x4 dot product; measures v128 load/store and lane-wise arithmetic. */
#include "common.h"
#include <wasm_simd128.h>

#define LANES 4096u /* i32 elements */
static i32 data[LANES];
static float fa[LANES], fb[LANES];

u32 run(u32 n) {
	u32 s = 0x51d0f00du;
	for (u32 i = 0; i < LANES; i++) {
		data[i] = (i32)xorshift32(&s);
		fa[i] = (float)(i % 97) * 0.125f;
		fb[i] = (float)(i % 89) * 0.0625f;
	}
	v128_t acc = wasm_i32x4_splat(0x01234567);
	const v128_t k = wasm_i32x4_make(0x9e3779b1, 0x85ebca77, 0xc2b2ae3d,
					 0x27d4eb2f);
	for (u32 r = 0; r < n; r++) {
		for (u32 i = 0; i < LANES; i += 4) {
			v128_t v = wasm_v128_load(&data[i]);
			v = wasm_i32x4_mul(v, k);
			v = wasm_v128_xor(v, wasm_u32x4_shr(v, 15));
			v = wasm_i32x4_add(v, acc);
			wasm_v128_store(&data[i], v);
			acc = wasm_v128_xor(acc, wasm_i32x4_shuffle(v, v, 1, 2, 3, 0));
		}
	}
	v128_t dot = wasm_f32x4_splat(0.0f);
	for (u32 i = 0; i < LANES; i += 4) {
		v128_t a = wasm_v128_load(&fa[i]);
		v128_t b = wasm_v128_load(&fb[i]);
		dot = wasm_f32x4_add(dot, wasm_f32x4_mul(a, b));
	}
	float d = wasm_f32x4_extract_lane(dot, 0) + wasm_f32x4_extract_lane(dot, 1) +
		  wasm_f32x4_extract_lane(dot, 2) + wasm_f32x4_extract_lane(dot, 3);
	u32 out = (u32)wasm_i32x4_extract_lane(acc, 0) ^
		  (u32)wasm_i32x4_extract_lane(acc, 1) ^
		  (u32)wasm_i32x4_extract_lane(acc, 2) ^
		  (u32)wasm_i32x4_extract_lane(acc, 3);
	return mix(out, (u32)d);
}
