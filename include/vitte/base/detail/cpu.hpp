// vitte/base/detail/cpu.hpp - which instructions the CPU has, for the layers
// that pick a kernel at run time (crypto's digests, compress's checksums).
//
// Asked once per process, then cached. x86 reads cpuid (a compiler builtin,
// no OS call); Arm asks the OS (getauxval(AT_HWCAP) on Linux), so that part
// is defined in cpu.ipp like every other OS-facing definition.
#ifndef VITTE_BASE_DETAIL_CPU_HPP
#define VITTE_BASE_DETAIL_CPU_HPP

#include <vitte/base/config.hpp>

// x86 SHA extensions (SHA-NI): GCC and Clang on x86 and x86_64, including
// mingw. Set to 0 to build the portable code only.
#ifndef VITTE_CRYPTO_HAS_X86_SHA
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define VITTE_CRYPTO_HAS_X86_SHA 1
#else
#define VITTE_CRYPTO_HAS_X86_SHA 0
#endif
#endif

// ARMv8 SHA-256 instructions on aarch64: GCC enables them per function
// (target("+crypto")); Clang 14 only when the whole build targets them.
// AVX2 and BMI2 (and AVX-512VL when present) on x86_64, for SHA-512's
// message schedule and rotations: GCC and Clang enable them per function
// (target("avx2,bmi2")). Not with GCC on Windows, which does not align
// 32-byte stack slots there. Set to 0 to build the portable SHA-512 only.
#ifndef VITTE_CRYPTO_HAS_X86_AVX2
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && !(defined(_WIN32) && !defined(__clang__))
#define VITTE_CRYPTO_HAS_X86_AVX2 1
#else
#define VITTE_CRYPTO_HAS_X86_AVX2 0
#endif
#endif

#ifndef VITTE_CRYPTO_HAS_ARM_SHA2
#if defined(__aarch64__) && \
    ((defined(__GNUC__) && !defined(__clang__)) || defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO))
#define VITTE_CRYPTO_HAS_ARM_SHA2 1
#else
#define VITTE_CRYPTO_HAS_ARM_SHA2 0
#endif
#endif

// Carry-less multiplication for CRC folding: PCLMULQDQ with SSE4.1 on x86
// (GCC and Clang enable them per function; also the guard of SSSE3 for
// Adler-32, and VPCLMULQDQ where VITTE_CRYPTO_HAS_X86_AVX2 is set). Set to 0
// to build the table-driven CRC-32 and the scalar Adler-32 only.
#ifndef VITTE_HAS_X86_CLMUL
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__))
#define VITTE_HAS_X86_CLMUL 1
#else
#define VITTE_HAS_X86_CLMUL 0
#endif
#endif

// On aarch64: PMULL (carry-less multiplication, with the AES instructions)
// and the CRC32 instructions, each enabled per function by GCC
// (target("+crypto"), target("+crc")) and by Clang 14 only when the whole
// build targets them; Advanced SIMD (NEON) is always there. Set to 0 to
// build the table-driven CRC-32 or the scalar Adler-32 only.
#ifndef VITTE_HAS_ARM_PMULL
#if defined(__aarch64__) && \
    ((defined(__GNUC__) && !defined(__clang__)) || defined(__ARM_FEATURE_AES) || defined(__ARM_FEATURE_CRYPTO))
#define VITTE_HAS_ARM_PMULL 1
#else
#define VITTE_HAS_ARM_PMULL 0
#endif
#endif

#ifndef VITTE_HAS_ARM_CRC32
#if defined(__aarch64__) && ((defined(__GNUC__) && !defined(__clang__)) || defined(__ARM_FEATURE_CRC32))
#define VITTE_HAS_ARM_CRC32 1
#else
#define VITTE_HAS_ARM_CRC32 0
#endif
#endif

#ifndef VITTE_HAS_ARM_NEON
#if defined(__aarch64__) && (defined(__GNUC__) || defined(__clang__))
#define VITTE_HAS_ARM_NEON 1
#else
#define VITTE_HAS_ARM_NEON 0
#endif
#endif

namespace vitte::detail {

/// Instructions of the CPU we run on that a kernel may need.
struct cpu_features {
  bool x86_sha = false;       ///< SHA-NI with SSSE3 and SSE4.1.
  bool x86_avx2 = false;      ///< AVX2 and BMI2, with the OS saving the YMM registers.
  bool x86_avx512vl = false;  ///< x86_avx2 and AVX-512F/VL, with the OS saving the AVX-512 state.
  bool arm_sha2 = false;      ///< ARMv8 SHA256H/SHA256H2/SHA256SU0/SHA256SU1.
  bool x86_clmul = false;     ///< PCLMULQDQ with SSE4.1.
  bool x86_ssse3 = false;     ///< SSSE3.
  bool x86_vpclmul = false;   ///< x86_clmul, x86_avx2 and VPCLMULQDQ (carry-less multiplication on YMM and ZMM).
  bool arm_pmull = false;     ///< ARMv8 PMULL/PMULL2 on 64-bit lanes.
  bool arm_crc32 = false;     ///< ARMv8 CRC32B/H/W/X.
};

/// Asks the CPU (and on Arm the OS). Not cached: use cpu().
VITTE_DECL cpu_features query_cpu_features() noexcept;

/// The cached answer (tests call the portable functions directly to compare).
inline const cpu_features& cpu() noexcept {
  static const cpu_features features = query_cpu_features();
  return features;
}

}  // namespace vitte::detail

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/cpu.ipp>
#endif

#endif  // VITTE_BASE_DETAIL_CPU_HPP
