// vitte/release/detail/elf_needs.hpp - what an ELF file in a package needs
// from other packages: its DT_NEEDED libraries, the symbol versions it asks
// of each (.gnu.version_r), its undefined symbols with their versions, and
// what a shared library provides (DT_SONAME). Read with byte_view, bounded:
// a malformed file is "not ELF" to the packager, never a crash.
//
//   elf_needs n;
//   if (elf_read_needs(bytes, n) && !n.needed.empty()) ...  // "libc.so.6", ...
//
// The dependencies made from it: shlib_deps.hpp.
#ifndef VITTE_RELEASE_DETAIL_ELF_NEEDS_HPP
#define VITTE_RELEASE_DETAIL_ELF_NEEDS_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vitte::release::detail {

/// A version an object asks of a library ("libc.so.6", "GLIBC_2.34").
struct elf_version_need {
  std::string file, version;
};

/// An undefined dynamic symbol, with the library and version it is bound
/// to when it has one (`file` empty: unversioned).
struct elf_import {
  std::string name, file, version;
  bool weak = false;
};

struct elf_needs {
  bool is64 = false;
  std::uint16_t machine = 0;               ///< e_machine
  bool executable_or_dso = false;          ///< ET_EXEC or ET_DYN
  bool has_interpreter = false;            ///< PT_INTERP (a program, or a PIE)
  bool gnu_hash_only = false;              ///< DT_GNU_HASH without DT_HASH (rpm's rtld(GNU_HASH))
  std::string soname;                      ///< DT_SONAME, empty when none
  std::vector<std::string> needed;         ///< DT_NEEDED, in order
  std::vector<elf_version_need> versions;  ///< .gnu.version_r, in order
  std::vector<elf_import> imports;
};

/// Reads the dynamic section, version needs and undefined symbols of the
/// ELF file `bytes`. False when it is not an ELF file this reads (or has no
/// dynamic section): a static program or a data file needs nothing.
/// Thread safety: none shared.
VITTE_DECL bool elf_read_needs(span<const std::byte> bytes, elf_needs& out);

}  // namespace vitte::release::detail

#if VITTE_HEADER_ONLY
#include <vitte/release/detail/elf_needs.ipp>
#endif

#endif  // VITTE_RELEASE_DETAIL_ELF_NEEDS_HPP
