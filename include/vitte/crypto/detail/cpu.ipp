// Definition of vitte::crypto::detail::query_cpu_features (see cpu.hpp):
// cpuid on x86, getauxval(AT_HWCAP) on Linux aarch64, always present on
// Apple's aarch64 (every Apple CPU has the SHA-2 instructions).
#ifndef VITTE_CRYPTO_DETAIL_CPU_IPP
#define VITTE_CRYPTO_DETAIL_CPU_IPP

#include <vitte/crypto/detail/cpu.hpp>

#if VITTE_CRYPTO_HAS_X86_SHA
#include <cpuid.h>  // __get_cpuid, __get_cpuid_count (compiler header)
#endif
#if VITTE_CRYPTO_HAS_ARM_SHA2 && VITTE_OS_LINUX
#include <sys/auxv.h>  // getauxval, AT_HWCAP
#endif

namespace vitte::crypto::detail {

VITTE_DECL cpu_features query_cpu_features() noexcept {
  cpu_features f;
#if VITTE_CRYPTO_HAS_X86_SHA
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (__get_cpuid(1, &a, &b, &c, &d) != 0) {
    const bool ssse3 = (c & (1u << 9)) != 0;
    const bool sse41 = (c & (1u << 19)) != 0;
    unsigned a7 = 0, b7 = 0, c7 = 0, d7 = 0;
    if (ssse3 && sse41 && __get_cpuid_count(7, 0, &a7, &b7, &c7, &d7) != 0) f.x86_sha = (b7 & (1u << 29)) != 0;
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

}  // namespace vitte::crypto::detail

#endif  // VITTE_CRYPTO_DETAIL_CPU_IPP
