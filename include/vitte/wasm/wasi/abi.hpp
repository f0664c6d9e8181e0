// vitte/wasm/wasi/abi.hpp - the WASI preview 1 ABI: errnos, rights, file
// types, and the conversions between them and vitte::sys (errno_of,
// filetype_of, clock_of, times_of). Tables and pure functions only;
// errno_of and filetype_of are in wasi/abi.ipp.
#ifndef VITTE_WASM_WASI_ABI_HPP
#define VITTE_WASM_WASI_ABI_HPP

#include <vitte/base/config.hpp>
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
inline constexpr std::uint16_t e_perm = 63;
inline constexpr std::uint16_t e_pipe = 64;
inline constexpr std::uint16_t e_rofs = 69;
inline constexpr std::uint16_t e_spipe = 70;
inline constexpr std::uint16_t e_srch = 71;
inline constexpr std::uint16_t e_timedout = 73;
inline constexpr std::uint16_t e_xdev = 75;
inline constexpr std::uint16_t e_notcapable = 76;

// The errno of a sys error.
VITTE_DECL std::uint16_t errno_of(vitte::error e) noexcept;

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

// Whether `have` holds every right of `need`: e_success, or e_notcapable.
// Calls check it after the descriptor's existence (e_badf) and kind
// (e_notdir, e_notsock, ...), as wasmtime does.
inline std::uint16_t rights_check(std::uint64_t have, std::uint64_t need) noexcept {
  return (have & need) == need ? e_success : e_notcapable;
}

// Descriptor flags (preview 1's `fdflags`).
inline constexpr std::uint16_t f_append = 1u << 0;
inline constexpr std::uint16_t f_dsync = 1u << 1;
inline constexpr std::uint16_t f_nonblock = 1u << 2;
inline constexpr std::uint16_t f_rsync = 1u << 3;
inline constexpr std::uint16_t f_sync = 1u << 4;
inline constexpr std::uint16_t f_all = 0x1f;

// File types (preview 1's `filetype`).
inline constexpr std::uint8_t t_unknown = 0;
inline constexpr std::uint8_t t_block = 1;
inline constexpr std::uint8_t t_character = 2;
inline constexpr std::uint8_t t_directory = 3;
inline constexpr std::uint8_t t_regular = 4;
inline constexpr std::uint8_t t_socket_stream = 6;
inline constexpr std::uint8_t t_symlink = 7;

// The file type of a sys file type (t_unknown for the others).
VITTE_DECL std::uint8_t filetype_of(sys::file_type t) noexcept;

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

#if VITTE_HEADER_ONLY
#include <vitte/wasm/wasi/abi.ipp>
#endif

#endif  // VITTE_WASM_WASI_ABI_HPP
