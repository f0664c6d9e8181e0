// Non-template bodies of vitte/log/format.hpp: a line buffer's growth,
// escaping, numbers, timestamps and the two line formats.
#ifndef VITTE_LOG_IMPL_FORMAT_IPP
#define VITTE_LOG_IMPL_FORMAT_IPP

#include <vitte/base/detail/civil.hpp>  // the date of a timestamp
#include <vitte/base/detail/json.hpp>   // json_escape
#include <vitte/log/format.hpp>

#include <charconv>  // std::to_chars
#include <cstring>   // std::memcpy
#include <new>       // std::nothrow

namespace vitte::log {

VITTE_DECL bool line_buffer::grow(std::size_t need) noexcept {
  if (cut_) return false;
  std::size_t cap = capacity_ * 2;
  while (cap < need) cap *= 2;
  char* p = new (std::nothrow) char[cap];
  if (p == nullptr) {  // keep what fits, mark the cut
    cut_ = true;
    if (capacity_ >= 4) {
      size_ = capacity_ - 4;
      std::memcpy(data_ + size_, "...\n", 4);
      size_ += 4;
    }
    return false;
  }
  std::memcpy(p, data_, size_);
  if (data_ != inline_) delete[] data_;
  data_ = p;
  capacity_ = cap;
  return true;
}

namespace detail {

// Escapes `s`: controls, C1 controls and bytes that are not UTF-8 never get
// through. `json`: JSON string escapes; else the text format's, with `"` and
// `\` escaped only when `quoted`.
VITTE_DECL void append_escaped(line_buffer& out, text_view s, bool json, bool quoted) noexcept {
  using vitte::detail::json_escaping;
  const json_escaping how = json ? json_escaping::strict : quoted ? json_escaping::quoted_text : json_escaping::text;
  vitte::detail::json_escape(s, how, [&](text_view piece) { out.append(piece); });
}

VITTE_DECL bool needs_quotes(text_view s) noexcept {
  if (s.empty()) return true;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c <= 0x20 || c == '=' || c == '"' || c == '\\' || c == 0x7f) return true;
  }
  return false;
}

VITTE_DECL void append_number(line_buffer& out, const field& f, bool json) noexcept {
  char buf[40];
  std::to_chars_result r{buf, {}};
  switch (f.type()) {
    case field::kind::signed_integer:
      r = std::to_chars(buf, buf + sizeof buf, f.signed_value());
      break;
    case field::kind::unsigned_integer:
      r = std::to_chars(buf, buf + sizeof buf, f.unsigned_value());
      break;
    case field::kind::real: {
      const double v = f.real();
      if (v != v || v - v != 0) {  // NaN or infinite: JSON has no such number
        out.append(json ? text_view("null") : v != v ? text_view("nan") : v > 0 ? text_view("inf") : text_view("-inf"));
        return;
      }
      r = std::to_chars(buf, buf + sizeof buf, v);
      break;
    }
    case field::kind::boolean:
    case field::kind::text:
      return;
  }
  out.append(text_view(buf, static_cast<std::size_t>(r.ptr - buf)));
}

VITTE_DECL void append_value(line_buffer& out, const field& f, bool json) noexcept {
  switch (f.type()) {
    case field::kind::text:
      if (json) {
        out.push('"');
        append_json_string(out, f.text());
        out.push('"');
      } else {
        append_text_value(out, f.text());
      }
      return;
    case field::kind::boolean:
      out.append(f.boolean() ? "true" : "false");
      return;
    case field::kind::signed_integer:
    case field::kind::unsigned_integer:
    case field::kind::real:
      append_number(out, f, json);
      return;
  }
}

VITTE_DECL void append_digits(line_buffer& out, std::uint64_t v, int width) noexcept {
  char buf[20];
  for (int i = width - 1; i >= 0; --i, v /= 10) buf[i] = static_cast<char>('0' + v % 10);
  out.append(text_view(buf, static_cast<std::size_t>(width)));
}

// The level word, padded to five columns in the text format.
VITTE_DECL text_view padded(level l) noexcept {
  switch (l) {
    case level::error:
      return "error";
    case level::warn:
      return "warn ";
    case level::info:
      return "info ";
    case level::debug:
      return "debug";
    case level::trace:
      return "trace";
    case level::off:
      return "off  ";
  }
  return "off  ";
}

VITTE_DECL text_view color_of(level l) noexcept {
  switch (l) {
    case level::error:
      return "\x1b[1;31m";
    case level::warn:
      return "\x1b[1;33m";
    case level::info:
      return "\x1b[32m";
    case level::debug:
      return "\x1b[36m";
    case level::trace:
      return "\x1b[90m";
    case level::off:
      return "";
  }
  return "";
}

}  // namespace detail

VITTE_DECL void append_text_value(line_buffer& out, text_view s) noexcept {
  const bool quoted = detail::needs_quotes(s);
  if (quoted) out.push('"');
  detail::append_escaped(out, s, false, quoted);
  if (quoted) out.push('"');
}

VITTE_DECL void append_json_string(line_buffer& out, text_view s) noexcept {
  detail::append_escaped(out, s, true, true);
}

VITTE_DECL void append_timestamp(line_buffer& out, std::int64_t time_ns) noexcept {
  std::int64_t ms = time_ns >= 0 ? time_ns / 1'000'000 : -((-time_ns + 999'999) / 1'000'000);
  std::int64_t secs = ms >= 0 ? ms / 1000 : -((-ms + 999) / 1000);
  const unsigned milli = static_cast<unsigned>(ms - secs * 1000);
  std::int64_t days = secs >= 0 ? secs / 86400 : -((-secs + 86399) / 86400);
  const unsigned sod = static_cast<unsigned>(secs - days * 86400);
  std::int64_t y = 0;
  unsigned m = 0, d = 0;
  vitte::detail::civil_from_days(days, y, m, d);
  detail::append_digits(out, static_cast<std::uint64_t>(y < 0 ? 0 : y), 4);
  out.push('-');
  detail::append_digits(out, m, 2);
  out.push('-');
  detail::append_digits(out, d, 2);
  out.push('T');
  detail::append_digits(out, sod / 3600, 2);
  out.push(':');
  detail::append_digits(out, sod / 60 % 60, 2);
  out.push(':');
  detail::append_digits(out, sod % 60, 2);
  out.push('.');
  detail::append_digits(out, milli, 3);
  out.push('Z');
}

VITTE_DECL void format_line(line_buffer& out, const line_style& style, level l, std::int64_t time_ns, text_view message,
                            span<const field> fields) noexcept {
  if (style.format == format::json) {
    out.push('{');
    if (style.timestamps) {
      out.append("\"time\":\"");
      append_timestamp(out, time_ns);
      out.append("\",");
    }
    out.append("\"level\":\"");
    out.append(to_string(l));
    out.append("\",\"msg\":\"");
    append_json_string(out, message);
    out.push('"');
    for (const field& f : fields) {
      out.append(",\"");
      append_json_string(out, f.key());
      out.append("\":");
      detail::append_value(out, f, true);
    }
    out.append("}\n");
    return;
  }
  if (style.timestamps) {
    append_timestamp(out, time_ns);
    out.push(' ');
  }
  if (style.color) out.append(detail::color_of(l));
  out.append(detail::padded(l));
  if (style.color) out.append("\x1b[0m");
  out.push(' ');
  detail::append_escaped(out, message, false, false);
  for (const field& f : fields) {
    out.push(' ');
    detail::append_escaped(out, f.key(), false, false);
    out.push('=');
    detail::append_value(out, f, false);
  }
  out.push('\n');
}

}  // namespace vitte::log

#endif  // VITTE_LOG_IMPL_FORMAT_IPP
