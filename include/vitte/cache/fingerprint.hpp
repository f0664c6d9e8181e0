// vitte/cache/fingerprint.hpp - what determines an output, as one SHA-256.
//
//   vitte::cache::hasher h;
//   h.add("cc").add("12.2.0").add("-O2").add(source_digest);  // each field framed
//   vitte::cache::fingerprint key = h.finish();
//   key.hex();                                                // 64 hex digits
//
// Every field is framed (a tag and a length go in before it), so ("ab", "c")
// and ("a", "bc") give different fingerprints, and so do a text and a number
// with the same bytes. Fingerprints are the cache's keys and the content
// digests of files (cache::file_hasher).
#ifndef VITTE_CACHE_FINGERPRINT_HPP
#define VITTE_CACHE_FINGERPRINT_HPP

#include <vitte/base/detail/hex.hpp>  // hex(), parse()
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/crypto/sha256.hpp>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>

namespace vitte::cache {

/// A SHA-256 digest naming content or a step's whole input.
struct fingerprint {
  std::array<std::uint8_t, 32> bytes{};

  /// 64 lowercase hex digits.
  text hex() const {
    text out(64, '0');
    vitte::detail::hex_encode(bytes.data(), bytes.size(), &out[0]);
    return out;
  }
  /// Reads 64 hex digits (either case); false otherwise.
  static bool parse(text_view hex, fingerprint& out) noexcept {
    return hex.size() == 64 && vitte::detail::hex_decode(hex, out.bytes.data());
  }
  bool empty() const noexcept { return *this == fingerprint{}; }
  friend constexpr bool operator==(const fingerprint&, const fingerprint&) noexcept = default;
  // Written out: libc++ before 17 (Apple's, Zig's) has no <=> for std::array.
  friend constexpr std::strong_ordering operator<=>(const fingerprint& a, const fingerprint& b) noexcept {
    for (std::size_t i = 0; i < a.bytes.size(); ++i)
      if (a.bytes[i] != b.bytes[i]) return a.bytes[i] <=> b.bytes[i];
    return std::strong_ordering::equal;
  }
};

/// Builds a fingerprint from framed fields. A value type.
class hasher {
 public:
  hasher& add(text_view s) noexcept { return field(tag_text, s.data(), s.size()); }
  hasher& add(const char* s) noexcept { return add(text_view(s)); }
  hasher& add_bytes(span<const std::byte> b) noexcept { return field(tag_bytes, b.data(), b.size()); }
  hasher& add(std::uint64_t v) noexcept {
    std::uint8_t le[8];
    for (int i = 0; i < 8; ++i) le[i] = static_cast<std::uint8_t>(v >> (8 * i));
    return field(tag_number, le, 8);
  }
  hasher& add(const fingerprint& f) noexcept { return field(tag_digest, f.bytes.data(), f.bytes.size()); }
  /// The fingerprint of everything added; the hasher starts over.
  fingerprint finish() noexcept {
    fingerprint f;
    f.bytes = h_.finish();
    return f;
  }

 private:
  static constexpr std::uint8_t tag_text = 1, tag_bytes = 2, tag_number = 3, tag_digest = 4;
  hasher& field(std::uint8_t tag, const void* p, std::size_t n) noexcept {
    std::uint8_t head[9] = {tag};
    for (int i = 0; i < 8; ++i) head[1 + i] = static_cast<std::uint8_t>(static_cast<std::uint64_t>(n) >> (8 * i));
    h_.update(head, sizeof head);
    h_.update(p, n);
    return *this;
  }
  crypto::sha256 h_;
};

}  // namespace vitte::cache

#endif  // VITTE_CACHE_FINGERPRINT_HPP
