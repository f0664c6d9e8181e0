// Definition of vitte::detail::query_cpu_features (see cpu.hpp):
// cpuid (and XCR0 for AVX) on x86, getauxval(AT_HWCAP) on Linux aarch64, always present on
// Apple's aarch64 (every Apple CPU has the SHA-2 instructions).
#ifndef VITTE_BASE_DETAIL_CPU_IPP
#define VITTE_BASE_DETAIL_CPU_IPP

#include <vitte/base/detail/cpu.hpp>

#if VITTE_CRYPTO_HAS_X86_SHA || VITTE_CRYPTO_HAS_X86_AVX2 || VITTE_HAS_X86_CLMUL
#include <cpuid.h>  // __get_cpuid, __get_cpuid_count (compiler header)
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2 && VITTE_OS_LINUX
#include <sys/auxv.h>  // getauxval, AT_HWCAP
#endif

namespace vitte::detail {

VITTE_DECL cpu_features query_cpu_features() noexcept {
  cpu_features f;
#if VITTE_CRYPTO_HAS_X86_SHA || VITTE_CRYPTO_HAS_X86_AVX2 || VITTE_HAS_X86_CLMUL
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) != 0) {
    const bool ssse3 = (c & (1u << 9)) != 0;
    const bool sse41 = (c & (1u << 19)) != 0;
    f.x86_clmul = VITTE_HAS_X86_CLMUL && sse41 && (c & (1u << 1)) != 0;  // leaf 1 ECX bit 1: PCLMULQDQ
    unsigned a7 = 0, b7 = 0, c7 = 0, d7 = 0;
    const bool leaf7 = __get_cpuid_count(7, 0, &a7, &b7, &c7, &d7) != 0;
    f.x86_sha = VITTE_CRYPTO_HAS_X86_SHA && ssse3 && sse41 && leaf7 && (b7 & (1u << 29)) != 0;
#if VITTE_CRYPTO_HAS_X86_AVX2
    // AVX2 (leaf 7 EBX bit 5) and BMI2 (bit 8) are usable only when the OS
    // saves the YMM registers: OSXSAVE (leaf 1 ECX bit 27), then XCR0 has
    // the SSE and AVX state bits (1 and 2).
    const bool osxsave = (c & (1u << 27)) != 0;
    if (leaf7 && osxsave && (b7 & (1u << 5)) != 0 && (b7 & (1u << 8)) != 0) {
      unsigned xcr0_low = 0, xcr0_high = 0;
      __asm__("xgetbv" : "=a"(xcr0_low), "=d"(xcr0_high) : "c"(0));
      f.x86_avx2 = (xcr0_low & 6u) == 6u;
      // AVX-512F (bit 16) and VL (bit 31); XCR0 bits 5 to 7: opmask and ZMM state.
      f.x86_avx512vl = f.x86_avx2 && (b7 & (1u << 16)) != 0 && (b7 & (1u << 31)) != 0 && (xcr0_low & 0xe0u) == 0xe0u;
    }
#endif
  }
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2
#if VITTE_OS_LINUX
  constexpr unsigned long hwcap_sha2 = 1ul << 6;  // HWCAP_SHA2 in <asm/hwcap.h>
  f.arm_sha2 = (getauxval(AT_HWCAP) & hwcap_sha2) != 0;
#elif VITTE_OS_DARWIN
  f.arm_sha2 = true;
#elif defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
  f.arm_sha2 = true;  // the build targets them: the CPU has them
#endif
#endif
  return f;
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_CPU_IPP
