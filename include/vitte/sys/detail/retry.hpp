// detail::retry_interrupted: calls a policy function again while it reports
// errc::interrupted (EINTR). Shared by the file-system facilities.
#ifndef VITTE_SYS_DETAIL_RETRY_HPP
#define VITTE_SYS_DETAIL_RETRY_HPP

#include <vitte/base.hpp>
#include <vitte/sys/operations.hpp>

namespace vitte::sys::detail {

inline error error_of(const error& e) noexcept { return e; }
template <class T>
error error_of(const result<T>& r) noexcept {
  return r.error();
}

// Calls f() again for as long as it reports errc::interrupted; returns what
// the last call returned (an error or a result).
template <class F>
auto retry_interrupted(F&& f) noexcept {
  for (;;) {
    auto r = f();
    if (error_of(r) != errc::interrupted) return r;
  }
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_RETRY_HPP
