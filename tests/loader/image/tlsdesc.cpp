// Thread-local storage through TLS descriptors (-mtls-dialect=gnu2 on
// x86_64 and 32-bit Arm, the default on AArch64), for the in-memory ELF
// loader's tests (tests/loader/test_image.cpp): initialised and zero
// variables, a large block, and floating-point values live across each
// access (the descriptor call must keep every register but its result).
#define TLSDESC_EXPORT extern "C" __attribute__((visibility("default")))

__thread int desc_counter = 7;
__thread double desc_scale = 1.5;
__thread long desc_zero;
__thread char desc_big[100000];

TLSDESC_EXPORT int tlsdesc_bump() {
  desc_zero += 3;
  return ++desc_counter + static_cast<int>(desc_zero);
}

/// Values held in vector registers across the TLS accesses.
TLSDESC_EXPORT double tlsdesc_mix(double a, double b, int n) {
  double x = a * b, y = a + b, z = a - b;
  for (int i = 0; i < n; ++i) {
    desc_big[i % sizeof desc_big] = static_cast<char>(i);
    x += desc_scale;
    y *= 1.0 + desc_scale / 1000.0;
    z -= desc_big[(i * 7) % sizeof desc_big];
  }
  return x + y + z;
}

TLSDESC_EXPORT void* tlsdesc_address() { return &desc_counter; }
