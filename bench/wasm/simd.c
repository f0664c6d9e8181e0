/* bench/wasm/simd.c - a SIMD workload for bench_wasm, written with
 * wasm_simd128.h and compiled with clang --target=wasm32 -msimd128:
 *   - saxpy with a clamp (f32x4 mul, add, min, max),
 *   - sum of absolute differences of bytes (u8x16 saturating sub, or,
 *     pairwise widening adds),
 *   - a 16-bit dot product (i32x4.dot_i16x8_s),
 *   - a byte classification (u8x16 compare, bitmask, swizzle, shuffle).
 * `run` returns a checksum of all four, the same on every call. */
#include <stdint.h>
#include <wasm_simd128.h>

#define N 4096
#define ROUNDS 16

static float xs[N], ys[N];
static uint8_t img[N], ref[N];
static int16_t a16[N], b16[N];
static int ready;

static uint32_t seed = 12345;
static uint32_t rnd(void) {
  seed ^= seed << 13;
  seed ^= seed >> 17;
  seed ^= seed << 5;
  return seed;
}

static void init(void) {
  for (int i = 0; i < N; ++i) {
    xs[i] = (float)(rnd() % 1000) / 100.0f;
    img[i] = (uint8_t)rnd();
    ref[i] = (uint8_t)rnd();
    a16[i] = (int16_t)(rnd() & 0x3fff);
    b16[i] = (int16_t)(rnd() & 0x3fff) - 0x2000;
  }
  ready = 1;
}

__attribute__((export_name("run"))) uint64_t run(void) {
  if (!ready) init();
  for (int i = 0; i < N; ++i) ys[i] = 0.5f;
  uint64_t sum = 0;
  const v128_t k = wasm_f32x4_splat(1.0001f), lo = wasm_f32x4_splat(-1e4f), hi = wasm_f32x4_splat(1e4f);
  const v128_t digits = wasm_i8x16_make(7, 3, 11, 5, 2, 13, 1, 9, 4, 15, 0, 8, 6, 12, 10, 14);
  for (int round = 0; round < ROUNDS; ++round) {
    for (int i = 0; i < N; i += 4) {
      v128_t x = wasm_v128_load(xs + i), y = wasm_v128_load(ys + i);
      y = wasm_f32x4_add(wasm_f32x4_mul(k, x), y);
      wasm_v128_store(ys + i, wasm_f32x4_min(wasm_f32x4_max(y, lo), hi));
    }
    v128_t sad = wasm_i32x4_splat(0);
    for (int i = 0; i < N; i += 16) {
      v128_t a = wasm_v128_load(img + i), b = wasm_v128_load(ref + i);
      v128_t d = wasm_v128_or(wasm_u8x16_sub_sat(a, b), wasm_u8x16_sub_sat(b, a));
      sad = wasm_i32x4_add(sad, wasm_u32x4_extadd_pairwise_u16x8(wasm_u16x8_extadd_pairwise_u8x16(d)));
    }
    v128_t dot = wasm_i32x4_splat(0);
    for (int i = 0; i < N; i += 8)
      dot = wasm_i32x4_add(dot, wasm_i32x4_dot_i16x8(wasm_v128_load(a16 + i), wasm_v128_load(b16 + i)));
    uint32_t bright = 0;
    v128_t mix = wasm_i32x4_splat(0);
    for (int i = 0; i < N; i += 16) {
      v128_t a = wasm_v128_load(img + i);
      bright += (uint32_t)__builtin_popcount(wasm_i8x16_bitmask(wasm_u8x16_gt(a, wasm_u8x16_splat(200))));
      v128_t t = wasm_i8x16_swizzle(digits, wasm_v128_and(a, wasm_u8x16_splat(15)));
      mix = wasm_v128_xor(mix, wasm_i8x16_shuffle(t, a, 0, 17, 2, 19, 4, 21, 6, 23, 8, 25, 10, 27, 12, 29, 14, 31));
    }
    sum += (uint64_t)(uint32_t)(wasm_i32x4_extract_lane(sad, 0) + wasm_i32x4_extract_lane(sad, 3));
    sum += (uint64_t)(uint32_t)(wasm_i32x4_extract_lane(dot, 1) ^ wasm_i32x4_extract_lane(dot, 2));
    sum += bright + (uint64_t)(uint32_t)(wasm_i32x4_extract_lane(mix, 0) ^ wasm_i32x4_extract_lane(mix, 3));
  }
  for (int i = 0; i < N; i += 64) sum += (uint64_t)(int64_t)ys[i];
  return sum;
}
