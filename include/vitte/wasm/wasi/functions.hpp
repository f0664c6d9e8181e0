// vitte/wasm/wasi/functions.hpp - the functions of
// wasi_snapshot_preview1: name and wasm parameter types ('i' i32, 'I' i64).
// Each returns an i32 errno, except proc_exit, which returns nothing.
#ifndef VITTE_WASM_WASI_FUNCTIONS_HPP
#define VITTE_WASM_WASI_FUNCTIONS_HPP

#include <cstddef>

// clang-format off
#define VITTE_WASI_FUNCTIONS(X) \
  X(args_get, "ii") \
  X(args_sizes_get, "ii") \
  X(environ_get, "ii") \
  X(environ_sizes_get, "ii") \
  X(clock_res_get, "ii") \
  X(clock_time_get, "iIi") \
  X(fd_advise, "iIIi") \
  X(fd_allocate, "iII") \
  X(fd_close, "i") \
  X(fd_datasync, "i") \
  X(fd_fdstat_get, "ii") \
  X(fd_fdstat_set_flags, "ii") \
  X(fd_fdstat_set_rights, "iII") \
  X(fd_filestat_get, "ii") \
  X(fd_filestat_set_size, "iI") \
  X(fd_filestat_set_times, "iIIi") \
  X(fd_pread, "iiiIi") \
  X(fd_prestat_get, "ii") \
  X(fd_prestat_dir_name, "iii") \
  X(fd_pwrite, "iiiIi") \
  X(fd_read, "iiii") \
  X(fd_readdir, "iiiIi") \
  X(fd_renumber, "ii") \
  X(fd_seek, "iIii") \
  X(fd_sync, "i") \
  X(fd_tell, "ii") \
  X(fd_write, "iiii") \
  X(path_create_directory, "iii") \
  X(path_filestat_get, "iiiii") \
  X(path_filestat_set_times, "iiiiIIi") \
  X(path_link, "iiiiiii") \
  X(path_open, "iiiiiIIii") \
  X(path_readlink, "iiiiii") \
  X(path_remove_directory, "iii") \
  X(path_rename, "iiiiii") \
  X(path_symlink, "iiiii") \
  X(path_unlink_file, "iii") \
  X(poll_oneoff, "iiii") \
  X(proc_exit, "i") \
  X(proc_raise, "i") \
  X(sched_yield, "") \
  X(random_get, "ii") \
  X(sock_accept, "iii") \
  X(sock_recv, "iiiiii") \
  X(sock_send, "iiiii") \
  X(sock_shutdown, "ii")
// clang-format on

namespace vitte::wasm::detail::wasi {

struct function_info {
  const char* name;
  const char* params;
};
// clang-format off
inline constexpr function_info functions[] = {
#define VITTE_WASI_INFO(name, sig) {#name, sig},
  VITTE_WASI_FUNCTIONS(VITTE_WASI_INFO)
#undef VITTE_WASI_INFO
};
// clang-format on
constexpr std::size_t function_count = sizeof functions / sizeof functions[0];

}  // namespace vitte::wasm::detail::wasi

#endif  // VITTE_WASM_WASI_FUNCTIONS_HPP
