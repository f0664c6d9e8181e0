// vitte/loader/format_error.hpp - why a module file was refused, precisely.
//
// vitte::error (8 bytes) says what kind of thing failed; a reader of a file
// format also has to say where. format_error carries the kind, the index of
// the section concerned, the file offset of the offending field, and a
// static description, without allocating:
//
//   vitte::loader::parsed<vitte::loader::vitmod_view> c = vitte::loader::vitmod_view::parse(bytes);
//   if (!c) std::puts(c.error().message().c_str());
//   // "vitmod: section 2 (manifest) at offset 0x1a4: string runs past the string table"
//
// parsed<T> is the result type of the readers: a T or a format_error.
// describe() gives the same as the one diagnostic model of every layer
// (vitte/base/diagnostic.hpp).
#ifndef VITTE_LOADER_FORMAT_ERROR_HPP
#define VITTE_LOADER_FORMAT_ERROR_HPP

#include <vitte/base.hpp>
#include <vitte/loader/operations.hpp>

#include <cassert>  // value() on an error
#include <cstdint>  // offsets
#include <utility>  // std::move

namespace vitte::loader {

/// What was wrong with a module file, and where. 24 bytes; never allocates.
struct format_error {
  /// No section: the problem is in the header, the table or the signature block.
  static constexpr std::uint32_t no_section = 0xFFFFFFFFu;

  errc kind = errc::ok;  ///< malformed, unexpected_eof, version_mismatch, limit_exceeded, verification_failed...
  std::uint32_t section = no_section;  ///< Index in the section table.
  std::uint64_t offset = 0;            ///< File offset of the offending field or byte.
  const char* reason = "";             ///< Static text, e.g. "sections overlap".

  constexpr format_error() noexcept = default;
  constexpr format_error(errc k, std::uint32_t sec, std::uint64_t off, const char* why) noexcept
      : kind(k), section(sec), offset(off), reason(why) {}

  /// True when this is an error.
  constexpr explicit operator bool() const noexcept { return kind != errc::ok; }

  /// The 8-byte error of the platform layer (section and offset are lost).
  constexpr error to_error(operation op = ops::module_read) const noexcept { return error{kind, op}; }

  /// The model (vitte/base/diagnostic.hpp): the kind, the offset, and the
  /// reason after the section ("section 2: sections overlap"); the caller
  /// names the file: `e.describe().about(path)`.
  vitte::diagnostic describe() const noexcept;

  /// "vitmod: section 2 at offset 0x1a4: <reason>" (or "header at offset ...").
  error_message message() const noexcept;
};

/// A value of T, or the format_error that prevented it. [[nodiscard]].
template <class T>
class [[nodiscard]] parsed {
 public:
  parsed(T value) noexcept : value_(std::move(value)) {}  // NOLINT: implicit, like result<T>
  parsed(format_error e) noexcept : error_(e) { assert(e && "parsed: an error must be an error"); }

  bool has_value() const noexcept { return !error_; }
  explicit operator bool() const noexcept { return has_value(); }
  const format_error& error() const noexcept { return error_; }

  T& value() & noexcept { return assert(has_value() && "parsed: no value"), value_; }
  const T& value() const& noexcept { return assert(has_value() && "parsed: no value"), value_; }
  T&& value() && noexcept { return assert(has_value() && "parsed: no value"), std::move(value_); }
  T* operator->() noexcept { return &value(); }
  const T* operator->() const noexcept { return &value(); }
  T& operator*() & noexcept { return value(); }
  const T& operator*() const& noexcept { return value(); }

 private:
  T value_{};
  format_error error_{};
};

}  // namespace vitte::loader

#if VITTE_HEADER_ONLY
#include <vitte/loader/impl/format_error.ipp>
#endif

#endif  // VITTE_LOADER_FORMAT_ERROR_HPP
