// vitte/wasm/wasi/abi.hpp - the WASI preview 1 ABI: errnos, rights, file
// types, and the conversions between them and vitte::sys (errno_of,
// filetype_of, clock_of, times_of). Tables and pure functions only.
#ifndef VITTE_WASM_WASI_ABI_HPP
#define VITTE_WASM_WASI_ABI_HPP

#include <vitte/base/error.hpp>    // vitte::error, errc: errno_of's input
#include <vitte/sys/clock_id.hpp>  // clock_of's output
#include <vitte/sys/fs_types.hpp>  // file_type, keep_time, now_time

#include <cstdint>

namespace vitte::wasm::detail::wasi {

// The errnos of preview 1 (wasi_snapshot_preview1's `errno` enum).
inline constexpr std::uint16_t e_success = 0;
inline constexpr std::uint16_t e_2big = 1;
inline constexpr std::uint16_t e_acces = 2;
inline constexpr std::uint16_t e_addrinuse = 3;
inline constexpr std::uint16_t e_addrnotavail = 4;
inline constexpr std::uint16_t e_again = 6;
inline constexpr std::uint16_t e_badf = 8;
inline constexpr std::uint16_t e_busy = 10;
inline constexpr std::uint16_t e_connaborted = 13;
inline constexpr std::uint16_t e_connrefused = 14;
inline constexpr std::uint16_t e_connreset = 15;
inline constexpr std::uint16_t e_exist = 20;
inline constexpr std::uint16_t e_fault = 21;
inline constexpr std::uint16_t e_fbig = 22;
inline constexpr std::uint16_t e_hostunreach = 23;
inline constexpr std::uint16_t e_ilseq = 25;
inline constexpr std::uint16_t e_inprogress = 26;
inline constexpr std::uint16_t e_intr = 27;
inline constexpr std::uint16_t e_inval = 28;
inline constexpr std::uint16_t e_io = 29;
inline constexpr std::uint16_t e_isdir = 31;
inline constexpr std::uint16_t e_loop = 32;
inline constexpr std::uint16_t e_mfile = 33;
inline constexpr std::uint16_t e_msgsize = 35;
inline constexpr std::uint16_t e_nametoolong = 37;
inline constexpr std::uint16_t e_netunreach = 40;
inline constexpr std::uint16_t e_noent = 44;
inline constexpr std::uint16_t e_noexec = 45;
inline constexpr std::uint16_t e_nomem = 48;
inline constexpr std::uint16_t e_nospc = 51;
inline constexpr std::uint16_t e_notconn = 53;
inline constexpr std::uint16_t e_notdir = 54;
inline constexpr std::uint16_t e_notempty = 55;
inline constexpr std::uint16_t e_notsock = 57;
inline constexpr std::uint16_t e_notsup = 58;
inline constexpr std::uint16_t e_pipe = 64;
inline constexpr std::uint16_t e_rofs = 69;
inline constexpr std::uint16_t e_spipe = 70;
inline constexpr std::uint16_t e_srch = 71;
inline constexpr std::uint16_t e_timedout = 73;
inline constexpr std::uint16_t e_xdev = 75;
inline constexpr std::uint16_t e_notcapable = 76;

// The errno of a sys error.
inline std::uint16_t errno_of(vitte::error e) noexcept {
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

// Rights (bit numbers of preview 1's `rights`).
inline constexpr std::uint64_t r_fd_datasync = 1ull << 0;
inline constexpr std::uint64_t r_fd_read = 1ull << 1;
inline constexpr std::uint64_t r_fd_seek = 1ull << 2;
inline constexpr std::uint64_t r_fd_fdstat_set_flags = 1ull << 3;
inline constexpr std::uint64_t r_fd_sync = 1ull << 4;
inline constexpr std::uint64_t r_fd_tell = 1ull << 5;
inline constexpr std::uint64_t r_fd_write = 1ull << 6;
inline constexpr std::uint64_t r_fd_advise = 1ull << 7;
inline constexpr std::uint64_t r_fd_allocate = 1ull << 8;
inline constexpr std::uint64_t r_path_create_directory = 1ull << 9;
inline constexpr std::uint64_t r_path_create_file = 1ull << 10;
inline constexpr std::uint64_t r_path_link_source = 1ull << 11;
inline constexpr std::uint64_t r_path_link_target = 1ull << 12;
inline constexpr std::uint64_t r_path_open = 1ull << 13;
inline constexpr std::uint64_t r_fd_readdir = 1ull << 14;
inline constexpr std::uint64_t r_path_readlink = 1ull << 15;
inline constexpr std::uint64_t r_path_rename_source = 1ull << 16;
inline constexpr std::uint64_t r_path_rename_target = 1ull << 17;
inline constexpr std::uint64_t r_path_filestat_get = 1ull << 18;
inline constexpr std::uint64_t r_path_filestat_set_size = 1ull << 19;
inline constexpr std::uint64_t r_path_filestat_set_times = 1ull << 20;
inline constexpr std::uint64_t r_fd_filestat_get = 1ull << 21;
inline constexpr std::uint64_t r_fd_filestat_set_size = 1ull << 22;
inline constexpr std::uint64_t r_fd_filestat_set_times = 1ull << 23;
inline constexpr std::uint64_t r_path_symlink = 1ull << 24;
inline constexpr std::uint64_t r_path_remove_directory = 1ull << 25;
inline constexpr std::uint64_t r_path_unlink_file = 1ull << 26;
inline constexpr std::uint64_t r_poll_fd_readwrite = 1ull << 27;
inline constexpr std::uint64_t r_sock_shutdown = 1ull << 28;
inline constexpr std::uint64_t r_sock_accept = 1ull << 29;
inline constexpr std::uint64_t r_all = (1ull << 30) - 1;
inline constexpr std::uint64_t r_file = r_fd_datasync | r_fd_read | r_fd_seek | r_fd_fdstat_set_flags | r_fd_sync |
                                        r_fd_tell | r_fd_write | r_fd_advise | r_fd_allocate | r_fd_filestat_get |
                                        r_fd_filestat_set_size | r_fd_filestat_set_times | r_poll_fd_readwrite;
inline constexpr std::uint64_t r_directory =
    r_fd_fdstat_set_flags | r_fd_sync | r_fd_advise | r_path_create_directory | r_path_create_file |
    r_path_link_source | r_path_link_target | r_path_open | r_fd_readdir | r_path_readlink | r_path_rename_source |
    r_path_rename_target | r_path_filestat_get | r_path_filestat_set_size | r_path_filestat_set_times |
    r_fd_filestat_get | r_fd_filestat_set_times | r_path_symlink | r_path_remove_directory | r_path_unlink_file;
inline constexpr std::uint64_t r_socket = r_fd_read | r_fd_write | r_fd_fdstat_set_flags | r_fd_filestat_get |
                                          r_poll_fd_readwrite | r_sock_shutdown | r_sock_accept;

// File types (preview 1's `filetype`).
inline constexpr std::uint8_t t_unknown = 0;
inline constexpr std::uint8_t t_block = 1;
inline constexpr std::uint8_t t_character = 2;
inline constexpr std::uint8_t t_directory = 3;
inline constexpr std::uint8_t t_regular = 4;
inline constexpr std::uint8_t t_socket_stream = 6;
inline constexpr std::uint8_t t_symlink = 7;

inline std::uint8_t filetype_of(sys::file_type t) noexcept {
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

// The clock of a WASI clockid: realtime, monotonic, process and thread CPU.
inline bool clock_of(std::uint64_t id, sys::clock_id& out) noexcept {
  static constexpr sys::clock_id ids[] = {sys::clock_id::realtime, sys::clock_id::monotonic, sys::clock_id::process_cpu,
                                          sys::clock_id::thread_cpu};
  if (id >= 4) return false;
  out = ids[id];
  return true;
}

// The times of fd/path_filestat_set_times from fstflags: atim 1, atim_now
// 2, mtim 4, mtim_now 8.
inline bool times_of(std::uint64_t flags, std::uint64_t atim, std::uint64_t mtim, std::int64_t& at,
                     std::int64_t& mt) noexcept {
  if ((flags & ~0xfull) != 0 || ((flags & 3) == 3) || ((flags & 12) == 12)) return false;
  at = (flags & 1) ? static_cast<std::int64_t>(atim) : (flags & 2) ? sys::now_time : sys::keep_time;
  mt = (flags & 4) ? static_cast<std::int64_t>(mtim) : (flags & 8) ? sys::now_time : sys::keep_time;
  return true;
}

}  // namespace vitte::wasm::detail::wasi

#endif  // VITTE_WASM_WASI_ABI_HPP
