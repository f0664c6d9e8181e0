// vitte/http/detail/redaction.hpp - server text in failure text: quoted so
// it cannot drive a terminal, and with every configured secret replaced by
// "<redacted>" however the server rendered it.
//
//   text what;
//   http::detail::append_quoted(what, reason);        // \xNN, \\ for the rest
//   const text_view secrets[] = {token, password};
//   http::detail::redact_all(what, secrets);          // every rendering, once
//
// A secret is found as is, in another letter case, percent-encoded (%2b or
// %2B, the letter inside in either case too), a space as '+', or as the
// quoting shows it (\xNN, \\), any mix of these. The text is read once into
// a canonical form (each byte lower-cased, "%HH", "\xHH" and "\\" decoded,
// '+' as a space) and each secret, in the same form, searched there in
// linear time, so a hostile server's text costs what its length costs.
// A secret that itself holds "%HH" (which the canonical form would decode)
// is instead walked position by position over every reading of the text.
// Where found secrets overlap, their union is replaced: a secret inside
// another, or two that share bytes, are hidden whole.
#ifndef VITTE_HTTP_DETAIL_REDACTION_HPP
#define VITTE_HTTP_DETAIL_REDACTION_HPP

#include <vitte/base/detail/hex.hpp>  // hex_value, hex_digit
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <algorithm>  // sort
#include <cstddef>
#include <utility>  // pair
#include <vector>

namespace vitte::http::detail {

// Appends server-supplied text with the bytes outside printable ASCII as
// \xNN (and the backslash as \\), so it cannot drive a terminal.
inline void append_quoted(text& t, text_view v) {
  for (char c : v) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x20 && u < 0x7f && c != '\\') {
      t.append(&c, 1);
      continue;
    }
    if (c == '\\') {
      t.append("\\\\", 2);
      continue;
    }
    const char escaped[4] = {'\\', 'x', vitte::detail::hex_digit(u >> 4), vitte::detail::hex_digit(u)};
    t.append(escaped, 4);
  }
}

constexpr unsigned char fold(unsigned char b) noexcept {
  return b >= 'A' && b <= 'Z' ? static_cast<unsigned char>(b + 32) : b == '+' ? static_cast<unsigned char>(' ') : b;
}

// The byte two hex digits at `j` encode, or -1.
inline int hex_pair(text_view t, std::size_t j) noexcept {
  if (j + 2 > t.size()) return -1;
  const int hi = vitte::detail::hex_value(t[j]), lo = vitte::detail::hex_value(t[j + 1]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// The quoting is read one way: a backslash before another or before "xHH"
// starts an escape (append_quoted writes server text so); the length of
// the escape at `i` and the byte it stands for, or 0.
inline std::size_t quoted_at(text_view t, std::size_t i, unsigned char& byte) noexcept {
  if (t[i] != '\\' || i + 1 >= t.size()) return 0;
  if (t[i + 1] == '\\') {
    byte = '\\';
    return 2;
  }
  const int v = t[i + 1] == 'x' ? hex_pair(t, i + 2) : -1;
  if (v < 0) return 0;
  byte = static_cast<unsigned char>(v);
  return 4;
}

// Server text in canonical form: bytes[k] (folded) is read from the text
// starting at from[k]; from[bytes.size()] is the text's end.
struct canonical_text {
  text bytes;
  std::vector<std::size_t> from;
};

inline canonical_text canonical(text_view t) {
  canonical_text c;
  c.bytes.reserve(t.size());
  c.from.reserve(t.size() + 1);
  for (std::size_t i = 0; i < t.size();) {
    unsigned char b = static_cast<unsigned char>(t[i]);
    std::size_t n = quoted_at(t, i, b);
    if (n == 0 && b == '%' && hex_pair(t, i + 1) >= 0) {
      b = static_cast<unsigned char>(hex_pair(t, i + 1));
      n = 3;
    }
    if (n == 0) n = 1;
    const char folded = static_cast<char>(fold(b));
    c.bytes.append(&folded, 1);
    c.from.push_back(i);
    i += n;
  }
  c.from.push_back(t.size());
  return c;
}

// Calls f(length) for each reading of the secret byte `c` at `i` in `t`
// (for secrets holding "%HH", which the canonical form cannot search).
template <class F>
void readings_at(text_view t, std::size_t i, unsigned char c, F&& f) noexcept {
  if (i >= t.size()) return;
  unsigned char b = 0;
  if (const std::size_t n = quoted_at(t, i, b); n != 0) {
    if (fold(b) == fold(c)) f(n);
    return;
  }
  if (fold(static_cast<unsigned char>(t[i])) == fold(c)) f(std::size_t{1});
  if (const int v = t[i] == '%' ? hex_pair(t, i + 1) : -1; v >= 0 && fold(static_cast<unsigned char>(v)) == fold(c))
    f(std::size_t{3});
}

// The end of the longest reading of `secret` at `at` in `t`, or 0. The
// walk keeps every position a reading of the bytes so far ends at ("%25"
// is one '%' or '%' '2' '5').
inline std::size_t secret_end_at(text_view t, std::size_t at, text_view secret, std::vector<std::size_t>& now,
                                 std::vector<std::size_t>& next) {
  now.assign(1, at);
  for (char sc : secret) {
    next.clear();
    for (std::size_t i : now)
      readings_at(t, i, static_cast<unsigned char>(sc), [&](std::size_t n) { next.push_back(i + n); });
    if (next.empty()) return 0;
    std::sort(next.begin(), next.end());
    next.erase(std::unique(next.begin(), next.end()), next.end());
    now.swap(next);
  }
  return now.back();
}

inline bool holds_percent_pair(text_view s) noexcept {
  for (std::size_t i = 0; i < s.size(); ++i)
    if (s[i] == '%' && hex_pair(s, i + 1) >= 0) return true;
  return false;
}

// Every occurrence of `needle` in `hay` (overlapping ones too), in linear
// time (Knuth-Morris-Pratt): calls f(start).
template <class F>
void find_all(text_view hay, text_view needle, F&& f) {
  std::vector<std::size_t> border(needle.size() + 1, 0);
  for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k != 0 && needle[i] != needle[k]) k = border[k];
    if (needle[i] == needle[k]) ++k;
    border[i + 1] = k;
  }
  for (std::size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k != 0 && hay[i] != needle[k]) k = border[k];
    if (hay[i] == needle[k]) ++k;
    if (k == needle.size()) {
      f(i + 1 - needle.size());
      k = border[k];
    }
  }
}

// Where in `t` a rendering of any of `secrets` lies: sorted, merged ranges
// [first, second).
inline std::vector<std::pair<std::size_t, std::size_t>> secret_ranges(text_view t, span<const text_view> secrets) {
  std::vector<std::pair<std::size_t, std::size_t>> found;
  canonical_text c;
  bool read = false;
  std::vector<std::size_t> now, next;
  for (text_view s : secrets) {
    if (s.empty()) continue;
    if (holds_percent_pair(s)) {
      for (std::size_t at = 0; at < t.size(); ++at)
        if (const std::size_t end = secret_end_at(t, at, s, now, next); end != 0) found.emplace_back(at, end);
      continue;
    }
    if (!read) c = canonical(t), read = true;
    text folded;
    for (char b : s) {
      const char f = static_cast<char>(fold(static_cast<unsigned char>(b)));
      folded.append(&f, 1);
    }
    find_all(c.bytes, folded, [&](std::size_t k) { found.emplace_back(c.from[k], c.from[k + folded.size()]); });
  }
  std::sort(found.begin(), found.end());
  std::vector<std::pair<std::size_t, std::size_t>> merged;
  for (const auto& r : found) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
      continue;
    }
    merged.push_back(r);
  }
  return merged;
}

inline bool contains_any(text_view t, span<const text_view> secrets) { return !secret_ranges(t, secrets).empty(); }

// Replaces every rendering of any of `secrets` in `t` with "<redacted>".
// A secret that "<redacted>" itself would spell (a single letter...) may
// still show afterwards: callers check with contains_any().
inline void redact_all(text& t, span<const text_view> secrets) {
  const auto ranges = secret_ranges(t, secrets);
  if (ranges.empty()) return;
  text out;
  std::size_t at = 0;
  for (const auto& r : ranges) {
    out.append(t.data() + at, r.first - at);
    out.append("<redacted>", 10);
    at = r.second;
  }
  out.append(t.data() + at, t.size() - at);
  t = std::move(out);
}

inline bool contains_secret(text_view t, text_view secret) {
  return contains_any(t, span<const text_view>(&secret, 1));
}
inline void redact_one(text& t, text_view secret) { redact_all(t, span<const text_view>(&secret, 1)); }

}  // namespace vitte::http::detail

#endif  // VITTE_HTTP_DETAIL_REDACTION_HPP
