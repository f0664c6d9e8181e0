// vitte/loader/semver.hpp - semantic versions (semver.org 2.0.0) and ranges,
// parsed without allocating.
//
//   vitte::loader::semver v;
//   vitte::diagnostic why;
//   if (!vitte::loader::semver::parse("1.4.2-beta.1+build.7", v, &why)) return fail(why);  // "at offset 0x6: ..."
//   bool ok = vitte::loader::semver_range::satisfied_by("^1.2 || >=3.0.0 <4", v);
//
// Ranges are one or more alternatives separated by "||"; an alternative is
// one or more comparators separated by spaces, all of which must hold:
//   "1.2.3" or "=1.2.3"   exactly
//   ">1.2.3" ">=1.2" "<2" "<=2.1"   (missing parts are 0)
//   "^1.2.3"   >=1.2.3 <2.0.0 (^0.2.3: <0.3.0; ^0.0.3: <0.0.4)
//   "~1.2.3"   >=1.2.3 <1.3.0 ("~1": <2.0.0)
//   "*" or "x" any version without a pre-release tag
// A pre-release version satisfies a comparator only when the comparator
// names a pre-release of the same major.minor.patch (npm's rule), so
// "^1.0.0" does not pick 2.0.0-rc.1. Limits: numbers below 2^32, at most
// 16 comparators per range, 256 characters.
#ifndef VITTE_LOADER_SEMVER_HPP
#define VITTE_LOADER_SEMVER_HPP

#include <vitte/base/detail/decimal.hpp>  // numbers
#include <vitte/base/diagnostic.hpp>      // what is wrong, and where
#include <vitte/base/text_view.hpp>       // views of the text

#include <cstddef>  // std::size_t
#include <cstdint>  // std::uint32_t

namespace vitte::loader {

/// A semantic version. `pre` and `build` view the text it was parsed from.
struct semver {
  std::uint32_t major = 0, minor = 0, patch = 0;
  text_view pre;    ///< Pre-release identifiers, without the '-'; empty for a release.
  text_view build;  ///< Build metadata, without the '+'; ignored by comparisons.

  /// Parses "MAJOR.MINOR.PATCH[-pre][+build]" strictly (no leading zeros,
  /// no 'v') into `out`; false, with `why` (when given: malformed, the
  /// offset in `text`, the reason) when it is not one.
  static constexpr bool parse(text_view text, semver& out, diagnostic* why = nullptr) noexcept;

  /// Precedence: -1, 0, 1 (build metadata ignored; a release is above its
  /// pre-releases; identifiers compare numerically or lexically).
  static constexpr int compare(const semver& a, const semver& b) noexcept;

  friend constexpr bool operator==(const semver& a, const semver& b) noexcept { return compare(a, b) == 0; }
  friend constexpr bool operator<(const semver& a, const semver& b) noexcept { return compare(a, b) < 0; }
};

/// Semver ranges (the grammar in the header comment), checked and matched
/// straight from their text.
struct semver_range {
  static constexpr std::size_t max_length = 256;
  static constexpr std::size_t max_comparators = 16;

  /// True when `text` is a valid range; false, with `why` (when given:
  /// malformed, or limit_exceeded for the limits; the reason), otherwise.
  static constexpr bool validate(text_view text, diagnostic* why = nullptr) noexcept;
  /// True when `v` satisfies the (valid) range; false for invalid ranges.
  static constexpr bool satisfied_by(text_view text, const semver& v) noexcept;
};

namespace detail::semver_impl {

/// s.substr() without its bounds exception (freestanding builds have no
/// exception support to throw with): clamps instead.
constexpr text_view sub(text_view s, std::size_t pos, std::size_t n = text_view::npos) noexcept {
  if (pos > s.size()) pos = s.size();
  return {s.data() + pos, n < s.size() - pos ? n : s.size() - pos};
}

constexpr bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool is_ident_char(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/// Reads a number without leading zeros at `pos`; nullptr on success.
constexpr const char* number(text_view s, std::size_t& pos, std::uint32_t& out) noexcept {
  const std::size_t n = pos < s.size() ? vitte::detail::decimal_digits(s.substr(pos)) : 0;
  if (n == 0) return "expected a number";
  if (s[pos] == '0' && n > 1) return "leading zero in a number";
  std::uint64_t v = 0;
  if (!vitte::detail::parse_decimal(s.substr(pos, n), 0xFFFFFFFFu, v)) return "version number too large";
  pos += n;
  out = static_cast<std::uint32_t>(v);
  return nullptr;
}

/// Dot-separated identifiers up to `end` chars; numeric ones without leading zeros.
constexpr const char* identifiers(text_view s, bool numeric_rules) noexcept {
  if (s.empty()) return "empty pre-release or build";
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i < s.size() && s[i] != '.') {
      if (!is_ident_char(s[i])) return "invalid character in pre-release or build";
      continue;
    }
    const text_view id = sub(s, start, i - start);
    if (id.empty()) return "empty identifier";
    bool all_digits = true;
    for (char c : id) all_digits = all_digits && is_digit(c);
    if (numeric_rules && all_digits && id.size() > 1 && id[0] == '0') return "leading zero in a numeric identifier";
    start = i + 1;
  }
  return nullptr;
}

constexpr int compare_identifiers(text_view a, text_view b) noexcept {
  // Empty (a release) ranks above any pre-release.
  if (a.empty() || b.empty()) return a.empty() == b.empty() ? 0 : (a.empty() ? 1 : -1);
  while (true) {
    const std::size_t ea = a.find('.'), eb = b.find('.');
    const text_view ia = sub(a, 0, ea), ib = sub(b, 0, eb);
    bool na = true, nb = true;
    for (char c : ia) na = na && is_digit(c);
    for (char c : ib) nb = nb && is_digit(c);
    int c = 0;
    if (na && nb)
      c = ia.size() != ib.size() ? (ia.size() < ib.size() ? -1 : 1) : ia.compare(ib);
    else if (na != nb)
      c = na ? -1 : 1;  // numeric identifiers rank below alphanumeric ones
    else
      c = ia.compare(ib);
    if (c != 0) return c < 0 ? -1 : 1;
    if (ea == text_view::npos || eb == text_view::npos) return ea == eb ? 0 : (ea == text_view::npos ? -1 : 1);
    a.remove_prefix(ea + 1);
    b.remove_prefix(eb + 1);
  }
}

enum class op : std::uint8_t { eq, lt, le, gt, ge, caret, tilde, any };

struct comparator {
  op kind = op::any;
  semver v;
  int parts = 0;  // how many of major, minor, patch were written
};

/// Parses one comparator token (no spaces inside).
constexpr const char* parse_comparator(text_view t, comparator& out) noexcept {
  out = comparator{};
  if (t == "*" || t == "x" || t == "X") return nullptr;
  std::size_t pos = 0;
  if (sub(t, 0, 2) == ">=")
    out.kind = op::ge, pos = 2;
  else if (sub(t, 0, 2) == "<=")
    out.kind = op::le, pos = 2;
  else if (t[0] == '>')
    out.kind = op::gt, pos = 1;
  else if (t[0] == '<')
    out.kind = op::lt, pos = 1;
  else if (t[0] == '=')
    out.kind = op::eq, pos = 1;
  else if (t[0] == '^')
    out.kind = op::caret, pos = 1;
  else if (t[0] == '~')
    out.kind = op::tilde, pos = 1;
  else
    out.kind = op::eq;
  std::uint32_t* fields[3] = {&out.v.major, &out.v.minor, &out.v.patch};
  for (int i = 0; i < 3; ++i) {
    if (const char* why = number(t, pos, *fields[i])) return why;
    out.parts = i + 1;
    if (pos == t.size() || t[pos] != '.') break;
    if (i == 2) return "unexpected '.'";
    ++pos;
  }
  if (pos < t.size() && t[pos] == '-') {
    if (out.parts != 3) return "pre-release needs a full version";
    const std::size_t plus = t.find('+', pos);
    out.v.pre = sub(t, pos + 1, plus == text_view::npos ? text_view::npos : plus - pos - 1);
    if (const char* why = identifiers(out.v.pre, true)) return why;
    pos = plus == text_view::npos ? t.size() : plus;
  }
  if (pos < t.size() && t[pos] == '+') {
    if (const char* why = identifiers(sub(t, pos + 1), false)) return why;
    pos = t.size();
  }
  if (pos != t.size()) return "unexpected character in a range";
  if (out.kind == op::eq && out.parts < 3) out.kind = op::tilde;  // "1.2" means 1.2.x, "1" means 1.x
  return nullptr;
}

constexpr bool matches(const comparator& c, const semver& v) noexcept {
  semver lo = c.v;
  lo.build = {};
  const int cmp = semver::compare(v, lo);
  semver hi{};
  switch (c.kind) {
    case op::any:
      return true;
    case op::eq:
      return cmp == 0;
    case op::lt:
      return cmp < 0;
    case op::le:
      return cmp <= 0;
    case op::gt:
      return cmp > 0;
    case op::ge:
      return cmp >= 0;
    case op::caret:
      if (lo.major != 0 || c.parts == 1)
        hi = {lo.major + 1, 0, 0, "0", {}};
      else if (lo.minor != 0 || c.parts == 2)
        hi = {0, lo.minor + 1, 0, "0", {}};
      else
        hi = {0, 0, lo.patch + 1, "0", {}};
      return cmp >= 0 && semver::compare(v, hi) < 0;
    case op::tilde:
      hi = c.parts == 1 ? semver{lo.major + 1, 0, 0, "0", {}} : semver{lo.major, lo.minor + 1, 0, "0", {}};
      return cmp >= 0 && semver::compare(v, hi) < 0;
  }
  return false;
}

/// Calls f(token) for each space-separated token of one alternative; f
/// returns false to stop. Returns false when stopped.
template <class F>
constexpr bool each_token(text_view alt, F f) noexcept {
  std::size_t i = 0;
  while (i < alt.size()) {
    while (i < alt.size() && alt[i] == ' ') ++i;
    if (i == alt.size()) break;
    std::size_t j = i;
    while (j < alt.size() && alt[j] != ' ') ++j;
    if (!f(sub(alt, i, j - i))) return false;
    i = j;
  }
  return true;
}

/// Calls f(alternative) for each "||"-separated part.
template <class F>
constexpr bool each_alternative(text_view text, F f) noexcept {
  while (true) {
    const std::size_t bar = text.find("||");
    if (!f(sub(text, 0, bar))) return false;
    if (bar == text_view::npos) return true;
    text.remove_prefix(bar + 2);
  }
}

}  // namespace detail::semver_impl

constexpr bool semver::parse(text_view text, semver& out, diagnostic* why) noexcept {
  using namespace detail::semver_impl;
  semver v;
  std::size_t pos = 0;
  const auto refuse = [&](const char* reason) {
    if (why != nullptr) {
      why->clear();
      why->of(errc::malformed).at(pos).say(reason);
    }
    return false;
  };
  if (const char* e = number(text, pos, v.major)) return refuse(e);
  if (pos >= text.size() || text[pos] != '.') return refuse("expected MAJOR.MINOR.PATCH");
  ++pos;
  if (const char* e = number(text, pos, v.minor)) return refuse(e);
  if (pos >= text.size() || text[pos] != '.') return refuse("expected MAJOR.MINOR.PATCH");
  ++pos;
  if (const char* e = number(text, pos, v.patch)) return refuse(e);
  const std::size_t plus = text.find('+', pos);
  if (pos < text.size() && text[pos] == '-') {
    v.pre = sub(text, pos + 1, plus == text_view::npos ? text_view::npos : plus - pos - 1);
    ++pos;
    if (const char* e = identifiers(v.pre, true)) return refuse(e);
    pos = plus == text_view::npos ? text.size() : plus;
  }
  if (pos < text.size() && text[pos] == '+') {
    v.build = sub(text, pos + 1);
    ++pos;
    if (const char* e = identifiers(v.build, false)) return refuse(e);
    pos = text.size();
  }
  if (pos != text.size()) return refuse("unexpected character after the version");
  out = v;
  return true;
}

constexpr int semver::compare(const semver& a, const semver& b) noexcept {
  if (a.major != b.major) return a.major < b.major ? -1 : 1;
  if (a.minor != b.minor) return a.minor < b.minor ? -1 : 1;
  if (a.patch != b.patch) return a.patch < b.patch ? -1 : 1;
  return detail::semver_impl::compare_identifiers(a.pre, b.pre);
}

constexpr bool semver_range::validate(text_view text, diagnostic* why) noexcept {
  using namespace detail::semver_impl;
  const auto refuse = [&](errc kind, const char* reason) {
    if (why != nullptr) {
      why->clear();
      why->of(kind).say(reason);
    }
    return false;
  };
  if (text.size() > max_length) return refuse(errc::limit_exceeded, "range too long");
  std::size_t count = 0;
  const char* reason = nullptr;
  errc kind = errc::malformed;
  each_alternative(text, [&](text_view alt) {
    std::size_t in_alt = 0;
    each_token(alt, [&](text_view tok) {
      comparator c;
      reason = parse_comparator(tok, c);
      ++in_alt;
      if (!reason && ++count > max_comparators) {
        reason = "too many comparators in a range";
        kind = errc::limit_exceeded;
      }
      return reason == nullptr;
    });
    if (!reason && in_alt == 0) reason = "empty range";
    return reason == nullptr;
  });
  return reason == nullptr || refuse(kind, reason);
}

constexpr bool semver_range::satisfied_by(text_view text, const semver& v) noexcept {
  using namespace detail::semver_impl;
  if (!validate(text)) return false;
  return !each_alternative(text, [&](text_view alt) {
    bool all = true, pre_allowed = v.pre.empty();
    each_token(alt, [&](text_view tok) {
      comparator c;
      (void)parse_comparator(tok, c);
      all = all && matches(c, v);
      if (!c.v.pre.empty() && c.v.major == v.major && c.v.minor == v.minor && c.v.patch == v.patch) pre_allowed = true;
      return all;
    });
    return !(all && pre_allowed);  // stop at the first alternative that holds
  });
}

}  // namespace vitte::loader

#endif  // VITTE_LOADER_SEMVER_HPP
