// fuzz/release_refusal.hpp - what a refusal by one of the package readers
// (vitte/release/detail/: rpm, cpio, msi, cfb, cab, xar, Bom, .pkg, OpenPGP)
// promises, checked the same way by each of their fuzzers: the diagnostic
// the reader filled where it found the fault has the kind its header
// documents (malformed, and for some readers limit_exceeded or
// not_supported), a message, and a byte offset inside the input.
#ifndef VITTE_FUZZ_RELEASE_REFUSAL_HPP
#define VITTE_FUZZ_RELEASE_REFUSAL_HPP

#include <vitte/base/diagnostic.hpp>

#include <cstddef>
#include <cstdlib>
#include <initializer_list>

namespace release_fuzz {

/// Aborts unless `why` is a refusal as promised: one of `kinds`, a
/// message, an offset no larger than `size` (the input's length).
inline void check_refusal(const vitte::diagnostic& why, std::size_t size,
                          std::initializer_list<vitte::errc> kinds = {vitte::errc::malformed}) {
  bool documented = false;
  for (const vitte::errc k : kinds) documented = documented || why.kind() == k;
  if (!documented || why.message().empty() || !why.has_offset() || why.offset() > size) std::abort();
}

}  // namespace release_fuzz

#endif  // VITTE_FUZZ_RELEASE_REFUSAL_HPP
