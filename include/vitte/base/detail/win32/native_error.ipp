// The Windows family's native errors (GetLastError, WSAGetLastError): their
// text (detail::native_error_text, FormatMessageA into a buffer) and their
// portable kind (detail::classify_native, which sys's Win32 policy and the
// std::error_code bridge use).
#ifndef VITTE_BASE_DETAIL_WIN32_NATIVE_ERROR_IPP
#define VITTE_BASE_DETAIL_WIN32_NATIVE_ERROR_IPP

#include <vitte/base/config.hpp>
#if !VITTE_OS_WINDOWS
#error "vitte: base/detail/win32/native_error.ipp is the Windows backend"
#endif

#include <vitte/base/detail/win32/windows.hpp>

#include <string.h>  // strerror_s for CRT errno values

namespace vitte::detail {

VITTE_DECL std::size_t native_error_text(error_domain domain, std::int32_t code, char* buf, std::size_t n) noexcept {
  if (n == 0) return 0;
  buf[0] = '\0';
  if (domain == error_domain::posix) {
    if (::strerror_s(buf, n, code) != 0) buf[0] = '\0';
    return ::strlen(buf);
  }
  if (domain != error_domain::win32) return 0;
  DWORD len = ::FormatMessageA(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, nullptr,
                               static_cast<DWORD>(code), 0, buf, static_cast<DWORD>(n), nullptr);
  // Windows ends its messages with ".\r\n"; messages here are one line.
  while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r' || buf[len - 1] == ' ' || buf[len - 1] == '.')) --len;
  buf[len] = '\0';
  return len;
}

// The one Win32 classification: sys::win32_platform::classify and the
// std::error_code bridge (error_code.hpp) both use it.
VITTE_DECL errc classify_native(std::int32_t native) noexcept {
  switch (native) {
    case ERROR_SUCCESS:
      return errc::ok;
    case ERROR_NOT_A_REPARSE_POINT:  // read_link on something that is not a link, as EINVAL
      return errc::invalid_argument;
    case WSAEINTR:
      return errc::interrupted;
    case WSAEWOULDBLOCK:
      return errc::would_block;
    case ERROR_TIMEOUT:
    case WAIT_TIMEOUT:
    case ERROR_SEM_TIMEOUT:
    case WSAETIMEDOUT:
      return errc::timed_out;
    case ERROR_FILE_NOT_FOUND:
    case ERROR_PATH_NOT_FOUND:
    case ERROR_INVALID_DRIVE:
    case ERROR_DEV_NOT_EXIST:
    case ERROR_BAD_NETPATH:
    case ERROR_BAD_NET_NAME:
    case ERROR_MOD_NOT_FOUND:
    case ERROR_PROC_NOT_FOUND:
    case ERROR_NOT_FOUND:
      return errc::not_found;
    case ERROR_FILE_EXISTS:
    case ERROR_ALREADY_EXISTS:
      return errc::already_exists;
    case ERROR_ACCESS_DENIED:
    case ERROR_INVALID_ACCESS:
    case ERROR_PRIVILEGE_NOT_HELD:
    case detail::win32::error_elevation_required:
    case WSAEACCES:
      return errc::permission_denied;
    case ERROR_INVALID_PARAMETER:
    case ERROR_INVALID_NAME:
    case ERROR_BAD_PATHNAME:
    case ERROR_NEGATIVE_SEEK:
    case ERROR_INVALID_FLAGS:
    case ERROR_NOACCESS:
    case WSAEINVAL:
    case WSAEFAULT:
    case WSAENOTSOCK:
    case WSAEISCONN:
      return errc::invalid_argument;
    case ERROR_INVALID_HANDLE:
    case WSAEBADF:
      return errc::bad_descriptor;
    case ERROR_TOO_MANY_OPEN_FILES:
    case WSAEMFILE:
      return errc::too_many_open_files;
    case ERROR_DISK_FULL:
    case ERROR_HANDLE_DISK_FULL:
    case detail::win32::error_disk_quota_exceeded:
    case ERROR_FILE_TOO_LARGE:
    case WSAEDQUOT:
      return errc::no_space;
    case ERROR_NOT_ENOUGH_MEMORY:
    case ERROR_OUTOFMEMORY:
    case ERROR_COMMITMENT_LIMIT:
    case ERROR_NO_SYSTEM_RESOURCES:
    case WSAENOBUFS:
      return errc::no_memory;
    case ERROR_BUSY:
    case ERROR_SHARING_VIOLATION:
    case ERROR_LOCK_VIOLATION:
    case ERROR_PIPE_BUSY:
    case ERROR_DEVICE_IN_USE:
    case ERROR_USER_MAPPED_FILE:
      return errc::busy;
    case ERROR_NOT_SUPPORTED:
    case ERROR_INVALID_FUNCTION:
    case ERROR_CALL_NOT_IMPLEMENTED:
    case WSAEOPNOTSUPP:
    case WSAEAFNOSUPPORT:
    case WSAEPFNOSUPPORT:
    case WSAEPROTONOSUPPORT:
    case WSAESOCKTNOSUPPORT:
      return errc::not_supported;
    case ERROR_DIRECTORY:
      return errc::not_a_directory;
    case detail::win32::error_directory_not_supported:
      return errc::is_a_directory;
    case ERROR_DIR_NOT_EMPTY:
    case WSAENOTEMPTY:
      return errc::directory_not_empty;
    case ERROR_FILENAME_EXCED_RANGE:
    case ERROR_BUFFER_OVERFLOW:
    case WSAENAMETOOLONG:
      return errc::name_too_long;
    case ERROR_CANT_RESOLVE_FILENAME:
    case ERROR_TOO_MANY_LINKS:
    case WSAELOOP:
      return errc::too_many_links;
    case ERROR_NOT_SAME_DEVICE:
      return errc::cross_device;
    case ERROR_WRITE_PROTECT:
      return errc::read_only;
    case ERROR_BROKEN_PIPE:
    case ERROR_NO_DATA:
    case ERROR_PIPE_NOT_CONNECTED:
    case WSAESHUTDOWN:
      return errc::broken_pipe;
    case ERROR_CONNECTION_REFUSED:
    case WSAECONNREFUSED:
      return errc::connection_refused;
    case ERROR_NETNAME_DELETED:
    case WSAENETRESET:
    case WSAECONNRESET:
      return errc::connection_reset;
    case ERROR_CONNECTION_ABORTED:
    case WSAECONNABORTED:
      return errc::connection_aborted;
    case WSAENOTCONN:
      return errc::not_connected;
    case ERROR_ADDRESS_ALREADY_ASSOCIATED:
    case WSAEADDRINUSE:
      return errc::address_in_use;
    case WSAEADDRNOTAVAIL:
      return errc::address_unavailable;
    case ERROR_NETWORK_UNREACHABLE:
    case WSAENETUNREACH:
    case WSAENETDOWN:
      return errc::network_unreachable;
    case ERROR_HOST_UNREACHABLE:
    case WSAEHOSTUNREACH:
    case WSAEHOSTDOWN:
      return errc::host_unreachable;
    case ERROR_IO_PENDING:
    case WSAEINPROGRESS:
    case WSAEALREADY:
      return errc::in_progress;
    case ERROR_MORE_DATA:
    case WSAEMSGSIZE:
      return errc::message_too_long;
    case ERROR_IO_DEVICE:
    case ERROR_CRC:
    case ERROR_SEEK:
    case ERROR_SECTOR_NOT_FOUND:
    case ERROR_WRITE_FAULT:
    case ERROR_READ_FAULT:
    case ERROR_GEN_FAILURE:
      return errc::io_error;
    case ERROR_BAD_EXE_FORMAT:
    case ERROR_BAD_FORMAT:
    case ERROR_EXE_MACHINE_TYPE_MISMATCH:
      return errc::exec_format;
    case ERROR_HANDLE_EOF:
      return errc::unexpected_eof;
    case ERROR_INVALID_DATA:
      return errc::malformed;
    default:
      return errc::unknown;
  }
}

}  // namespace vitte::detail

#endif  // VITTE_BASE_DETAIL_WIN32_NATIVE_ERROR_IPP
