/* vitte/machine/arch.h - processor architecture codes, usable from C and C++.
 *
 * The numbers are part of vitte's file formats (plugin metadata, .vitmod
 * manifests): never renumber one. VITTE_HOST_ARCH is the architecture the
 * including translation unit is compiled for. C++ code uses
 * vitte::machine::architecture (<vitte/machine/architecture.hpp>). */
#ifndef VITTE_MACHINE_ARCH_H
#define VITTE_MACHINE_ARCH_H

/** Architecture codes: stable numbers, written into plugin metadata and containers. */
#define VITTE_ARCH_UNKNOWN 0u
#define VITTE_ARCH_X86_64 1u
#define VITTE_ARCH_X86 2u
#define VITTE_ARCH_AARCH64 3u
#define VITTE_ARCH_ARM 4u
#define VITTE_ARCH_RISCV64 5u
#define VITTE_ARCH_RISCV32 6u
#define VITTE_ARCH_PPC64 7u
#define VITTE_ARCH_PPC 8u
#define VITTE_ARCH_S390X 9u
#define VITTE_ARCH_MIPS 10u
#define VITTE_ARCH_MIPS64 11u
#define VITTE_ARCH_LOONGARCH64 12u
#define VITTE_ARCH_WASM32 13u
#define VITTE_ARCH_WASM64 14u

/** The architecture this translation unit is compiled for. */
#if defined(__x86_64__) || defined(_M_X64)
#define VITTE_HOST_ARCH VITTE_ARCH_X86_64
#elif defined(__i386__) || defined(_M_IX86)
#define VITTE_HOST_ARCH VITTE_ARCH_X86
#elif defined(__aarch64__) || defined(_M_ARM64)
#define VITTE_HOST_ARCH VITTE_ARCH_AARCH64
#elif defined(__arm__) || defined(_M_ARM)
#define VITTE_HOST_ARCH VITTE_ARCH_ARM
#elif defined(__riscv) && __riscv_xlen == 64
#define VITTE_HOST_ARCH VITTE_ARCH_RISCV64
#elif defined(__riscv)
#define VITTE_HOST_ARCH VITTE_ARCH_RISCV32
#elif defined(__powerpc64__)
#define VITTE_HOST_ARCH VITTE_ARCH_PPC64
#elif defined(__powerpc__)
#define VITTE_HOST_ARCH VITTE_ARCH_PPC
#elif defined(__s390x__)
#define VITTE_HOST_ARCH VITTE_ARCH_S390X
#elif defined(__mips__) && defined(__mips64)
#define VITTE_HOST_ARCH VITTE_ARCH_MIPS64
#elif defined(__mips__)
#define VITTE_HOST_ARCH VITTE_ARCH_MIPS
#elif defined(__loongarch64)
#define VITTE_HOST_ARCH VITTE_ARCH_LOONGARCH64
#elif defined(__wasm64__)
#define VITTE_HOST_ARCH VITTE_ARCH_WASM64
#elif defined(__wasm32__)
#define VITTE_HOST_ARCH VITTE_ARCH_WASM32
#else
#define VITTE_HOST_ARCH VITTE_ARCH_UNKNOWN
#endif

#endif /* VITTE_MACHINE_ARCH_H */
