// vitte/base/json_writer.hpp - one JSON value written piece by piece:
// objects and arrays nest, commas come by themselves, strings are escaped
// once (vitte/base/detail/json.hpp, as the log's JSON lines).
//
//   vitte::json_writer j;
//   j.begin_object().field("name", "calc").key("exports").begin_array();
//   j.value("add").value("sub").end_array().field("size", std::uint64_t{42}).end_object();
//   j.view();   // {"name":"calc","exports":["add","sub"],"size":42}
//
// Strings come out valid JSON whatever their bytes: controls, DEL and the C1
// controls as \u00XX, a byte that is not part of well-formed UTF-8 as the
// visible text \\xHH (json_escaping::strict). The writer does not check that
// the calls form one value (a key outside an object, an unclosed array):
// that is the caller's structure, as with a printf; `complete()` says whether
// every object and array opened was closed.
//
// Allocates (a vitte::text, the nesting in a vitte::buffer). Thread safety:
// a value type.
#ifndef VITTE_BASE_JSON_WRITER_HPP
#define VITTE_BASE_JSON_WRITER_HPP

#include <vitte/base/buffer.hpp>       // the nesting
#include <vitte/base/detail/json.hpp>  // json_escape
#include <vitte/base/detail/text.hpp>  // text_writer: numbers
#include <vitte/base/text.hpp>         // the output
#include <vitte/base/text_view.hpp>    // what goes in

#include <concepts>     // std::integral
#include <cstddef>      // std::size_t
#include <cstdint>      // numbers
#include <type_traits>  // std::is_signed_v

namespace vitte {

/// Writes one JSON value. See the header comment.
class json_writer {
 public:
  json_writer& begin_object() { return open('{'); }
  json_writer& end_object() { return close('}'); }
  json_writer& begin_array() { return open('['); }
  json_writer& end_array() { return close(']'); }

  /// An object's key; the next value is its value.
  json_writer& key(text_view k) {
    separate();
    quote(k);
    out_.push_back(':');
    after_key_ = true;
    return *this;
  }
  json_writer& value(text_view s) {
    separate();
    quote(s);
    return *this;
  }
  json_writer& value(const char* s) { return value(text_view(s)); }
  json_writer& value(bool b) { return raw(b ? "true" : "false"); }
  /// Any integer (not bool or a character type), in decimal.
  template <std::integral T>
    requires(!std::same_as<T, bool> && !std::same_as<T, char> && !std::same_as<T, char8_t> &&
             !std::same_as<T, char16_t> && !std::same_as<T, char32_t> && !std::same_as<T, wchar_t>)
  json_writer& value(T n) {
    if constexpr (std::is_signed_v<T>) {
      if (n < 0) return number(0 - static_cast<std::uint64_t>(static_cast<std::int64_t>(n)), true);
    }
    return number(static_cast<std::uint64_t>(n), false);
  }
  json_writer& null() { return raw("null"); }
  /// Text already in JSON (a number formatted by the caller, a nested value).
  json_writer& raw(text_view json) {
    separate();
    out_.append(json);
    return *this;
  }
  /// A line break where JSON allows whitespace (between values), for
  /// outputs read a line at a time; no comma is implied.
  json_writer& newline() {
    out_.push_back('\n');
    return *this;
  }
  /// key(k) then value(v).
  template <class T>
  json_writer& field(text_view k, const T& v) {
    return key(k).value(v);
  }

  /// What was written so far.
  text_view view() const noexcept { return out_.view(); }
  /// The text, moved out; the writer starts again empty.
  text take() {
    first_.clear();
    after_key_ = false;
    return static_cast<text&&>(out_);
  }
  /// True when every object and array opened was closed.
  bool complete() const noexcept { return first_.size() == 0; }

 private:
  json_writer& open(char c) {
    separate();
    out_.push_back(c);
    first_.push_back(true);
    return *this;
  }
  json_writer& close(char c) {
    out_.push_back(c);
    if (first_.size() != 0) first_.resize(first_.size() - 1);
    return *this;
  }
  json_writer& number(std::uint64_t n, bool negative) {
    char digits[24] = {};
    detail::text_writer w{digits, sizeof digits};
    if (negative) w.append("-");
    w.append_unsigned(n);
    return raw(text_view(digits, w.len));
  }
  // The comma before a value or key that is not the first of its container.
  void separate() {
    if (after_key_) {
      after_key_ = false;
      return;
    }
    if (first_.size() == 0) return;
    bool& first = first_[first_.size() - 1];
    if (!first) out_.push_back(',');
    first = false;
  }
  void quote(text_view s) {
    out_.push_back('"');
    detail::json_escape(s, detail::json_escaping::strict, [&](text_view piece) { out_.append(piece); });
    out_.push_back('"');
  }

  text out_;
  buffer<bool> first_;  // per open container: nothing written in it yet
  bool after_key_ = false;
};

}  // namespace vitte

#endif  // VITTE_BASE_JSON_WRITER_HPP
