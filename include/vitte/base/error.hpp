// vitte/base/error.hpp - the error type every vitte operation reports.
//
// `vitte::error` is 8 bytes and never allocates. It keeps three things:
//   - kind():   the portable category (vitte::errc), what callers branch on;
//   - op():     which operation failed (vitte::operation: a layer and a code
//               the layer names, see <vitte/base/operation.hpp>), for messages;
//   - native(): the OS's own code (errno, GetLastError) and its domain().
//
//   vitte::error e{vitte::errc::timed_out, vitte::sys::ops::sleep};
//   if (e == vitte::errc::timed_out) { ... }
//   std::puts(e.message().c_str());   // "sleep: timed out"
//
// Conversion to std::error_code lives in <vitte/base/error_code.hpp> so that this
// header stays light.
#ifndef VITTE_BASE_ERROR_HPP
#define VITTE_BASE_ERROR_HPP

#include <vitte/base/config.hpp>
#include <vitte/base/operation.hpp>  // what failed: a layer's operation
#include <vitte/base/text_view.hpp>  // names of kinds

#include <cstddef>  // std::size_t
#include <cstdint>  // fixed-width fields

namespace vitte {

/// Portable error kinds. The OS code behind an error maps onto one of these;
/// errors detected by vitte itself (bad input, limits) use them directly.
enum class errc : std::uint8_t {
  ok = 0,               ///< No error.
  interrupted,          ///< A signal interrupted the call (EINTR).
  would_block,          ///< Non-blocking call found nothing to do (EAGAIN).
  timed_out,            ///< A deadline passed.
  not_found,            ///< No such file, symbol, name, process.
  already_exists,       ///< Exclusive create found the name taken.
  permission_denied,    ///< Access control refused (EACCES, EPERM).
  invalid_argument,     ///< The caller passed something meaningless.
  bad_descriptor,       ///< The handle is closed or of the wrong kind.
  too_many_open_files,  ///< Descriptor limit reached (EMFILE, ENFILE).
  no_space,             ///< Device or quota full (ENOSPC, EDQUOT).
  no_memory,            ///< Out of memory or address space.
  busy,                 ///< Resource in use (EBUSY, ETXTBSY).
  not_supported,        ///< This platform or object cannot do that.
  not_a_directory,      ///< A path component is not a directory.
  is_a_directory,       ///< A directory where a file was expected.
  directory_not_empty,  ///< Removing a non-empty directory.
  name_too_long,        ///< Path or name too long.
  too_many_links,       ///< Symlink loop, or a link the caller refused.
  cross_device,         ///< Rename or link across file systems.
  read_only,            ///< Read-only file system.
  broken_pipe,          ///< Writing to a closed pipe or socket.
  connection_refused,   ///< Nobody listens at the address.
  connection_reset,     ///< The peer reset the connection.
  connection_aborted,   ///< The connection was aborted locally.
  not_connected,        ///< Socket is not connected.
  address_in_use,       ///< Bind to an address already in use.
  address_unavailable,  ///< Address not available on this host.
  network_unreachable,  ///< No route to the network.
  host_unreachable,     ///< No route to the host.
  in_progress,          ///< Non-blocking connect started.
  message_too_long,     ///< Datagram larger than the buffer or the path.
  io_error,             ///< Hardware or low-level I/O failure.
  no_such_process,      ///< The process is gone.
  exec_format,          ///< Not an executable this system can run.
  unexpected_eof,       ///< Input ended before the data did.
  malformed,            ///< Input does not follow its format.
  limit_exceeded,       ///< A configured limit (size, count, depth) was hit.
  version_mismatch,     ///< Format or ABI version not supported.
  verification_failed,  ///< Checksum or signature does not match.
  unknown,              ///< An OS code vitte does not classify.
};

/// Whose code native() is.
enum class error_domain : std::uint8_t {
  none = 0,  ///< No native code: vitte detected the error itself.
  posix,     ///< errno value.
  win32,     ///< GetLastError() / WSAGetLastError() value.
};

/// Name of an error kind, e.g. "timed out". Never empty.
constexpr text_view to_string(errc kind) noexcept;

/// A formatted error message held by value: no allocation.
struct error_message {
  static constexpr std::size_t capacity = 160;
  char text[capacity] = {};
  std::size_t length = 0;

  /// NUL-terminated text.
  const char* c_str() const noexcept { return text; }
  /// The text as a view.
  text_view view() const noexcept { return {text, length}; }
};

/// The error type of every vitte operation. Trivially copyable, 8 bytes.
/// A default-constructed error means success; `if (e)` tests for failure.
/// Thread safety: a value type.
class error {
 public:
  /// Success.
  constexpr error() noexcept = default;

  /// An error of `kind`, raised by `op`, optionally with the OS's code.
  constexpr error(errc kind, operation op = operation::none, std::int32_t native = 0,
                  error_domain domain = error_domain::none) noexcept
      : native_(native), op_(op), kind_(kind), domain_(domain) {}

  /// The portable kind; errc::ok on success.
  constexpr errc kind() const noexcept { return kind_; }
  /// The operation that failed.
  constexpr operation op() const noexcept { return op_; }
  /// The OS's code (errno, GetLastError); 0 when domain() is none.
  constexpr std::int32_t native() const noexcept { return native_; }
  /// Which OS code space native() belongs to.
  constexpr error_domain domain() const noexcept { return domain_; }

  /// True when this is an error (not success).
  constexpr explicit operator bool() const noexcept { return kind_ != errc::ok; }

  /// Compares kinds only: `e == errc::timed_out`.
  friend constexpr bool operator==(const error& e, errc kind) noexcept { return e.kind_ == kind; }
  /// Compares every field.
  friend constexpr bool operator==(const error&, const error&) noexcept = default;

  /// "op: kind (errno 4: Interrupted system call)", without allocating.
  /// The OS text comes from strerror_r / FormatMessage where available.
  error_message message() const noexcept;

 private:
  std::int32_t native_ = 0;
  operation op_ = operation::none;
  errc kind_ = errc::ok;
  error_domain domain_ = error_domain::none;
};

static_assert(sizeof(error) == 8, "vitte::error must stay 8 bytes");

namespace detail {
/// Writes the OS's description of `code` into buf (at most n bytes, always
/// NUL-terminated when n > 0); returns the length written. Empty when the
/// OS has no text or domain is none.
VITTE_DECL std::size_t native_error_text(error_domain domain, std::int32_t code, char* buf, std::size_t n) noexcept;
/// The portable kind of the OS family's native code: an errno value on
/// POSIX systems, a GetLastError()/WSAGetLastError() value on Windows
/// (errc::unknown on bare metal). One per family, beside the text above
/// (base/detail/{posix,win32}/native_error.ipp).
VITTE_DECL errc classify_native(std::int32_t code) noexcept;
}  // namespace detail

}  // namespace vitte

#include <vitte/base/impl/error.hpp>
#if VITTE_HEADER_ONLY
#include <vitte/base/detail/error.ipp>
#endif

#endif  // VITTE_BASE_ERROR_HPP
