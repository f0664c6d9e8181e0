// The cache layer's binary records (index.vitte, cache manifests and
// results): little-endian fields appended to a buffer, and a cursor that
// reads them back with every length checked against what is left. Once a
// read fails the cursor stays failed and remembers the offset, so a parser
// reads a whole record and checks once.
#ifndef VITTE_CACHE_DETAIL_RECORD_HPP
#define VITTE_CACHE_DETAIL_RECORD_HPP

#include <vitte/base/buffer.hpp>
#include <vitte/base/detail/byte_view.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/fingerprint.hpp>
#include <vitte/sys/fs_types.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

namespace vitte::cache::detail {

/// The longest text a record holds (a name, a path): what get_text reads
/// by default, and what writers must refuse beyond.
inline constexpr std::uint32_t max_record_text = 1u << 16;

class record_writer {
 public:
  explicit record_writer(buffer<std::byte>& out) noexcept : out_(out) {}
  template <class T>
  void put(T v) {
    std::byte b[sizeof(T)];
    vitte::detail::store_le(b, static_cast<std::make_unsigned_t<T>>(v));
    out_.append(b, sizeof(T));
  }
  void put_bytes(const void* p, std::size_t n) { out_.append(static_cast<const std::byte*>(p), n); }
  void put_text(text_view s) {
    put(static_cast<std::uint32_t>(s.size()));
    put_bytes(s.data(), s.size());
  }
  void put_digest(const fingerprint& f) { put_bytes(f.bytes.data(), f.bytes.size()); }
  void put_stamp(const sys::file_stamp& s) {
    put(s.device);
    put(s.inode);
    put(s.size);
    put(s.mtime_ns);
    put(s.ctime_ns);
  }
  std::size_t size() const noexcept { return out_.size(); }
  /// Overwrites a u32 written before (a length known only later).
  void patch_u32(std::size_t at, std::uint32_t v) noexcept { vitte::detail::store_le(out_.data() + at, v); }

 private:
  buffer<std::byte>& out_;
};

class record_reader {
 public:
  record_reader(span<const std::byte> bytes, std::uint64_t base = 0) noexcept
      : view_{{bytes.data(), bytes.size()}}, base_(base) {}
  template <class T>
  T get() noexcept {
    T v{};
    if (ok_ && view_.read(pos_, v))
      pos_ += sizeof(T);
    else
      fail();
    return v;
  }
  span<const std::byte> get_bytes(std::uint64_t n) noexcept {
    if (!ok_ || !view_.contains(pos_, n)) {
      fail();
      return {};
    }
    auto s = view_.sub(pos_, n);
    pos_ += n;
    return {s.data(), s.size()};
  }
  /// A length-prefixed text of at most `max` bytes.
  text_view get_text(std::uint32_t max = max_record_text) noexcept {
    const std::uint32_t n = get<std::uint32_t>();
    if (n > max) {
      fail();
      return {};
    }
    auto b = get_bytes(n);
    return {reinterpret_cast<const char*>(b.data()), b.size()};
  }
  fingerprint get_digest() noexcept {
    fingerprint f;
    auto b = get_bytes(f.bytes.size());
    if (ok_) std::memcpy(f.bytes.data(), b.data(), b.size());
    return f;
  }
  sys::file_stamp get_stamp() noexcept {
    sys::file_stamp s;
    s.device = get<std::uint64_t>();
    s.inode = get<std::uint64_t>();
    s.size = get<std::uint64_t>();
    s.mtime_ns = get<std::int64_t>();
    s.ctime_ns = get<std::int64_t>();
    return s;
  }
  /// A count of items each at least `min_item` bytes long: fails when what
  /// is left cannot hold that many (no allocation sized by hostile input).
  std::uint32_t get_count(std::uint32_t min_item) noexcept {
    const std::uint32_t n = get<std::uint32_t>();
    if (ok_ && static_cast<std::uint64_t>(n) * min_item > left()) fail();
    return ok_ ? n : 0;
  }
  bool ok() const noexcept { return ok_; }
  bool at_end() const noexcept { return ok_ && pos_ == view_.size(); }
  std::uint64_t left() const noexcept { return view_.size() - pos_; }
  /// Where reading stopped (or failed), counted from the start of the file.
  std::uint64_t offset() const noexcept { return base_ + pos_; }
  void fail() noexcept { ok_ = false; }

 private:
  vitte::detail::byte_view view_;
  std::uint64_t base_ = 0;
  std::uint64_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace vitte::cache::detail

#endif  // VITTE_CACHE_DETAIL_RECORD_HPP
