// vitte/wasm/impl/reader.ipp - bounded reads of the binary format: bytes,
// LEB128 integers, names; every failure is an error with its offset
// (refusal), which the caller's vitte::diagnostic carries.
#ifndef VITTE_WASM_IMPL_READER_IPP
#define VITTE_WASM_IMPL_READER_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/detail/endian.hpp>
#include <vitte/base/detail/utf8.hpp>
#include <vitte/base/diagnostic.hpp>
#include <vitte/base/error.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/wasm/module.hpp>
#include <vitte/wasm/operations.hpp>

#include <cstdarg>
#include <cstdint>
#include <cstdio>
#include <cstring>

// printf-style checking of the refusal texts. MinGW checks `printf` against
// Microsoft's runtime, which lacks %zu; its C++ runtime uses the GNU one.
#if VITTE_OS_WINDOWS && defined(__GNUC__) && !defined(__clang__)
#define VITTE_WASM_PRINTF(f, a) __attribute__((format(gnu_printf, f, a)))
#elif defined(__GNUC__)
#define VITTE_WASM_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define VITTE_WASM_PRINTF(f, a)
#endif

namespace vitte::wasm::detail {

/// Records the first refusal: kind, operation, offset and text (the
/// offset as the diagnostic's position, not in its text).
struct refusal {
  vitte::diagnostic* why = nullptr;
  vitte::error err;

  VITTE_WASM_PRINTF(5, 6)
  vitte::error fail(errc kind, operation op, std::size_t offset, const char* fmt, ...) {
    if (err) return err;
    err = vitte::error{kind, op};
    if (why != nullptr) {
      char buf[vitte::diagnostic::message_capacity + 1];
      va_list ap;
      va_start(ap, fmt);
      std::vsnprintf(buf, sizeof buf, fmt, ap);
      va_end(ap);
      why->clear();
      why->of(kind).at(offset).say(buf);
    }
    return err;
  }
};

// Every read sets its `out` on every path, failures too (to 0 or what was
// read): callers test the bool, and GCC 12 at -O3 otherwise warns of their
// later reads (-Wmaybe-uninitialized).
/// A cursor over [begin, end) of a byte array that started at `base`.
class reader {
 public:
  reader(const std::uint8_t* base, std::size_t begin, std::size_t end, refusal& r) noexcept
      : base_(base), pos_(begin), end_(end), r_(r) {}

  std::size_t pos() const noexcept { return pos_; }
  std::size_t end() const noexcept { return end_; }
  bool at_end() const noexcept { return pos_ >= end_; }
  bool failed() const noexcept { return static_cast<bool>(r_.err); }
  refusal& refusals() noexcept { return r_; }
  const std::uint8_t* base() const noexcept { return base_; }

  bool byte(std::uint8_t& out, const char* what) {
    if (pos_ >= end_) {
      out = 0;
      return eof(what);
    }
    out = base_[pos_++];
    return true;
  }
  bool skip(std::size_t n, const char* what) {
    if (n > end_ - pos_) return eof(what);
    pos_ += n;
    return true;
  }
  bool u32(std::uint32_t& out, const char* what) {
    if (pos_ < end_ && base_[pos_] < 0x80) {  // one byte: most indices and counts
      out = base_[pos_++];
      return true;
    }
    std::uint64_t v = 0;
    const bool ok = leb(v, 32, false, what);
    out = static_cast<std::uint32_t>(v);
    return ok;
  }
  bool s32(std::int32_t& out, const char* what) {
    if (pos_ < end_ && base_[pos_] < 0x80) {  // one byte: -64..63
      const std::uint8_t b = base_[pos_++];
      out = (b & 0x40) ? static_cast<std::int32_t>(b) - 0x80 : static_cast<std::int32_t>(b);
      return true;
    }
    std::uint64_t v = 0;
    const bool ok = leb(v, 32, true, what);
    out = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
    return ok;
  }
  bool s33(std::int64_t& out, const char* what) {
    std::uint64_t v = 0;
    const bool ok = leb(v, 33, true, what);
    out = static_cast<std::int64_t>(v);
    return ok;
  }
  bool s64(std::int64_t& out, const char* what) {
    std::uint64_t v = 0;
    const bool ok = leb(v, 64, true, what);
    out = static_cast<std::int64_t>(v);
    return ok;
  }
  bool fixed32(std::uint32_t& out, const char* what) {
    if (end_ - pos_ < 4) {
      out = 0;
      return eof(what);
    }
    out = vitte::detail::load_le<std::uint32_t>(base_ + pos_);
    pos_ += 4;
    return true;
  }
  bool fixed64(std::uint64_t& out, const char* what) {
    if (end_ - pos_ < 8) {
      out = 0;
      return eof(what);
    }
    out = vitte::detail::load_le<std::uint64_t>(base_ + pos_);
    pos_ += 8;
    return true;
  }
  /// A length-prefixed UTF-8 name.
  bool name(text& out, const char* what) {
    std::uint32_t n;
    if (!u32(n, what)) return false;
    std::size_t at = pos_;
    if (n > end_ - pos_) return eof(what);
    if (!vitte::detail::valid_utf8({reinterpret_cast<const char*>(base_ + pos_), n}))
      return malformed(at, "malformed UTF-8 encoding in %s", what);
    out = text(reinterpret_cast<const char*>(base_ + pos_), n);
    pos_ += n;
    return true;
  }

  VITTE_WASM_PRINTF(3, 4)
  bool malformed(std::size_t at, const char* fmt, ...) {
    if (r_.err) return false;
    char buf[224];
    va_list ap;
    va_start(ap, fmt);
    std::vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    r_.fail(errc::malformed, ops::wasm_decode, at, "%s", buf);
    return false;
  }
  bool eof(const char* what) {
    if (r_.err) return false;
    r_.fail(errc::unexpected_eof, ops::wasm_decode, pos_, "unexpected end of %s", what);
    return false;
  }

 private:
  bool leb(std::uint64_t& out, unsigned bits, bool is_signed, const char* what) {
    std::uint64_t result = 0;
    unsigned shift = 0;
    std::size_t start = pos_;
    const unsigned max_bytes = (bits + 6) / 7;
    for (unsigned i = 0;; ++i) {
      if (pos_ >= end_) return eof(what);
      std::uint8_t b = base_[pos_++];
      if (i == max_bytes - 1) {
        // The last byte: no continuation, and unused bits must be a sign
        // (signed) or zero (unsigned) extension.
        if (b & 0x80) return malformed(start, "integer representation too long (%s)", what);
        unsigned used = bits - shift;  // bits this byte may carry
        if (used < 7) {
          std::uint8_t rest = static_cast<std::uint8_t>(b >> (used - (is_signed ? 1 : 0)));
          std::uint8_t mask = static_cast<std::uint8_t>(0x7f >> (used - (is_signed ? 1 : 0)));
          bool ok = is_signed ? (rest == 0 || rest == mask) : rest == 0;
          if (!ok) return malformed(start, "integer too large (%s)", what);
        }
        result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
        shift += 7;
        break;
      }
      result |= static_cast<std::uint64_t>(b & 0x7f) << shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (is_signed && shift < 64 && (base_[pos_ - 1] & 0x40)) result |= ~std::uint64_t{0} << shift;
    if (bits < 64) {
      if (is_signed) {
        // Truncate to `bits` then sign-extend to 64 for the callers' casts.
        std::uint64_t m = (std::uint64_t{1} << bits) - 1;
        result &= m;
        if (result >> (bits - 1) & 1) result |= ~m;
      } else {
        result &= (std::uint64_t{1} << bits) - 1;
      }
    }
    out = result;
    return true;
  }

  const std::uint8_t* base_;
  std::size_t pos_;
  std::size_t end_;
  refusal& r_;
};

}  // namespace vitte::wasm::detail

#endif  // VITTE_WASM_IMPL_READER_IPP
