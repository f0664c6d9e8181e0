// The one errno-to-error conversion of the POSIX backends. Every
// sys/detail/posix and sys/detail/linux file includes this, never copies it.
#ifndef VITTE_SYS_DETAIL_POSIX_ERRNO_HPP
#define VITTE_SYS_DETAIL_POSIX_ERRNO_HPP

#include <vitte/base/error.hpp>
#include <vitte/sys/policy/posix.hpp>

#include <errno.h>  // errno

namespace vitte::sys::detail {

// The error `op` reports for errno value `code` (errno itself by default).
inline error errno_error(operation op, int code = errno) noexcept {
  return error{posix_platform::classify(code), op, code, error_domain::posix};
}

}  // namespace vitte::sys::detail

#endif  // VITTE_SYS_DETAIL_POSIX_ERRNO_HPP
