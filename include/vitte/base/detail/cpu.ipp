// Definition of vitte::detail::query_cpu_features (see cpu.hpp):
// cpuid (and XCR0 for AVX) on x86, getauxval(AT_HWCAP) on Linux aarch64, always present on
// Apple's aarch64 (every Apple CPU has the SHA-2, PMULL and CRC32 instructions).
#ifndef VITTE_BASE_DETAIL_CPU_IPP
#define VITTE_BASE_DETAIL_CPU_IPP

#include <vitte/base/detail/cpu.hpp>

#if VITTE_CRYPTO_HAS_X86_SHA || VITTE_CRYPTO_HAS_X86_AVX2 || VITTE_HAS_X86_CLMUL
#include <cpuid.h>  // __get_cpuid, __get_cpuid_count (compiler header)
#endif
#define VITTE_CPU_ASKS_ARM (VITTE_CRYPTO_HAS_ARM_SHA2 || VITTE_HAS_ARM_PMULL || VITTE_HAS_ARM_CRC32)
#if VITTE_CPU_ASKS_ARM && VITTE_OS_LINUX
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
    f.x86_ssse3 = VITTE_HAS_X86_CLMUL && ssse3;
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
      f.x86_vpclmul = f.x86_avx2 && f.x86_clmul && (c7 & (1u << 10)) != 0;  // leaf 7 ECX bit 10: VPCLMULQDQ
    }
#endif
  }
#endif
#if VITTE_CPU_ASKS_ARM
#if VITTE_OS_LINUX
  // HWCAP_PMULL, HWCAP_SHA2 and HWCAP_CRC32 in <asm/hwcap.h>.
  constexpr unsigned long hwcap_pmull = 1ul << 4, hwcap_sha2 = 1ul << 6, hwcap_crc32 = 1ul << 7;
  const unsigned long hwcap = getauxval(AT_HWCAP);
  f.arm_sha2 = VITTE_CRYPTO_HAS_ARM_SHA2 && (hwcap & hwcap_sha2) != 0;
  f.arm_pmull = VITTE_HAS_ARM_PMULL && (hwcap & hwcap_pmull) != 0;
  f.arm_crc32 = VITTE_HAS_ARM_CRC32 && (hwcap & hwcap_crc32) != 0;
#elif VITTE_OS_DARWIN
  f.arm_sha2 = VITTE_CRYPTO_HAS_ARM_SHA2;  // every Apple CPU has them
  f.arm_pmull = VITTE_HAS_ARM_PMULL;
  f.arm_crc32 = VITTE_HAS_ARM_CRC32;
#else
  // Elsewhere only what the build targets (then the CPU has it).
#if defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO)
  f.arm_sha2 = VITTE_CRYPTO_HAS_ARM_SHA2;
#endif
#if defined(__ARM_FEATURE_AES) || defined(__ARM_FEATURE_CRYPTO)
  f.arm_pmull = VITTE_HAS_ARM_PMULL;
#endif
#if defined(__ARM_FEATURE_CRC32)
  f.arm_crc32 = VITTE_HAS_ARM_CRC32;
#endif
#endif
#endif
  return f;
}

}  // namespace vitte::detail

#undef VITTE_CPU_ASKS_ARM

#endif  // VITTE_BASE_DETAIL_CPU_IPP
