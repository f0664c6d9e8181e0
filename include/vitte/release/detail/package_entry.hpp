// vitte/release/detail/package_entry.hpp - one entry of a package as its
// manifest lists it (path, type, mode, size, SHA-256 or link target), and
// one member of an outer container (a .deb's ar members). The readers of
// every package format produce these, so verify_package() compares them
// with the manifest whatever the format.
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_ENTRY_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_ENTRY_HPP

#include <cstdint>
#include <string>

namespace vitte::release::detail {

/// One entry: `type` is "file", "directory" or "symlink" (archive::to_string);
/// `sha256` (lower-case hex) for files, `link` for symlinks.
struct package_entry {
  std::string path, type, sha256, link;
  std::uint32_t mode = 0;
  std::uint64_t size = 0;
  bool operator==(const package_entry&) const = default;
};

/// One member of the container that holds the archive (a .deb's ar).
struct package_member {
  std::string name, sha256;
  std::uint64_t size = 0;
  bool operator==(const package_member&) const = default;
};

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_ENTRY_HPP
