// vitte/wasm/wasi/abi.ipp - the conversions of the WASI ABI (wasi/abi.hpp)
// that are switches over every case: errno_of, filetype_of.
#ifndef VITTE_WASM_WASI_ABI_IPP
#define VITTE_WASM_WASI_ABI_IPP

#include <vitte/base/config.hpp>
#include <vitte/base/error.hpp>
#include <vitte/sys/fs_types.hpp>
#include <vitte/wasm/wasi/abi.hpp>

#include <cstdint>

namespace vitte::wasm::detail::wasi {

// The errno of a sys error.
VITTE_DECL std::uint16_t errno_of(vitte::error e) noexcept {
  switch (e.kind()) {
    case errc::ok:
      return e_success;
    case errc::interrupted:
      return e_intr;
    case errc::would_block:
      return e_again;
    case errc::timed_out:
      return e_timedout;
    case errc::not_found:
      return e_noent;
    case errc::already_exists:
      return e_exist;
    case errc::permission_denied:
      return e_acces;
    case errc::bad_descriptor:
      return e_badf;
    case errc::too_many_open_files:
      return e_mfile;
    case errc::no_space:
      return e_nospc;
    case errc::no_memory:
      return e_nomem;
    case errc::busy:
      return e_busy;
    case errc::not_supported:
      return e_notsup;
    case errc::not_a_directory:
      return e_notdir;
    case errc::is_a_directory:
      return e_isdir;
    case errc::directory_not_empty:
      return e_notempty;
    case errc::name_too_long:
      return e_nametoolong;
    case errc::too_many_links:
      return e_loop;
    case errc::cross_device:
      return e_xdev;
    case errc::read_only:
      return e_rofs;
    case errc::broken_pipe:
      return e_pipe;
    case errc::connection_refused:
      return e_connrefused;
    case errc::connection_reset:
      return e_connreset;
    case errc::connection_aborted:
      return e_connaborted;
    case errc::not_connected:
      return e_notconn;
    case errc::address_in_use:
      return e_addrinuse;
    case errc::address_unavailable:
      return e_addrnotavail;
    case errc::network_unreachable:
      return e_netunreach;
    case errc::host_unreachable:
      return e_hostunreach;
    case errc::in_progress:
      return e_inprogress;
    case errc::message_too_long:
      return e_msgsize;
    case errc::no_such_process:
      return e_srch;
    case errc::exec_format:
      return e_noexec;
    case errc::limit_exceeded:
      return e_fbig;
    case errc::invalid_argument:
    case errc::malformed:
    case errc::version_mismatch:
    case errc::verification_failed:
      return e_inval;
    case errc::io_error:
    case errc::unexpected_eof:
    case errc::unknown:
      return e_io;
  }
  return e_io;
}

VITTE_DECL std::uint8_t filetype_of(sys::file_type t) noexcept {
  switch (t) {
    case sys::file_type::regular:
      return t_regular;
    case sys::file_type::directory:
      return t_directory;
    case sys::file_type::symlink:
      return t_symlink;
    case sys::file_type::block:
      return t_block;
    case sys::file_type::character:
      return t_character;
    case sys::file_type::socket:
      return t_socket_stream;
    default:
      return t_unknown;
  }
}

}  // namespace vitte::wasm::detail::wasi

#endif  // VITTE_WASM_WASI_ABI_IPP
