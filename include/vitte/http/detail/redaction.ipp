// Non-template bodies of vitte/http/detail/redaction.hpp: quoting server
// text, and finding every reading of a secret in it (see the header).
#ifndef VITTE_HTTP_DETAIL_REDACTION_IPP
#define VITTE_HTTP_DETAIL_REDACTION_IPP

#include <vitte/base/detail/hex.hpp>  // hex_value, hex_digit
#include <vitte/http/detail/redaction.hpp>

#include <algorithm>  // sort, unique
#include <cstddef>
#include <utility>  // pair, move
#include <vector>

namespace vitte::http::detail {

// Appends server-supplied text with the bytes outside printable ASCII as
// \xNN (and the backslash as \\), so it cannot drive a terminal.
VITTE_DECL void append_quoted(text& t, text_view v) {
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

// The byte two hex digits at `j` encode, or -1.
VITTE_DECL int hex_pair(text_view t, std::size_t j) noexcept {
  if (j + 2 > t.size()) return -1;
  const int hi = vitte::detail::hex_value(t[j]), lo = vitte::detail::hex_value(t[j + 1]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// The quoting's escape at `i`: a backslash before another or before "xHH"
// (as append_quoted writes server text); its length and the byte it
// stands for, or 0.
VITTE_DECL std::size_t quoted_at(text_view t, std::size_t i, unsigned char& byte) noexcept {
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

// Calls f(length) for each reading of the secret byte `c` at `i` in `t`:
// the byte itself, "%HH", or the quoting's escape, letter case folded. A
// backslash is read as itself too, where it starts an escape: a secret
// holding the four characters \xc3 shows as such when a server sends the
// byte 0xc3.
template <class F>
void readings_at(text_view t, std::size_t i, unsigned char c, F&& f) noexcept {
  if (i >= t.size()) return;
  unsigned char b = 0;
  if (const std::size_t n = quoted_at(t, i, b); n != 0 && fold(b) == fold(c)) f(n);
  if (fold(static_cast<unsigned char>(t[i])) == fold(c)) f(std::size_t{1});
  if (const int v = t[i] == '%' ? hex_pair(t, i + 1) : -1; v >= 0 && fold(static_cast<unsigned char>(v)) == fold(c))
    f(std::size_t{3});
}

// The end of the longest reading of `secret` at `at` in `t`, or 0. The
// walk keeps every position a reading of the bytes so far ends at ("%25"
// is one '%' or '%' '2' '5'). Each position it holds costs one step of
// `budget`; when the budget runs out the walk stops with budget == 0.
VITTE_DECL std::size_t secret_end_at(text_view t, std::size_t at, text_view secret, std::vector<std::size_t>& now,
                                     std::vector<std::size_t>& next, std::size_t& budget) {
  now.assign(1, at);
  for (char sc : secret) {
    if (now.size() >= budget) {
      budget = 0;
      return 0;
    }
    budget -= now.size();
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

// Where in `t` a rendering of any of `secrets` lies, as sorted, merged
// ranges [first, second) in `found`; false when the search ran out of its
// budget (then `found` is incomplete and the text must not be shown).
VITTE_DECL bool secret_ranges(text_view t, span<const text_view> secrets, text_ranges& found) {
  found.clear();
  std::size_t budget = 4096 + 16 * t.size() * (secrets.size() + 1);
  std::vector<std::size_t> now, next;
  for (text_view s : secrets) {
    if (s.empty()) continue;
    for (std::size_t at = 0; at < t.size(); ++at) {
      bool first = false;  // most positions end here, before any walk
      readings_at(t, at, static_cast<unsigned char>(s[0]), [&](std::size_t) { first = true; });
      if (!first) continue;
      const std::size_t end = secret_end_at(t, at, s, now, next, budget);
      if (budget == 0) return false;
      if (end != 0) found.emplace_back(at, end);
    }
  }
  std::sort(found.begin(), found.end());
  text_ranges merged;
  for (const auto& r : found) {
    if (!merged.empty() && r.first <= merged.back().second) {
      merged.back().second = std::max(merged.back().second, r.second);
      continue;
    }
    merged.push_back(r);
  }
  found.swap(merged);
  return true;
}

// Whether `t` may show one of `secrets` (true too when the search could
// not finish).
VITTE_DECL bool contains_any(text_view t, span<const text_view> secrets) {
  text_ranges ranges;
  return !secret_ranges(t, secrets, ranges) || !ranges.empty();
}

// Replaces every rendering of any of `secrets` in `t` with "<redacted>";
// false (and `t` unchanged) when the search could not finish. A secret
// that "<redacted>" itself would spell (a single letter...) may still show
// afterwards: callers check with contains_any().
VITTE_DECL bool redact_all(text& t, span<const text_view> secrets) {
  text_ranges ranges;
  if (!secret_ranges(t, secrets, ranges)) return false;
  if (ranges.empty()) return true;
  text out;
  std::size_t at = 0;
  for (const auto& r : ranges) {
    out.append(t.data() + at, r.first - at);
    out.append("<redacted>", 10);
    at = r.second;
  }
  out.append(t.data() + at, t.size() - at);
  t = std::move(out);
  return true;
}

}  // namespace vitte::http::detail

#endif  // VITTE_HTTP_DETAIL_REDACTION_IPP
