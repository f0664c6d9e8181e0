// Template bodies for vitte/sys/metadata.hpp. Included by it; do not include.
#ifndef VITTE_SYS_IMPL_METADATA_HPP
#define VITTE_SYS_IMPL_METADATA_HPP

#include <vitte/sys/detail/retry.hpp>

namespace vitte::sys {

namespace detail {
template <class P>
result<file_status> path_status(const path_arg& path, bool follow) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::file_stat)) return e;
  file_status st;
  if (error e = retry_interrupted([&] { return P::path_stat(cwd_handle, path.c_str(), follow, st); })) return e;
  return st;
}
}  // namespace detail

template <class P>
result<file_status> stat(const path_arg& path) noexcept {
  return detail::path_status<P>(path, true);
}

template <class P>
result<file_status> lstat(const path_arg& path) noexcept {
  return detail::path_status<P>(path, false);
}

template <class P>
result<bool> exists(const path_arg& path) noexcept {
  result<file_status> st = detail::path_status<P>(path, true);
  if (st) return true;
  if (st.error() == errc::not_found) return false;
  return st.error();
}

template <class P>
result<std::uint64_t> file_size(const path_arg& path) noexcept {
  return detail::path_status<P>(path, true).transform([](file_status st) { return st.size; });
}

template <class P>
status set_times(const path_arg& path, std::int64_t atime_ns, std::int64_t mtime_ns, bool follow) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::set_times)) return e;
  return detail::retry_interrupted(
      [&] { return P::path_set_times(cwd_handle, path.c_str(), atime_ns, mtime_ns, follow); });
}

template <class P>
status set_permissions(const path_arg& path, std::uint32_t permissions, bool follow) noexcept {
  VITTE_REQUIRE_CAPABILITY(P, directory);
  if (error e = path.check(ops::set_permissions)) return e;
  return detail::retry_interrupted(
      [&] { return P::path_set_permissions(cwd_handle, path.c_str(), permissions & 07777, follow); });
}

}  // namespace vitte::sys

#endif  // VITTE_SYS_IMPL_METADATA_HPP
