// Out-of-line part of vitte/base/detail/json_reader.hpp: the string
// escaper and the reader.
#ifndef VITTE_BASE_DETAIL_JSON_READER_IPP
#define VITTE_BASE_DETAIL_JSON_READER_IPP

#include <vitte/base/detail/decimal.hpp>  // number_of
#include <vitte/base/detail/hex.hpp>      // hex_value
#include <vitte/base/detail/json.hpp>     // json_escape
#include <vitte/base/detail/json_reader.hpp>
#include <vitte/base/detail/utf8_encode.hpp>  // \u escapes

#include <cstddef>
#include <cstdint>
#include <string>

namespace vitte::detail {

VITTE_DECL void append_json(std::string& out, text_view s) {
  out += '"';
  json_escape(s, vitte::detail::json_escaping::minimal,
              [&](text_view piece) { out.append(piece.data(), piece.size()); });
  out += '"';
}

VITTE_DECL const json_value* json_value::get(text_view key) const noexcept {
  if (type != kind::object) return nullptr;
  for (std::size_t i = 0; i < names.size() && i < items.size(); ++i)
    if (text_view(names[i]) == key) return &items[i];
  return nullptr;
}

VITTE_DECL text_view json_value::text_of(text_view key) const noexcept {
  const json_value* v = get(key);
  return v != nullptr && v->type == kind::string ? text_view(v->string) : text_view();
}

VITTE_DECL bool json_value::number_of(text_view key, std::uint64_t& out) const noexcept {
  const json_value* v = get(key);
  if (v == nullptr || v->type != kind::number || v->string.empty() || v->string.size() > 18) return false;
  return vitte::detail::parse_decimal(v->string, UINT64_MAX, out);
}

VITTE_DECL bool json_reader::parse(json_value& out) {
  skip();
  if (!value(out, 0)) return false;
  skip();
  if (i_ != s_.size()) return fail("bytes after the JSON value");
  return true;
}

VITTE_DECL bool json_reader::fail(const char* w) {
  what = w;
  at = i_;
  return false;
}

VITTE_DECL void json_reader::skip() {
  while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
}

VITTE_DECL bool json_reader::literal(text_view word) {
  if (s_.substr(i_, word.size()) != word) return fail("not a JSON value");
  i_ += word.size();
  return true;
}

VITTE_DECL bool json_reader::code_unit(std::uint32_t& u) {
  if (i_ + 4 > s_.size()) return fail("a \\u escape cut short");
  u = 0;
  for (int k = 0; k < 4; ++k) {
    const int d = hex_value(s_[i_++]);
    if (d < 0) return fail("a \\u escape with a non-hexadecimal digit");
    u = u * 16 + static_cast<std::uint32_t>(d);
  }
  return true;
}

VITTE_DECL bool json_reader::string(std::string& out) {
  ++i_;  // the opening quote
  for (;;) {
    if (i_ >= s_.size()) return fail("a string without its closing quote");
    const char c = s_[i_++];
    if (c == '"') return true;
    if (static_cast<unsigned char>(c) < 0x20) return fail("a control character in a string");
    if (c != '\\') {
      out += c;
      continue;
    }
    if (i_ >= s_.size()) return fail("a string without its closing quote");
    const char e = s_[i_++];
    switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      case 'u': {
        std::uint32_t u = 0;
        if (!code_unit(u)) return false;
        if (u >= 0xDC00 && u < 0xE000) return fail("a lone low surrogate");
        if (u >= 0xD800 && u < 0xDC00) {
          std::uint32_t low = 0;
          if (s_.substr(i_, 2) != "\\u") return fail("a high surrogate without its low half");
          i_ += 2;
          if (!code_unit(low)) return false;
          if (low < 0xDC00 || low >= 0xE000) return fail("a high surrogate without its low half");
          u = 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00);
        }
        vitte::detail::append_utf8(out, u);
        break;
      }
      default:
        return fail("an unknown escape in a string");
    }
  }
}

VITTE_DECL bool json_reader::number(std::string& out) {
  const std::size_t start = i_;
  if (s_[i_] == '-') ++i_;
  const auto digits = [&] {
    const std::size_t from = i_;
    while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    return i_ - from;
  };
  const std::size_t first = i_;
  if (digits() == 0) return fail("a number without digits");
  if (s_[first] == '0' && i_ - first > 1) return fail("a number with a leading zero");
  if (i_ < s_.size() && s_[i_] == '.') {
    ++i_;
    if (digits() == 0) return fail("a fraction without digits");
  }
  if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
    ++i_;
    if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
    if (digits() == 0) return fail("an exponent without digits");
  }
  out.assign(s_.data() + start, i_ - start);
  return true;
}

VITTE_DECL bool json_reader::value(json_value& v, int depth) {
  if (depth > 64) return fail("nested more than 64 levels deep");
  if (i_ >= s_.size()) return fail("the JSON ends where a value should be");
  const char c = s_[i_];
  if (c == '"') {
    v.type = json_value::kind::string;
    return string(v.string);
  }
  if (c == '-' || (c >= '0' && c <= '9')) {
    v.type = json_value::kind::number;
    return number(v.string);
  }
  if (c == 't' || c == 'f') {
    v.type = json_value::kind::boolean;
    v.boolean = c == 't';
    return literal(c == 't' ? "true" : "false");
  }
  if (c == 'n') return literal("null");
  if (c == '[') {
    v.type = json_value::kind::array;
    ++i_;
    skip();
    if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
    for (;;) {
      v.items.emplace_back();
      skip();
      if (!value(v.items.back(), depth + 1)) return false;
      skip();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') return ++i_, true;
      return fail("an array without ',' or ']'");
    }
  }
  if (c == '{') {
    v.type = json_value::kind::object;
    ++i_;
    skip();
    if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
    for (;;) {
      skip();
      if (i_ >= s_.size() || s_[i_] != '"') return fail("an object member without a quoted name");
      v.names.emplace_back();
      if (!string(v.names.back())) return false;
      skip();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("an object member without ':'");
      ++i_;
      skip();
      v.items.emplace_back();
      if (!value(v.items.back(), depth + 1)) return false;
      skip();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') return ++i_, true;
      return fail("an object without ',' or '}'");
    }
  }
  return fail("not a JSON value");
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_JSON_READER_IPP
