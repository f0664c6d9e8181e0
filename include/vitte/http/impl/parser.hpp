// The rules of HTTP/1.1's syntax that vitte/http/parser.hpp, the client and
// the server share (constexpr and templates); the parser's bodies are in
// parser.ipp.
#ifndef VITTE_HTTP_IMPL_PARSER_HPP
#define VITTE_HTTP_IMPL_PARSER_HPP

#include <vitte/base/detail/decimal.hpp>  // parse_decimal
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <cstdint>  // UINT64_MAX

namespace vitte::http {

namespace detail {

constexpr bool is_tchar(char c) noexcept {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  for (char t : text_view("!#$%&'*+-.^_`|~"))
    if (c == t) return true;
  return false;
}

// Field-value bytes: visible, space, tab and obs-text; no other control.
constexpr bool is_field_char(char c) noexcept {
  const auto u = static_cast<unsigned char>(c);
  return c == '\t' || (u >= 0x20 && u != 0x7f);
}

constexpr text_view trim_ows(text_view v) noexcept {
  while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.remove_prefix(1);
  while (!v.empty() && (v.back() == ' ' || v.back() == '\t')) v.remove_suffix(1);
  return v;
}

// Calls f(element) for each comma-separated element, trimmed; empty ones skipped.
template <class F>
constexpr void for_each_element(text_view list, F&& f) {
  while (!list.empty()) {
    const std::size_t comma = list.find(',');
    const text_view e = trim_ows(list.substr(0, comma));
    if (!e.empty()) f(e);
    if (comma == text_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

// A decimal of 1 to 19 digits (no sign, no space), or false.
constexpr bool parse_decimal(text_view v, std::uint64_t& out) noexcept {
  return v.size() <= 19 && vitte::detail::parse_decimal(v, UINT64_MAX, out);
}

}  // namespace detail

}  // namespace vitte::http

#endif  // VITTE_HTTP_IMPL_PARSER_HPP
