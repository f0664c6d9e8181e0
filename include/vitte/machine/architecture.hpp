// vitte/machine/architecture.hpp - processor architectures and byte orders.
//
//   using namespace vitte::machine;
//   if (host_architecture == architecture::aarch64) ...
//   std::puts(to_string(host_architecture).data());   // "x86_64"
//
// The codes are the stable VITTE_ARCH_* numbers of <vitte/machine/arch.h>,
// shared with plugin metadata and module containers.
#ifndef VITTE_MACHINE_ARCHITECTURE_HPP
#define VITTE_MACHINE_ARCHITECTURE_HPP

#include <vitte/base/text_view.hpp>  // names
#include <vitte/machine/arch.h>      // the codes, VITTE_HOST_ARCH

#include <cstdint>  // the enumerations' widths

namespace vitte::machine {

/// Processor architectures (the VITTE_ARCH_* codes of <vitte/machine/arch.h>).
enum class architecture : std::uint16_t {
  unknown = VITTE_ARCH_UNKNOWN,
  x86_64 = VITTE_ARCH_X86_64,
  x86 = VITTE_ARCH_X86,
  aarch64 = VITTE_ARCH_AARCH64,
  arm = VITTE_ARCH_ARM,
  riscv64 = VITTE_ARCH_RISCV64,
  riscv32 = VITTE_ARCH_RISCV32,
  ppc64 = VITTE_ARCH_PPC64,
  ppc = VITTE_ARCH_PPC,
  s390x = VITTE_ARCH_S390X,
  mips = VITTE_ARCH_MIPS,
  mips64 = VITTE_ARCH_MIPS64,
  loongarch64 = VITTE_ARCH_LOONGARCH64,
  wasm32 = VITTE_ARCH_WASM32,
  wasm64 = VITTE_ARCH_WASM64,
};

/// The architecture this program runs on.
inline constexpr architecture host_architecture = static_cast<architecture>(VITTE_HOST_ARCH);

/// Byte order of a target's code and data.
enum class byte_order : std::uint8_t { little, big };

/// The byte order of this program.
inline constexpr byte_order host_byte_order =
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    byte_order::big;
#else
    byte_order::little;
#endif

/// "x86_64", "aarch64", ...; "unknown" for an unknown code.
constexpr text_view to_string(architecture a) noexcept {
  switch (a) {
    case architecture::unknown:
      return "unknown";
    case architecture::x86_64:
      return "x86_64";
    case architecture::x86:
      return "x86";
    case architecture::aarch64:
      return "aarch64";
    case architecture::arm:
      return "arm";
    case architecture::riscv64:
      return "riscv64";
    case architecture::riscv32:
      return "riscv32";
    case architecture::ppc64:
      return "ppc64";
    case architecture::ppc:
      return "ppc";
    case architecture::s390x:
      return "s390x";
    case architecture::mips:
      return "mips";
    case architecture::mips64:
      return "mips64";
    case architecture::loongarch64:
      return "loongarch64";
    case architecture::wasm32:
      return "wasm32";
    case architecture::wasm64:
      return "wasm64";
  }
  return "unknown";
}

}  // namespace vitte::machine

#endif  // VITTE_MACHINE_ARCHITECTURE_HPP
