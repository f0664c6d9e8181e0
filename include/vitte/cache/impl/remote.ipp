// vitte/cache/impl/remote.ipp - remote_options::parse (vitte/cache/remote.hpp).
#ifndef VITTE_CACHE_IMPL_REMOTE_IPP
#define VITTE_CACHE_IMPL_REMOTE_IPP

#include <vitte/base.hpp>
#include <vitte/base/config.hpp>
#include <vitte/base/detail/decimal.hpp>  // timeout=MS
#include <vitte/base/text_view.hpp>
#include <vitte/cache/remote.hpp>
#include <vitte/http/url.hpp>  // url::parse, ops::url_parse

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace vitte::cache {

VITTE_DECL result<remote_options> remote_options::parse(text_view spec) {
  remote_options o;
  const error bad{errc::invalid_argument, http::ops::url_parse};
  std::size_t bar = spec.find('|');
  o.url = spec.substr(0, bar);
  if (auto u = http::url::parse(o.url); !u) return u.error();
  while (bar != text_view::npos) {
    spec.remove_prefix(bar + 1);
    bar = spec.find('|');
    const text_view attr = spec.substr(0, bar);
    if (attr == "layout=bazel") {
      o.layout = remote_layout::bazel;
    } else if (attr == "layout=subdirs") {
      o.layout = remote_layout::subdirs;
    } else if (attr == "read-only") {
      o.read_only = true;
    } else if (attr.starts_with("timeout=")) {
      std::uint64_t ms = 0;
      if (!vitte::detail::parse_decimal(attr.substr(8), 3'600'000, ms) || ms == 0) return bad;
      o.timeout = std::chrono::milliseconds(ms);
    } else {
      return bad;
    }
  }
  return o;
}

}  // namespace vitte::cache

#endif  // VITTE_CACHE_IMPL_REMOTE_IPP
