// vitte/sys/policy/os_base.hpp - what every operating system's policy
// declares, written once.
//
// posix_platform and win32_platform (and the Linux, Darwin and BSD policies
// derived from the first) provide the same functions with the same
// signatures. They are declared here, in os_platform_base, which both derive
// from; each OS's backend defines them in vitte/sys/detail/<os>/*.ipp, with
// how that OS does it beside each definition, and a program compiles one
// OS's definitions only. What each function must do is stated by the
// capability concepts (vitte/sys/capabilities.hpp); a policy header declares
// what its OS adds or replaces, and its constants.
//
// This header includes no OS header.
#ifndef VITTE_SYS_POLICY_OS_BASE_HPP
#define VITTE_SYS_POLICY_OS_BASE_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/fs_types.hpp>      // fs: handles, open modes, metadata, entries
#include <vitte/sys/memory_types.hpp>  // memory: protection, advice, commit_options
#include <vitte/sys/net_types.hpp>     // net: addresses, options
#include <vitte/sys/operations.hpp>
#include <vitte/sys/poller_types.hpp>  // poller: io_events, trigger, poll_event
#include <vitte/sys/process_types.hpp>

#include <cstddef>
#include <cstdint>

namespace vitte::sys {

/// The functions every OS policy declares. Not a policy itself: it has no
/// name, clocks or constants; posix_platform and win32_platform are.
struct os_platform_base {
  // error
  static VITTE_DECL error make_error(errc kind, operation op) noexcept;
  static VITTE_DECL errc classify(int native) noexcept;

  // clock
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;

  // sleep
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  static VITTE_DECL std::size_t page_size() noexcept;
  static VITTE_DECL std::size_t allocation_granularity() noexcept;
  static VITTE_DECL unsigned cpu_count() noexcept;
  static VITTE_DECL std::size_t os_description(char* buf, std::size_t n) noexcept;

  // memory
  static VITTE_DECL std::size_t huge_page_sizes(std::size_t* out, std::size_t n) noexcept;
  static VITTE_DECL result<void*> memory_reserve(std::size_t size, protection prot, commit_options options) noexcept;
  static VITTE_DECL error memory_commit(void* p, std::size_t size, protection prot, commit_options options) noexcept;
  static VITTE_DECL error memory_decommit(void* p, std::size_t size) noexcept;
  static VITTE_DECL error memory_protect(void* p, std::size_t size, protection prot) noexcept;
  static VITTE_DECL error memory_release(void* p, std::size_t size) noexcept;
  static VITTE_DECL error memory_advise(void* p, std::size_t size, advice a) noexcept;
  static VITTE_DECL error memory_lock(void* p, std::size_t size) noexcept;
  static VITTE_DECL error memory_unlock(void* p, std::size_t size) noexcept;
  static VITTE_DECL error flush_instruction_cache(const void* p, std::size_t size) noexcept;

  // shared memory
  static VITTE_DECL result<std::intptr_t> shared_memory_create(std::size_t size) noexcept;
  static VITTE_DECL result<void*> shared_memory_map(std::intptr_t handle, std::size_t size, protection prot) noexcept;
  static VITTE_DECL error shared_memory_unmap(void* p, std::size_t size) noexcept;
  static VITTE_DECL void shared_memory_close(std::intptr_t handle) noexcept;

  // aligned allocation
  static VITTE_DECL result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept;
  static VITTE_DECL void aligned_free(void* p) noexcept;

  // process: processes, pipes, environment and host information
  static VITTE_DECL error process_spawn(const spawn_request& req, native_process& out) noexcept;
  static VITTE_DECL error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept;
  static VITTE_DECL error process_signal(const native_process& p, process_signal_kind kind) noexcept;
  static VITTE_DECL void process_release(native_process& p, bool keep_running) noexcept;
  static VITTE_DECL std::int64_t process_current_id() noexcept;
  static VITTE_DECL error pipe_create(native_handle (&ends)[2], bool overlapped_read) noexcept;
  static VITTE_DECL result<native_handle> null_device_open(bool write) noexcept;
  static VITTE_DECL native_handle std_handle(int which) noexcept;
  static VITTE_DECL error pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                                     std::int64_t deadline_ns) noexcept;
  static VITTE_DECL error program_check(const char* path) noexcept;
  static VITTE_DECL result<std::size_t> env_get(const char* name, char* buf, std::size_t n) noexcept;
  static VITTE_DECL error env_set(const char* name, const char* value) noexcept;
  static VITTE_DECL error env_unset(const char* name) noexcept;
  static VITTE_DECL void env_list(void (*each)(void* ctx, const char* entry, std::size_t length), void* ctx) noexcept;
  static VITTE_DECL result<std::size_t> executable_path(char* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> host_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL std::uint64_t physical_memory() noexcept;
  static VITTE_DECL std::size_t os_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL std::size_t os_version(char* buf, std::size_t n) noexcept;

  // dynlib
  static VITTE_DECL result<native_handle> library_open(const char* path, library_flags flags,
                                                       vitte::diagnostic* why) noexcept;
  static VITTE_DECL result<void*> library_symbol(native_handle h, const char* name, vitte::diagnostic* why) noexcept;
  static VITTE_DECL result<void*> library_symbol_version(native_handle h, const char* name, const char* version,
                                                         vitte::diagnostic* why) noexcept;
  static VITTE_DECL error library_close(native_handle h, vitte::diagnostic* why) noexcept;
  static VITTE_DECL error library_pin(native_handle h) noexcept;

  // signal
  static VITTE_DECL result<native_handle> signal_open(std::uint32_t mask) noexcept;
  static VITTE_DECL result<signal_kind> signal_read(native_handle h) noexcept;
  static VITTE_DECL error signal_wait(native_handle h, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void signal_close(native_handle h, std::uint32_t mask) noexcept;
  static VITTE_DECL error signal_block(std::uint32_t mask, bool block) noexcept;
  static VITTE_DECL error signal_raise(signal_kind kind) noexcept;

  // thread
  static VITTE_DECL error thread_create(std::uintptr_t& handle, void (**start)(void*), std::size_t stack_size) noexcept;
  static VITTE_DECL error thread_join(std::uintptr_t handle) noexcept;
  static VITTE_DECL error thread_detach(std::uintptr_t handle) noexcept;
  static VITTE_DECL std::uint64_t thread_id_of(std::uintptr_t handle) noexcept;
  static VITTE_DECL std::uint64_t thread_current_id() noexcept;
  static VITTE_DECL void thread_yield() noexcept;
  static VITTE_DECL error thread_set_name(const char* name) noexcept;
  static VITTE_DECL error thread_get_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept;
  static VITTE_DECL int thread_current_cpu() noexcept;

  // wait
  static VITTE_DECL error wait_on_address(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void wake_on_address(const void* addr, bool all) noexcept;

  // native locks
  static VITTE_DECL void mutex_init(void* m) noexcept;
  static VITTE_DECL void mutex_destroy(void* m) noexcept;
  static VITTE_DECL void mutex_lock(void* m) noexcept;
  static VITTE_DECL bool mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void mutex_unlock(void* m) noexcept;
  static VITTE_DECL void condition_init(void* c) noexcept;
  static VITTE_DECL void condition_destroy(void* c) noexcept;
  static VITTE_DECL error condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void condition_notify(void* c, bool all) noexcept;
  static VITTE_DECL void shared_mutex_init(void* m) noexcept;
  static VITTE_DECL void shared_mutex_destroy(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock_shared(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock_shared(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock_shared(void* m) noexcept;

  // files and directories
  static VITTE_DECL result<native_handle> file_open(native_handle dir, const char* path, open_mode mode,
                                                    std::uint32_t perms) noexcept;
  static VITTE_DECL error file_close(native_handle h) noexcept;
  static VITTE_DECL result<std::size_t> file_read(native_handle h, void* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> file_write(native_handle h, const void* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> file_read_at(native_handle h, void* buf, std::size_t n,
                                                     std::uint64_t offset) noexcept;
  static VITTE_DECL result<std::size_t> file_write_at(native_handle h, const void* buf, std::size_t n,
                                                      std::uint64_t offset) noexcept;
  static VITTE_DECL result<std::size_t> file_read_vec(native_handle h, const mutable_buffer* bufs,
                                                      std::size_t count) noexcept;
  static VITTE_DECL result<std::size_t> file_write_vec(native_handle h, const const_buffer* bufs,
                                                       std::size_t count) noexcept;
  static VITTE_DECL result<std::uint64_t> file_seek(native_handle h, std::int64_t offset, seek_origin origin) noexcept;
  static VITTE_DECL error file_stat(native_handle h, file_status& out) noexcept;
  static VITTE_DECL error file_truncate(native_handle h, std::uint64_t size) noexcept;
  static VITTE_DECL error file_set_times(native_handle h, std::int64_t atime_ns, std::int64_t mtime_ns) noexcept;
  static VITTE_DECL error file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept;
  static VITTE_DECL error file_sync(native_handle h, bool data_only) noexcept;
  static VITTE_DECL error file_lock(native_handle h, lock_kind kind, bool wait) noexcept;
  static VITTE_DECL error file_unlock(native_handle h) noexcept;
  static VITTE_DECL result<native_handle> dir_open(native_handle dir, const char* path, bool no_follow) noexcept;
  static VITTE_DECL void dir_close(native_handle h) noexcept;
  static VITTE_DECL error dir_sync(native_handle h) noexcept;
  static VITTE_DECL result<std::intptr_t> dir_stream_open(native_handle dir) noexcept;
  static VITTE_DECL error dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept;
  static VITTE_DECL void dir_stream_close(std::intptr_t stream) noexcept;
  static VITTE_DECL error path_stat(native_handle dir, const char* path, bool follow, file_status& out) noexcept;
  static VITTE_DECL error dir_create(native_handle dir, const char* path, std::uint32_t perms) noexcept;
  static VITTE_DECL error path_remove(native_handle dir, const char* path, bool directory) noexcept;
  static VITTE_DECL error path_rename(native_handle from_dir, const char* from, native_handle to_dir,
                                      const char* to) noexcept;
  static VITTE_DECL error path_link(native_handle from_dir, const char* from, native_handle to_dir,
                                    const char* to) noexcept;
  static VITTE_DECL error path_symlink(const char* target, native_handle dir, const char* path) noexcept;
  static VITTE_DECL result<std::size_t> path_read_link(native_handle dir, const char* path, char* buf,
                                                       std::size_t n) noexcept;
  static VITTE_DECL error path_set_times(native_handle dir, const char* path, std::int64_t atime_ns,
                                         std::int64_t mtime_ns, bool follow) noexcept;
  static VITTE_DECL error path_set_permissions(native_handle dir, const char* path, std::uint32_t perms,
                                               bool follow) noexcept;
  static VITTE_DECL error path_copy(const char* from, const char* to, bool overwrite) noexcept;
  static VITTE_DECL result<std::size_t> file_copy_chunk(native_handle in, native_handle out, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> current_directory(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error set_current_directory(const char* path) noexcept;
  static VITTE_DECL result<std::size_t> canonical_path(const char* path, char* buf, std::size_t n) noexcept;
  static VITTE_DECL result<std::size_t> temp_directory(char* buf, std::size_t n) noexcept;
  static VITTE_DECL result<void*> file_map(native_handle h, std::uint64_t offset, std::size_t size,
                                           map_mode mode) noexcept;
  static VITTE_DECL error file_unmap(void* p, std::size_t size) noexcept;
  static VITTE_DECL error file_map_sync(void* p, std::size_t size) noexcept;

  // random
  static VITTE_DECL result<std::size_t> random_fill(void* buf, std::size_t n) noexcept;

  // terminal
  static VITTE_DECL native_handle standard_handle(int which) noexcept;
  static VITTE_DECL bool is_terminal(native_handle h) noexcept;
  static VITTE_DECL bool enable_terminal_colors(native_handle h) noexcept;

  // net
  static VITTE_DECL result<native_handle> socket_open(address_family f, socket_type t, bool nonblocking) noexcept;
  static VITTE_DECL error socket_close(native_handle h) noexcept;
  static VITTE_DECL error socket_bind(native_handle h, const socket_address& a) noexcept;
  static VITTE_DECL error socket_listen(native_handle h, int backlog) noexcept;
  static VITTE_DECL result<native_handle> socket_accept(native_handle h, socket_address* peer,
                                                        bool nonblocking) noexcept;
  static VITTE_DECL error socket_connect(native_handle h, const socket_address& a) noexcept;
  static VITTE_DECL error socket_connect_result(native_handle h) noexcept;
  static VITTE_DECL result<std::size_t> socket_send(native_handle h, const const_buffer* bufs, std::size_t count,
                                                    const socket_address* to) noexcept;
  static VITTE_DECL result<std::size_t> socket_receive(native_handle h, const mutable_buffer* bufs, std::size_t count,
                                                       socket_address* from, bool* truncated) noexcept;
  static VITTE_DECL error socket_shutdown(native_handle h, shutdown_how how) noexcept;
  static VITTE_DECL error socket_set_option(native_handle h, socket_option o, int value) noexcept;
  static VITTE_DECL result<int> socket_get_option(native_handle h, socket_option o) noexcept;
  static VITTE_DECL error socket_set_nonblocking(native_handle h, bool on) noexcept;
  static VITTE_DECL error socket_address_of(native_handle h, bool peer, socket_address& out) noexcept;
  static VITTE_DECL error socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept;
  static VITTE_DECL result<io_events> socket_wait(native_handle h, io_events interest,
                                                  std::int64_t deadline_ns) noexcept;
  static VITTE_DECL result<std::size_t> resolve(const char* host, const char* service, const resolve_hints& hints,
                                                socket_address* out, std::size_t n) noexcept;

  // poller
  static VITTE_DECL result<std::intptr_t> poller_open() noexcept;
  static VITTE_DECL void poller_close(std::intptr_t p) noexcept;
  static VITTE_DECL error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                     std::uint64_t data) noexcept;
  static VITTE_DECL error poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                        std::uint64_t data) noexcept;
  static VITTE_DECL error poller_remove(std::intptr_t p, native_handle h) noexcept;
  static VITTE_DECL result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                                    std::int64_t deadline_ns) noexcept;
  static VITTE_DECL error poller_wake(std::intptr_t p) noexcept;
};

}  // namespace vitte::sys

#endif  // VITTE_SYS_POLICY_OS_BASE_HPP
