// vitte/sys/operations.hpp - the operations of vitte/sys, as errors name them.
//
//   vitte::error e{vitte::errc::timed_out, vitte::sys::ops::sleep};
//   e.message();                                   // "sleep: timed out"
//   fault_plan::fail(vitte::sys::ops::read, ...);  // fault injection keys on them too
#ifndef VITTE_SYS_OPERATIONS_HPP
#define VITTE_SYS_OPERATIONS_HPP

#include <vitte/base/operation.hpp>

// clang-format off
#define VITTE_SYS_OPERATIONS(X)                                                                   \
  /* clocks and system information (time.hpp, info.hpp) */                                       \
  X(clock_now) X(clock_resolution) X(sleep) X(system_info)                                         \
  /* files, generic */                                                                            \
  X(open) X(close) X(read) X(write)                                                                \
  /* memory (memory.hpp, shared_memory.hpp, arena.hpp) */                                         \
  X(memory_reserve) X(memory_commit) X(memory_decommit) X(memory_protect) X(memory_release)        \
  X(memory_advise) X(memory_lock) X(memory_unlock) X(memory_flush_icache)                          \
  X(shared_memory_create) X(shared_memory_map) X(allocate)                                         \
  /* threads and synchronisation (thread.hpp, mutex.hpp, wait.hpp, ...) */                        \
  X(thread_create) X(thread_join) X(thread_set_name) X(thread_get_name) X(thread_set_affinity)     \
  X(mutex_lock) X(mutex_unlock) X(condition_wait) X(semaphore_wait) X(wait_on_address)             \
  X(wake_on_address)                                                                               \
  /* files and directories (fs.hpp and friends) */                                                \
  X(file_sync) X(file_size) X(file_truncate) X(file_allocate) X(file_lock) X(file_unlock)          \
  X(file_stat) X(dir_open) X(dir_read) X(dir_create) X(dir_remove) X(remove) X(rename) X(link)     \
  X(symlink) X(read_link) X(set_times) X(set_permissions) X(copy_file) X(map_file) X(watch)        \
  X(current_directory) X(canonical) X(temp_create) X(path_convert) X(atomic_replace)               \
  /* sockets and polling (net.hpp, poller.hpp) */                                                 \
  X(resolve) X(socket_create) X(socket_bind) X(socket_listen) X(socket_accept) X(socket_connect)   \
  X(socket_send) X(socket_receive) X(socket_shutdown) X(socket_option) X(socket_pair)              \
  X(poller_create) X(poller_add) X(poller_modify) X(poller_remove) X(poller_wait) X(poller_wake)   \
  X(address_parse)                                                                                 \
  /* processes, libraries, environment, signals, randomness */                                    \
  X(process_spawn) X(process_wait) X(process_kill) X(pipe_create) X(find_program) X(library_open)  \
  X(library_symbol) X(library_close) X(environment) X(signal_watch) X(signal_mask) X(host_info)    \
  X(random)
// clang-format on

namespace vitte::sys {
/// The operations vitte/sys reports in errors: ops::open, ops::sleep, ...
VITTE_OPERATIONS(ops, ::vitte::facility::sys, "sys", VITTE_SYS_OPERATIONS);
}  // namespace vitte::sys

#endif  // VITTE_SYS_OPERATIONS_HPP
