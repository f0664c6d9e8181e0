// vitte/http/detail/redaction.hpp - server text in failure text: quoted so
// it cannot drive a terminal, and with every configured secret replaced by
// "<redacted>" however the server rendered it.
//
//   text what;
//   http::detail::append_quoted(what, reason);         // \xNN, \\ for the rest
//   const text_view secrets[] = {token, password};
//   if (!http::detail::redact_all(what, secrets)) ...  // too costly to check: show none of it
//
// A secret is found as is, in another letter case, percent-encoded (%2b or
// %2B, the letter inside in either case too), a space as '+', or as the
// quoting shows it (\xNN, \\), any mix of these, starting anywhere (also
// inside what another reading takes for one "%HH" or one escape). The search walks every
// reading from every position of the text; most positions end at their
// first byte. It stops after a budget of steps proportional to the text's
// length and the number of secrets, so text built to make it costly (a long
// run of a secret's prefix) costs a bounded time: redact_all() then reports
// that it could not check, and callers show none of the text. Where found
// secrets overlap, their union is replaced: a secret inside another, or two
// that share bytes, are hidden whole.
#ifndef VITTE_HTTP_DETAIL_REDACTION_HPP
#define VITTE_HTTP_DETAIL_REDACTION_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/span.hpp>
#include <vitte/base/text.hpp>
#include <vitte/base/text_view.hpp>

#include <cstddef>
#include <utility>  // pair
#include <vector>

namespace vitte::http::detail {

// Appends server-supplied text with the bytes outside printable ASCII as
// \xNN (and the backslash as \\), so it cannot drive a terminal.
VITTE_DECL void append_quoted(text& t, text_view v);

// A byte as the search compares it: letters in lower case, '+' as a space.
constexpr unsigned char fold(unsigned char b) noexcept {
  return b >= 'A' && b <= 'Z' ? static_cast<unsigned char>(b + 32) : b == '+' ? static_cast<unsigned char>(' ') : b;
}

using text_ranges = std::vector<std::pair<std::size_t, std::size_t>>;

// Where in `t` a rendering of any of `secrets` lies, as sorted, merged
// ranges [first, second) in `found`; false when the search ran out of its
// budget (then `found` is incomplete and the text must not be shown).
VITTE_DECL bool secret_ranges(text_view t, span<const text_view> secrets, text_ranges& found);

// Whether `t` may show one of `secrets` (true too when the search could
// not finish).
VITTE_DECL bool contains_any(text_view t, span<const text_view> secrets);

// Replaces every rendering of any of `secrets` in `t` with "<redacted>";
// false (and `t` unchanged) when the search could not finish. A secret
// that "<redacted>" itself would spell (a single letter...) may still show
// afterwards: callers check with contains_any().
[[nodiscard]] VITTE_DECL bool redact_all(text& t, span<const text_view> secrets);

inline bool contains_secret(text_view t, text_view secret) {
  return contains_any(t, span<const text_view>(&secret, 1));
}
[[nodiscard]] inline bool redact_one(text& t, text_view secret) {
  return redact_all(t, span<const text_view>(&secret, 1));
}

}  // namespace vitte::http::detail

#if VITTE_HEADER_ONLY
#include <vitte/http/detail/redaction.ipp>
#endif

#endif  // VITTE_HTTP_DETAIL_REDACTION_HPP
