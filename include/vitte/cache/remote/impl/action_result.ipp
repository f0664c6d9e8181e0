// vitte/cache/remote/impl/action_result.ipp - the bodies of
// vitte/cache/remote/action_result.hpp: protobuf written and read by hand.
#ifndef VITTE_CACHE_REMOTE_IMPL_ACTION_RESULT_IPP
#define VITTE_CACHE_REMOTE_IMPL_ACTION_RESULT_IPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/bytes.hpp>  // bytes_of
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/cache/operations.hpp>
#include <vitte/cache/remote/action_result.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::cache {

namespace detail {

VITTE_DECL void put_varint(buffer<std::byte>& b, std::uint64_t v) {
  while (v >= 0x80) {
    b.push_back(static_cast<std::byte>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  b.push_back(static_cast<std::byte>(v));
}

VITTE_DECL void put_length_delimited(buffer<std::byte>& b, unsigned field, span<const std::byte> v) {
  put_varint(b, std::uint64_t{field} << 3 | 2);
  put_varint(b, v.size());
  b.append(v.data(), v.size());
}

// A protobuf reader over one message: next() yields (field, wire type,
// value or bytes) until the end; false on malformed input.
class proto_reader {
 public:
  explicit proto_reader(span<const std::byte> b) noexcept : b_(b) {}
  bool at_end() const noexcept { return at_ == b_.size(); }
  bool varint(std::uint64_t& v) noexcept {
    v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      if (at_ == b_.size()) return false;
      const auto c = static_cast<std::uint8_t>(b_[at_++]);
      v |= std::uint64_t{c & 0x7fu} << shift;
      if ((c & 0x80) == 0) return true;
    }
    return false;
  }
  // One field: its number, and its value (varint) or bytes (length-delimited).
  bool next(std::uint32_t& field, std::uint64_t& value, span<const std::byte>& bytes) noexcept {
    std::uint64_t key = 0;
    if (!varint(key) || (key >> 3) == 0 || (key >> 3) > 0x1fffffff) return false;
    field = static_cast<std::uint32_t>(key >> 3);
    switch (key & 7) {
      case 0:
        return varint(value);
      case 1:
        return skip(8);
      case 5:
        return skip(4);
      case 2: {
        std::uint64_t n = 0;
        if (!varint(n) || n > b_.size() - at_) return false;
        bytes = b_.subspan(at_, static_cast<std::size_t>(n));
        at_ += static_cast<std::size_t>(n);
        return true;
      }
      default:
        return false;  // groups (3, 4) and 6, 7 do not occur here
    }
  }

 private:
  bool skip(std::size_t n) noexcept {
    if (n > b_.size() - at_) return false;
    at_ += n;
    return true;
  }
  span<const std::byte> b_;
  std::size_t at_ = 0;
};

}  // namespace detail

VITTE_DECL buffer<std::byte> encode_action_result(text_view path, text_view hash, std::uint64_t size) {
  buffer<std::byte> digest;
  detail::put_length_delimited(digest, 1, vitte::detail::bytes_of(hash));
  detail::put_varint(digest, std::uint64_t{2} << 3 | 0);
  detail::put_varint(digest, size);
  buffer<std::byte> file;
  detail::put_length_delimited(file, 1, vitte::detail::bytes_of(path));
  detail::put_length_delimited(file, 2, digest.span());
  buffer<std::byte> out;
  detail::put_length_delimited(out, 2, file.span());
  return out;
}

VITTE_DECL result<blob_ref> decode_action_result(span<const std::byte> bytes) {
  const error bad{errc::malformed, ops::remote_decode};
  if (bytes.size() > (1u << 20)) return error{errc::limit_exceeded, ops::remote_decode};
  detail::proto_reader r(bytes);
  std::uint32_t field = 0;
  std::uint64_t value = 0;
  span<const std::byte> inner;
  while (!r.at_end()) {
    inner = {};
    if (!r.next(field, value, inner)) return bad;
    if (field != 2 || inner.data() == nullptr) continue;  // not output_files
    blob_ref ref;
    bool has_digest = false;
    detail::proto_reader f(inner);
    while (!f.at_end()) {
      span<const std::byte> v;
      if (!f.next(field, value, v)) return bad;
      if (field == 1 && v.data() != nullptr) ref.path = text_view(reinterpret_cast<const char*>(v.data()), v.size());
      if (field != 2 || v.data() == nullptr) continue;
      detail::proto_reader d(v);
      while (!d.at_end()) {
        span<const std::byte> h;
        if (!d.next(field, value, h)) return bad;
        if (field == 1 && h.data() != nullptr) ref.hash = text_view(reinterpret_cast<const char*>(h.data()), h.size());
        if (field == 2 && h.data() == nullptr) ref.size = value;
      }
      has_digest = true;
    }
    if (!has_digest || ref.hash.size() != 64) return bad;
    for (char c : text_view(ref.hash))
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return bad;
    return ref;
  }
  return bad;
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_REMOTE_IMPL_ACTION_RESULT_IPP
