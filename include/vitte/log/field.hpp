// vitte/log/field.hpp - structured fields of a log line: key=value.
//
//   log.info("compiled", {{"file", path}, {"ms", 42}, {"cached", true}});
//   // text:  ... info compiled file=src/a.c ms=42 cached=true
//   // JSON:  {"level":"info","msg":"compiled","file":"src/a.c","ms":42,"cached":true}
//
// A field only views its key and text value: it lives for the call.
#ifndef VITTE_LOG_FIELD_HPP
#define VITTE_LOG_FIELD_HPP

#include <vitte/base/text_view.hpp>

#include <concepts>  // std::integral
#include <cstdint>

namespace vitte::log {

/// One key and its value (text, integer, boolean or real). Views only.
class field {
 public:
  enum class kind : std::uint8_t { text, signed_integer, unsigned_integer, boolean, real };

  constexpr field(text_view key, text_view value) noexcept : key_(key), kind_(kind::text), text_(value) {}
  constexpr field(text_view key, const char* value) noexcept : field(key, text_view(value)) {}
  template <std::integral I>
    requires(!std::same_as<I, bool> && !std::same_as<I, char>)
  constexpr field(text_view key, I value) noexcept : key_(key) {
    if constexpr (static_cast<I>(-1) < static_cast<I>(0)) {
      kind_ = kind::signed_integer;
      signed_ = value;
    } else {
      kind_ = kind::unsigned_integer;
      unsigned_ = value;
    }
  }
  constexpr field(text_view key, bool value) noexcept : key_(key), kind_(kind::boolean), boolean_(value) {}
  constexpr field(text_view key, double value) noexcept : key_(key), kind_(kind::real), real_(value) {}

  constexpr text_view key() const noexcept { return key_; }
  constexpr kind type() const noexcept { return kind_; }
  constexpr text_view text() const noexcept { return text_; }
  constexpr std::int64_t signed_value() const noexcept { return signed_; }
  constexpr std::uint64_t unsigned_value() const noexcept { return unsigned_; }
  constexpr bool boolean() const noexcept { return boolean_; }
  constexpr double real() const noexcept { return real_; }

 private:
  text_view key_;
  kind kind_ = kind::text;
  text_view text_;
  std::int64_t signed_ = 0;
  std::uint64_t unsigned_ = 0;
  bool boolean_ = false;
  double real_ = 0;
};

}  // namespace vitte::log

#endif  // VITTE_LOG_FIELD_HPP
