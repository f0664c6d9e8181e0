// Non-template bodies of vitte/http/client.hpp: what the client's
// requests share whatever the platform.
#ifndef VITTE_HTTP_IMPL_CLIENT_IPP
#define VITTE_HTTP_IMPL_CLIENT_IPP

#include <vitte/base/detail/base64.hpp>  // basic_credentials
#include <vitte/http/client.hpp>

namespace vitte::http::detail {

VITTE_DECL text origin_of(const url& u) {
  text o = u.scheme;
  append(o, "://");
  append(o, u.authority());
  return o;
}

VITTE_DECL bool valid_header(const header& h) noexcept {
  if (h.name.empty()) return false;
  for (char c : text_view(h.name))
    if (!is_tchar(c)) return false;
  for (char c : text_view(h.value))
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

// The Basic credentials of a URL's user information: base64 of
// "user:password", each percent-decoded.
VITTE_DECL text basic_credentials(const url& u) {
  text pair = percent_decoded(u.user);
  append(pair, ":");
  append(pair, percent_decoded(u.password));
  return vitte::detail::base64_encode(reinterpret_cast<const std::uint8_t*>(pair.data()), pair.size());
}

}  // namespace vitte::http::detail

#endif  // VITTE_HTTP_IMPL_CLIENT_IPP
