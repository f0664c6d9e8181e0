// constexpr definitions for vitte/base/error.hpp (error::message() is in
// detail/error.ipp). Included by it; do not include directly.
#ifndef VITTE_BASE_IMPL_ERROR_HPP
#define VITTE_BASE_IMPL_ERROR_HPP

#include <vitte/base/detail/text.hpp>

namespace vitte {

constexpr text_view to_string(errc kind) noexcept {
  switch (kind) {
    case errc::ok:
      return "success";
    case errc::interrupted:
      return "interrupted";
    case errc::would_block:
      return "would block";
    case errc::timed_out:
      return "timed out";
    case errc::not_found:
      return "not found";
    case errc::already_exists:
      return "already exists";
    case errc::permission_denied:
      return "permission denied";
    case errc::invalid_argument:
      return "invalid argument";
    case errc::bad_descriptor:
      return "bad descriptor";
    case errc::too_many_open_files:
      return "too many open files";
    case errc::no_space:
      return "no space left";
    case errc::no_memory:
      return "out of memory";
    case errc::busy:
      return "resource busy";
    case errc::not_supported:
      return "not supported";
    case errc::not_a_directory:
      return "not a directory";
    case errc::is_a_directory:
      return "is a directory";
    case errc::directory_not_empty:
      return "directory not empty";
    case errc::name_too_long:
      return "name too long";
    case errc::too_many_links:
      return "too many symbolic links";
    case errc::cross_device:
      return "cross-device link";
    case errc::read_only:
      return "read-only file system";
    case errc::broken_pipe:
      return "broken pipe";
    case errc::connection_refused:
      return "connection refused";
    case errc::connection_reset:
      return "connection reset";
    case errc::connection_aborted:
      return "connection aborted";
    case errc::not_connected:
      return "not connected";
    case errc::address_in_use:
      return "address in use";
    case errc::address_unavailable:
      return "address unavailable";
    case errc::network_unreachable:
      return "network unreachable";
    case errc::host_unreachable:
      return "host unreachable";
    case errc::in_progress:
      return "in progress";
    case errc::message_too_long:
      return "message too long";
    case errc::io_error:
      return "I/O error";
    case errc::no_such_process:
      return "no such process";
    case errc::exec_format:
      return "executable format error";
    case errc::unexpected_eof:
      return "unexpected end of input";
    case errc::malformed:
      return "malformed input";
    case errc::limit_exceeded:
      return "limit exceeded";
    case errc::version_mismatch:
      return "unsupported version";
    case errc::verification_failed:
      return "verification failed";
    case errc::unknown:
      return "unknown error";
  }
  return "unknown error";  // a value outside the enumeration
}

}  // namespace vitte

#endif  // VITTE_BASE_IMPL_ERROR_HPP
