// vitte/sys/environment.hpp - environment variables of this process.
//
// Values are UTF-8 everywhere (Windows: converted from and to the UTF-16
// environment the OS keeps).
//
//   namespace sys = vitte::sys;
//   vitte::text home = sys::get_env("HOME").value_or("/");   // errc::not_found when unset
//   sys::set_env("LANG", "C").value();
//   for (const vitte::text& e : sys::environment_entries()) std::puts(e.c_str());   // "NAME=value"
//
// Commands edit their child's environment without touching this one:
// vitte::sys::command(...).env("NAME", "value") (vitte/sys/process.hpp).
//
// Thread safety: reading is safe; setting or removing a variable while
// another thread reads the environment is not on POSIX (the C library's
// environ is unsynchronised): set variables before starting threads.
#ifndef VITTE_SYS_ENVIRONMENT_HPP
#define VITTE_SYS_ENVIRONMENT_HPP

#include <vitte/base.hpp>
#include <vitte/base/buffer.hpp>     // environment_entries
#include <vitte/base/text.hpp>       // values
#include <vitte/base/text_view.hpp>  // names
#include <vitte/sys/capabilities.hpp>
#include <vitte/sys/detail/grow_text.hpp>
#include <vitte/sys/operations.hpp>
#include <vitte/sys/platform.hpp>

#include <cstring>  // std::memchr

namespace vitte::sys {

namespace detail {
// A name the OS accepts: not empty, no '=' (after the first character), no NUL.
inline bool valid_env_name(text_view name) noexcept {
  return !name.empty() && name.find('=', 1) == text_view::npos &&
         std::memchr(name.data(), '\0', name.size()) == nullptr;
}
}  // namespace detail

/// The value of variable `name`. Errors (environment): not_found when
/// unset, invalid_argument for an empty name or one with '=' or a NUL.
template <class P = platform>
result<text> get_env(text_view name) {
  VITTE_REQUIRE_CAPABILITY(P, environment);
  if (!detail::valid_env_name(name)) return error{errc::invalid_argument, ops::environment};
  text key(name);
  return detail::grow_text([&](char* buf, std::size_t n) noexcept { return P::env_get(key.c_str(), buf, n); });
}

/// Sets `name` to `value` (replacing it). Errors (environment):
/// invalid_argument (bad name, NUL in the value), no_memory.
template <class P = platform>
status set_env(text_view name, text_view value) {
  VITTE_REQUIRE_CAPABILITY(P, environment);
  if (!detail::valid_env_name(name) || std::memchr(value.data(), '\0', value.size()) != nullptr)
    return error{errc::invalid_argument, ops::environment};
  return P::env_set(text(name).c_str(), text(value).c_str());
}

/// Removes `name`; removing an unset variable succeeds. Errors
/// (environment): invalid_argument.
template <class P = platform>
status unset_env(text_view name) {
  VITTE_REQUIRE_CAPABILITY(P, environment);
  if (!detail::valid_env_name(name)) return error{errc::invalid_argument, ops::environment};
  return P::env_unset(text(name).c_str());
}

/// Every variable as "NAME=value", in the OS's order.
template <class P = platform>
buffer<text> environment_entries() {
  VITTE_REQUIRE_CAPABILITY(P, environment);
  buffer<text> out;
  P::env_list([](void* ctx, const char* entry,
                 std::size_t n) noexcept { static_cast<buffer<text>*>(ctx)->emplace_back(entry, n); },
              &out);
  return out;
}

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/environment.ipp>
#endif

#endif  // VITTE_SYS_ENVIRONMENT_HPP
