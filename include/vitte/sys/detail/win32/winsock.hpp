// Winsock for the win32 backends: <winsock2.h> and friends, and a start-up
// done once per process, on first use (WSAStartup 2.2; never cleaned up, as
// the process's exit does that).
#ifndef VITTE_SYS_DETAIL_WIN32_WINSOCK_HPP
#define VITTE_SYS_DETAIL_WIN32_WINSOCK_HPP

#include <vitte/base/detail/win32/windows.hpp>
#include <vitte/sys/detail/win32/last_error.hpp>
#include <vitte/sys/detail/win32/platform.ipp>  // wait_ms, ms_until
#include <vitte/sys/policy/win32.hpp>

#include <winsock2.h>

#include <ws2tcpip.h>

namespace vitte::sys::detail::win32_net {

inline error wsa_error(operation op, int code = ::WSAGetLastError()) noexcept {
  return last_error(op, static_cast<DWORD>(code));  // Winsock codes are Windows error codes
}

// Starts Winsock once; later calls return the first call's outcome.
inline error startup() noexcept {
  static const int code = [] {
    WSADATA data;
    return ::WSAStartup(MAKEWORD(2, 2), &data);
  }();
  if (code != 0) return wsa_error(ops::socket_create, code);
  return {};
}

// WSAPoll's and select's timeout for an absolute monotonic deadline,
// rounded up to whole milliseconds; -1 for never (INT64_MAX).
inline int poll_timeout_ms(std::int64_t deadline_ns) noexcept {
  std::int64_t ms = win32::ms_until(deadline_ns);  // -1 for never, as WSAPoll wants
  return ms > 0x7FFFFFFF ? 0x7FFFFFFF : static_cast<int>(ms);
}

inline SOCKET sock(native_handle h) noexcept { return static_cast<SOCKET>(h); }

}  // namespace vitte::sys::detail::win32_net

#endif  // VITTE_SYS_DETAIL_WIN32_WINSOCK_HPP
