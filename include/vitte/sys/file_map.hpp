// vitte/sys/file_map.hpp - files mapped into memory.
//
//   namespace sys = vitte::sys;
//   auto m = sys::file_map::open("index.bin").value();          // read-only view of the whole file
//   std::span<const std::byte> bytes = m.bytes();
//
//   auto f = sys::file::open("db", sys::open_mode::read | sys::open_mode::write).value();
//   auto w = sys::file_map::map(f, sys::map_mode::read_write, 4096, 8192).value();
//   w.data()[0] = std::byte{1};
//   w.sync().value();                                           // msync / FlushViewOfFile
//
// Offsets need no alignment: the view starts at the granule below and data()
// points at the byte asked for. A mapping stays valid after its file is
// closed. map_mode::copy gives private pages: writes stay in this process.
// The view maps through the file-system backend (mmap, MapViewOfFile) of the
// policy, not through vitte/sys/memory.hpp.
#ifndef VITTE_SYS_FILE_MAP_HPP
#define VITTE_SYS_FILE_MAP_HPP

#include <vitte/base.hpp>
#include <vitte/base/span.hpp>  // bytes()
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/file.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/path.hpp>
#include <vitte/sys/platform.hpp>

#include <cstddef>  // std::byte
#include <cstdint>  // offsets

namespace vitte::sys {

/// A view of part of a file in memory: a move-only owner of the mapping.
/// Thread safety: a value type; the bytes are shared memory (use your own
/// synchronisation for concurrent writers).
template <class P>
class basic_file_map {
  VITTE_REQUIRE_CAPABILITY(P, file_map);

 public:
  using policy = P;

  /// No mapping.
  constexpr basic_file_map() noexcept = default;
  basic_file_map(basic_file_map&& other) noexcept;
  basic_file_map& operator=(basic_file_map&& other) noexcept;
  basic_file_map(const basic_file_map&) = delete;
  basic_file_map& operator=(const basic_file_map&) = delete;
  /// Unmaps; errors are ignored (call unmap() to see them).
  ~basic_file_map() { (void)unmap(); }

  /// Maps `size` bytes of `f` from `offset`; size 0 maps to the end of the
  /// file. The file must be open for reading (and writing for read_write).
  /// An empty range gives an empty map. Errors (map_file): invalid_argument
  /// for a range past the end of the file, permission_denied, no_memory, ...
  static result<basic_file_map> map(const basic_file<P>& f, map_mode mode = map_mode::read, std::uint64_t offset = 0,
                                    std::size_t size = 0) noexcept;
  /// Opens `path` (for reading, and writing with read_write) and maps all of it.
  static result<basic_file_map> open(const path_arg& path, map_mode mode = map_mode::read) noexcept;

  /// The first byte asked for; nullptr when empty.
  std::byte* data() const noexcept { return data_; }
  /// The bytes asked for.
  std::size_t size() const noexcept { return size_; }
  span<std::byte> bytes() const noexcept { return {data_, size_}; }
  bool empty() const noexcept { return size_ == 0; }

  /// Writes the view's dirty pages to the file and waits (msync MS_SYNC,
  /// FlushViewOfFile). Errors (file_sync).
  status sync() noexcept;
  /// Unmaps now. Errors (map_file).
  status unmap() noexcept;

 private:
  std::byte* data_ = nullptr;  // what the caller asked for
  std::size_t size_ = 0;
  void* base_ = nullptr;  // the mapping, aligned down to the granularity
  std::size_t length_ = 0;
};

using file_map = basic_file_map<platform>;

}  // namespace vitte::sys

#include <vitte/sys/impl/file_map.hpp>

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/fs.ipp>  // the backend's definitions
#endif

#endif  // VITTE_SYS_FILE_MAP_HPP
