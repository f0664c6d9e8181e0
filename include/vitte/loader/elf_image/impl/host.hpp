// Whether this build can load in-memory ELF images: an ELF Linux host on
// x86_64, AArch64, RISC-V 64 or 32-bit Arm with hard float (the architectures whose
// relocation rules reloc_*.hpp define). Elsewhere image::load reports
// not_supported and none of the loader's machinery is compiled.
#ifndef VITTE_LOADER_ELF_IMAGE_IMPL_HOST_HPP
#define VITTE_LOADER_ELF_IMAGE_IMPL_HOST_HPP

#include <vitte/base/config.hpp>

#if VITTE_OS_LINUX && defined(__ELF__) &&                                                       \
    (defined(__x86_64__) || defined(__aarch64__) || (defined(__riscv) && __riscv_xlen == 64) || \
     (defined(__arm__) && defined(__ARM_EABI__) && defined(__ARM_PCS_VFP)))
#define VITTE_IMAGE_HOST 1
#else
#define VITTE_IMAGE_HOST 0
#endif

#endif  // VITTE_LOADER_ELF_IMAGE_IMPL_HOST_HPP
