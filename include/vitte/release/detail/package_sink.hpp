// vitte/release/detail/package_sink.hpp - where a package's bytes go as
// they are made: a buffer or an open file, their SHA-256 and size counted
// on the way (archive_sink); and bytes put aside until what goes before
// them is known, an .rpm's payload or a .deb's data.tar.gz (set_aside: in
// memory, or in a scratch file, read back in pieces). Either way the
// bytes are the same: the in-memory archive is the one a file receives.
#ifndef VITTE_RELEASE_DETAIL_PACKAGE_SINK_HPP
#define VITTE_RELEASE_DETAIL_PACKAGE_SINK_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/result.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/sha256.hpp>       // the digest counted on the way
#include <vitte/release/operations.hpp>  // ops::package
#include <vitte/sys/file.hpp>
#include <vitte/sys/temp.hpp>  // scratch files

#include <cstddef>
#include <cstdint>

namespace vitte::release::detail {

/// The most read from a scratch file at once.
inline constexpr std::size_t sink_piece = std::size_t{1} << 20;

/// A buffer or a file that bytes are appended to, digested and counted.
struct archive_sink {
  buffer<std::byte>* memory = nullptr;
  vitte::sys::file* file = nullptr;
  crypto::sha256 hash;
  std::uint64_t size = 0;
  status write(span<const std::byte> data) {
    hash.update(data);
    size += data.size();
    if (memory != nullptr) return memory->append(data.data(), data.size()), status{};
    return file->write(data);
  }
};

/// Bytes written now and read back later, in memory or in a scratch file.
struct set_aside {
  buffer<std::byte> memory;
  vitte::sys::temp_file scratch;
  archive_sink sink;  ///< what to write them to

  /// In memory when `dir` is empty, else in a new scratch file there.
  /// Errors: temp_file::create()'s.
  status open(text_view dir) {
    if (dir.empty()) return sink.memory = &memory, status{};
    result<vitte::sys::temp_file> t = vitte::sys::temp_file::create(dir, ".vitte-scratch-");
    if (!t) return t.error();
    scratch = static_cast<vitte::sys::temp_file&&>(*t);
    sink.file = &scratch.file();
    return {};
  }
  /// Calls `each(piece)` (returning status) over what was written, in
  /// order, in pieces of at most sink_piece bytes. Errors: reading the
  /// scratch file back, or the first `each` returns.
  template <class F>
  status read_back(F&& each) {
    if (sink.memory != nullptr) return each(memory.span());
    if (result<std::uint64_t> at = scratch.file().seek(0); !at) return at.error();
    buffer<std::byte> piece;
    if (!piece.try_resize_for_overwrite(sink_piece)) return vitte::error{errc::no_memory, ops::package};
    for (std::uint64_t left = sink.size; left != 0;) {
      const std::size_t want = left < piece.size() ? static_cast<std::size_t>(left) : piece.size();
      if (status s = scratch.file().read_exact(span<std::byte>(piece.data(), want)); !s) return s;
      if (status s = each(span<const std::byte>(piece.data(), want)); !s) return s;
      left -= want;
    }
    return {};
  }
};

}  // namespace vitte::release::detail

#endif  // VITTE_RELEASE_DETAIL_PACKAGE_SINK_HPP
