// The POSIX family's native errors (errno values): their text
// (detail::native_error_text, strerror_r, thread-safe) and their portable
// kind (detail::classify_native, which sys's POSIX policies forward to).
#ifndef VITTE_BASE_DETAIL_POSIX_NATIVE_ERROR_IPP
#define VITTE_BASE_DETAIL_POSIX_NATIVE_ERROR_IPP

#include <vitte/base/config.hpp>
#if !VITTE_OS_POSIX
#error "vitte: base/detail/posix/native_error.ipp is the POSIX backend"
#endif

#include <errno.h>   // the values classified
#include <string.h>  // strerror_r

namespace vitte::detail {

// glibc's strerror_r returns char* (GNU) or int (XSI) depending on feature
// macros; these two overloads accept either without testing the macros.
inline const char* strerror_result(int rc, const char* buf) noexcept { return rc == 0 ? buf : ""; }
inline const char* strerror_result(const char* p, const char*) noexcept { return p != nullptr ? p : ""; }

VITTE_DECL std::size_t native_error_text(error_domain domain, std::int32_t code, char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  buf[0] = '\0';
  if (domain != error_domain::posix) return 0;
  char tmp[128];
  tmp[0] = '\0';
  const char* text = strerror_result(::strerror_r(code, tmp, sizeof tmp), tmp);
  std::size_t len = 0;
  while (text[len] != '\0' && len + 1 < n) {
    buf[len] = text[len];
    ++len;
  }
  buf[len] = '\0';
  return len;
}

// The portable kind of an errno value.
VITTE_DECL errc classify_native(std::int32_t native) noexcept {
  switch (native) {
    case 0:
      return errc::ok;
    case EINTR:
      return errc::interrupted;
    case EAGAIN:
      return errc::would_block;
#if EWOULDBLOCK != EAGAIN
    case EWOULDBLOCK:
      return errc::would_block;
#endif
    case ETIMEDOUT:
      return errc::timed_out;
    case ENOENT:
      return errc::not_found;
    case ESRCH:
      return errc::no_such_process;
    case EEXIST:
      return errc::already_exists;
    case EACCES:
    case EPERM:
      return errc::permission_denied;
    case EINVAL:
    case EDOM:
    case ERANGE:
      return errc::invalid_argument;
    case EBADF:
      return errc::bad_descriptor;
    case EMFILE:
    case ENFILE:
      return errc::too_many_open_files;
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      return errc::no_space;
    case ENOMEM:
      return errc::no_memory;
    case EBUSY:
    case ETXTBSY:
      return errc::busy;
    case ENOSYS:
    case ENOTSUP:
#if EOPNOTSUPP != ENOTSUP
    case EOPNOTSUPP:
#endif
    case EAFNOSUPPORT:
    case EPROTONOSUPPORT:
      return errc::not_supported;
    case ENOTDIR:
      return errc::not_a_directory;
    case EISDIR:
      return errc::is_a_directory;
    case ENOTEMPTY:
      return errc::directory_not_empty;
    case ENAMETOOLONG:
      return errc::name_too_long;
    case ELOOP:
    case EMLINK:
      return errc::too_many_links;
    case EXDEV:
      return errc::cross_device;
    case EROFS:
      return errc::read_only;
    case EPIPE:
      return errc::broken_pipe;
    case ECONNREFUSED:
      return errc::connection_refused;
    case ECONNRESET:
      return errc::connection_reset;
    case ECONNABORTED:
      return errc::connection_aborted;
    case ENOTCONN:
      return errc::not_connected;
    case EADDRINUSE:
      return errc::address_in_use;
    case EADDRNOTAVAIL:
      return errc::address_unavailable;
    case ENETUNREACH:
    case ENETDOWN:
      return errc::network_unreachable;
    case EHOSTUNREACH:
      return errc::host_unreachable;
    case EINPROGRESS:
    case EALREADY:
      return errc::in_progress;
    case EMSGSIZE:
      return errc::message_too_long;
    case EIO:
      return errc::io_error;
    case ENOEXEC:
      return errc::exec_format;
    case ENOTSOCK:
    case EISCONN:
      return errc::invalid_argument;
    default:
      return errc::unknown;
  }
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_POSIX_NATIVE_ERROR_IPP
