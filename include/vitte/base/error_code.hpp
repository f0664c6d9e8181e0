// vitte/base/error_code.hpp - vitte::error to and from std::error_code.
//
//   std::error_code ec = vitte::to_error_code(e);
//   if (ec == std::errc::timed_out) ...           // conditions compare portably
//
// Errors with an OS code keep it: errno values map onto
// std::generic_category(); GetLastError() values onto vitte's Win32 category,
// which compares them to std::errc through vitte's own classification (the
// standard library's Windows mapping differs between implementations). Errors vitte detected itself (no native code)
// map onto vitte::error_category(), whose values are vitte::errc.
#ifndef VITTE_BASE_ERROR_CODE_HPP
#define VITTE_BASE_ERROR_CODE_HPP

#include <vitte/base/error.hpp>
#include <vitte/base/result.hpp>

#include <string>        // error_category::message's result type
#include <system_error>  // std::error_code, std::error_category

namespace vitte {

/// The category of errors vitte detects itself; value() is a vitte::errc.
VITTE_DECL const std::error_category& error_category() noexcept;

/// The std::errc closest to `kind`, or std::errc{} (0) when none is.
constexpr std::errc to_std_errc(errc kind) noexcept;

/// `e` as a std::error_code (see the header for the category rules).
VITTE_DECL std::error_code to_error_code(const error& e) noexcept;

/// For `std::error_code ec = vitte::errc::malformed;`.
inline std::error_code make_error_code(errc kind) noexcept { return {static_cast<int>(kind), error_category()}; }

constexpr std::errc to_std_errc(errc kind) noexcept {
  switch (kind) {
    case errc::interrupted:
      return std::errc::interrupted;
    case errc::would_block:
      return std::errc::resource_unavailable_try_again;
    case errc::timed_out:
      return std::errc::timed_out;
    case errc::not_found:
      return std::errc::no_such_file_or_directory;
    case errc::already_exists:
      return std::errc::file_exists;
    case errc::permission_denied:
      return std::errc::permission_denied;
    case errc::invalid_argument:
      return std::errc::invalid_argument;
    case errc::bad_descriptor:
      return std::errc::bad_file_descriptor;
    case errc::too_many_open_files:
      return std::errc::too_many_files_open;
    case errc::no_space:
      return std::errc::no_space_on_device;
    case errc::no_memory:
      return std::errc::not_enough_memory;
    case errc::busy:
      return std::errc::device_or_resource_busy;
    case errc::not_supported:
      return std::errc::not_supported;
    case errc::not_a_directory:
      return std::errc::not_a_directory;
    case errc::is_a_directory:
      return std::errc::is_a_directory;
    case errc::directory_not_empty:
      return std::errc::directory_not_empty;
    case errc::name_too_long:
      return std::errc::filename_too_long;
    case errc::too_many_links:
      return std::errc::too_many_symbolic_link_levels;
    case errc::cross_device:
      return std::errc::cross_device_link;
    case errc::read_only:
      return std::errc::read_only_file_system;
    case errc::broken_pipe:
      return std::errc::broken_pipe;
    case errc::connection_refused:
      return std::errc::connection_refused;
    case errc::connection_reset:
      return std::errc::connection_reset;
    case errc::connection_aborted:
      return std::errc::connection_aborted;
    case errc::not_connected:
      return std::errc::not_connected;
    case errc::address_in_use:
      return std::errc::address_in_use;
    case errc::address_unavailable:
      return std::errc::address_not_available;
    case errc::network_unreachable:
      return std::errc::network_unreachable;
    case errc::host_unreachable:
      return std::errc::host_unreachable;
    case errc::in_progress:
      return std::errc::operation_in_progress;
    case errc::message_too_long:
      return std::errc::message_size;
    case errc::io_error:
      return std::errc::io_error;
    case errc::no_such_process:
      return std::errc::no_such_process;
    case errc::exec_format:
      return std::errc::executable_format_error;
    case errc::ok:
    case errc::unexpected_eof:
    case errc::malformed:
    case errc::limit_exceeded:
    case errc::version_mismatch:
    case errc::verification_failed:
    case errc::unknown:
      return std::errc{};
  }
  return std::errc{};
}

}  // namespace vitte

template <>
struct std::is_error_code_enum<vitte::errc> : std::true_type {};

#if VITTE_HEADER_ONLY
#include <vitte/base/detail/error_code.ipp>
#endif

#endif  // VITTE_BASE_ERROR_CODE_HPP
