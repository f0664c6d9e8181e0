// vitte/sys/capabilities.hpp - what a platform policy must provide.
//
// A platform policy is a class with static member functions; the generic
// code in vitte/sys calls them and nothing else, so the policy is also the
// syscall seam that tests use to inject faults. Each capability is a named
// concept. A facility that needs a capability checks it with a
// static_assert whose message names the capability, so a port that lacks
// one fails to compile with a message saying which:
//
//   error: static assertion failed: vitte: the platform policy lacks the
//          'clock' capability (vitte::sys::clock_capability) ...
//
// How to add a platform: docs/ARCHITECTURE.md.
#ifndef VITTE_SYS_CAPABILITIES_HPP
#define VITTE_SYS_CAPABILITIES_HPP

#include <vitte/base.hpp>
#include <vitte/base/text_view.hpp>  // policy names
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/fs_types.hpp>      // fs: handles, open modes, metadata, entries
#include <vitte/sys/memory_types.hpp>  // memory: protection, advice, commit_options
#include <vitte/sys/net_types.hpp>     // net: addresses, options
#include <vitte/sys/operations.hpp>
#include <vitte/sys/poller_types.hpp>  // poller: io_events, trigger, poll_event
#include <vitte/sys/process_types.hpp>

#include <concepts>  // std::same_as, std::convertible_to
#include <cstddef>   // std::size_t
#include <cstdint>   // std::int64_t

namespace vitte::sys {

/// Every policy names itself: `static constexpr text_view name`.
template <class P>
concept platform_identity = requires {
  { P::name } -> std::convertible_to<text_view>;
};

/// Errors: `make_error(errc, operation)` builds an error carrying the
/// native code this platform uses for that kind (used by fault injection
/// and by the library when it detects an error itself).
template <class P>
concept error_capability = requires(errc k, operation op) {
  { P::make_error(k, op) } noexcept -> std::same_as<error>;
};

/// Clocks: `has_clock(id)` (constexpr) says which clocks exist;
/// `clock_now_ns(id)` and `clock_resolution_ns(id)` read them. Reading an
/// existing clock cannot fail.
template <class P>
concept clock_capability = requires(clock_id id) {
  { P::has_clock(id) } noexcept -> std::same_as<bool>;
  { P::clock_now_ns(id) } noexcept -> std::same_as<std::int64_t>;
  { P::clock_resolution_ns(id) } noexcept -> std::same_as<std::int64_t>;
};

/// Sleeping: `sleep_until_ns(id, t)` blocks until clock `id` reads at least
/// `t`, or returns an error; errc::interrupted makes the caller retry.
template <class P>
concept sleep_capability = requires(clock_id id, std::int64_t t) {
  { P::sleep_until_ns(id, t) } noexcept -> std::same_as<error>;
};

/// System information: `page_size()`, `allocation_granularity()`,
/// `cpu_count()` and `os_description(char*, size)`.
template <class P>
concept system_info_capability = requires(char* buf, std::size_t n) {
  { P::page_size() } noexcept -> std::same_as<std::size_t>;
  { P::allocation_granularity() } noexcept -> std::same_as<std::size_t>;
  { P::cpu_count() } noexcept -> std::same_as<unsigned>;
  { P::os_description(buf, n) } noexcept -> std::same_as<std::size_t>;
};

/// Virtual memory: page sizes, and ranges of pages reserved, committed,
/// decommitted, released, advised, locked and unlocked. `huge_page_sizes(out, n)`
/// writes up to n sizes, smallest first, and returns how many it wrote.
/// `memory_reserve(n, prot, options)` reserves n bytes (a multiple of the page
/// size) and, unless prot is none, commits them with prot. A range handed to
/// the other calls lies inside one reservation and is whole pages; the
/// functions report errors, and never see bad input (the facility checks it).
template <class P>
concept memory_capability =
    requires(void* p, std::size_t n, std::size_t* sizes, protection prot, advice a, commit_options o) {
      { P::page_size() } noexcept -> std::same_as<std::size_t>;
      { P::allocation_granularity() } noexcept -> std::same_as<std::size_t>;
      { P::huge_page_sizes(sizes, n) } noexcept -> std::same_as<std::size_t>;
      { P::memory_reserve(n, prot, o) } noexcept -> std::same_as<result<void*>>;
      { P::memory_commit(p, n, prot, o) } noexcept -> std::same_as<error>;
      { P::memory_decommit(p, n) } noexcept -> std::same_as<error>;
      { P::memory_release(p, n) } noexcept -> std::same_as<error>;
      { P::memory_advise(p, n, a) } noexcept -> std::same_as<error>;
      { P::memory_lock(p, n) } noexcept -> std::same_as<error>;
      { P::memory_unlock(p, n) } noexcept -> std::same_as<error>;
    };

/// Page protection: `memory_protect(p, n, prot)` changes what committed pages
/// allow, `flush_instruction_cache(p, n)` makes code written to memory visible
/// to instruction fetch. Boards without an MPU lack it.
template <class P>
concept memory_protection_capability =
    memory_capability<P> && requires(void* p, const void* cp, std::size_t n, protection prot) {
      { P::memory_protect(p, n, prot) } noexcept -> std::same_as<error>;
      { P::flush_instruction_cache(cp, n) } noexcept -> std::same_as<error>;
    };

/// Shared memory that can be mapped more than once: `shared_memory_create(n)`
/// gives a native handle (a descriptor, a HANDLE) to n zeroed bytes,
/// `shared_memory_map(h, n, prot)` maps all of them, `shared_memory_unmap`
/// undoes a map, `shared_memory_close(h)` drops the handle (views stay valid).
template <class P>
concept shared_memory_capability =
    memory_capability<P> && requires(void* p, std::intptr_t h, std::size_t n, protection prot) {
      { P::shared_memory_create(n) } noexcept -> std::same_as<result<std::intptr_t>>;
      { P::shared_memory_map(h, n, prot) } noexcept -> std::same_as<result<void*>>;
      { P::shared_memory_unmap(p, n) } noexcept -> std::same_as<error>;
      { P::shared_memory_close(h) } noexcept;
    };

/// Aligned heap blocks: `aligned_allocate(n, alignment)` with a power-of-two
/// alignment, freed by `aligned_free(p)`.
template <class P>
concept aligned_allocation_capability = requires(void* p, std::size_t n) {
  { P::aligned_allocate(n, n) } noexcept -> std::same_as<result<void*>>;
  { P::aligned_free(p) } noexcept;
};

/// Threads: `thread_create(handle, start, stack_size)` runs `(*start)(start)`
/// on a new thread (the caller keeps `*start` alive until it has run);
/// `thread_join`/`thread_detach` end the handle; ids, yield, and the calling
/// thread's name, CPU affinity (a bit mask of `count` 64-bit words) and
/// current CPU (-1 when unknown). Names and affinity report
/// errc::not_supported where the OS has none.
template <class P>
concept thread_capability = requires(std::uintptr_t& out, std::uintptr_t handle, void (**start)(void*), std::size_t n,
                                     const char* name, char* buf, const std::uint64_t* mask) {
  { P::thread_create(out, start, n) } noexcept -> std::same_as<error>;
  { P::thread_join(handle) } noexcept -> std::same_as<error>;
  { P::thread_detach(handle) } noexcept -> std::same_as<error>;
  { P::thread_id_of(handle) } noexcept -> std::same_as<std::uint64_t>;
  { P::thread_current_id() } noexcept -> std::same_as<std::uint64_t>;
  { P::thread_yield() } noexcept;
  { P::thread_set_name(name) } noexcept -> std::same_as<error>;
  { P::thread_get_name(buf, n) } noexcept -> std::same_as<error>;
  { P::thread_set_affinity(mask, n) } noexcept -> std::same_as<error>;
  { P::thread_current_cpu() } noexcept -> std::same_as<int>;
};

/// Waiting on an address (a futex, WaitOnAddress, or a table of parked
/// threads): `wait_on_address(addr, expected, deadline_ns)` blocks while the
/// vitte::detail::atomic<std::uint32_t> at `addr` holds `expected`, until woken or the
/// monotonic clock reaches `deadline_ns` (INT64_MAX: never). It may return
/// early (spuriously, errc::interrupted, errc::timed_out); callers re-check.
/// `wake_on_address(addr, all)` wakes one or every waiter of `addr`.
template <class P>
concept wait_capability = requires(const void* addr, std::uint32_t v, std::int64_t t, bool all) {
  { P::wait_on_address(addr, v, t) } noexcept -> std::same_as<error>;
  { P::wake_on_address(addr, all) } noexcept;
};

/// Native lock objects (pthread, SRWLOCK) in opaque storage the generic code
/// allocates: `mutex_size`/`mutex_align` bytes with init, destroy, lock,
/// try_lock, unlock; the same for `condition_*` (wait with a monotonic
/// deadline, notify one or all) and `shared_mutex_*`.
template <class P>
concept native_lock_capability = requires(void* a, void* b, std::int64_t t, bool all) {
  { P::mutex_size } -> std::convertible_to<std::size_t>;
  { P::mutex_align } -> std::convertible_to<std::size_t>;
  { P::mutex_init(a) } noexcept;
  { P::mutex_destroy(a) } noexcept;
  { P::mutex_lock(a) } noexcept;
  { P::mutex_try_lock(a) } noexcept -> std::same_as<bool>;
  { P::mutex_unlock(a) } noexcept;
  { P::condition_size } -> std::convertible_to<std::size_t>;
  { P::condition_align } -> std::convertible_to<std::size_t>;
  { P::condition_init(a) } noexcept;
  { P::condition_destroy(a) } noexcept;
  { P::condition_wait(a, b, t) } noexcept -> std::same_as<error>;
  { P::condition_notify(a, all) } noexcept;
  { P::shared_mutex_size } -> std::convertible_to<std::size_t>;
  { P::shared_mutex_align } -> std::convertible_to<std::size_t>;
  { P::shared_mutex_init(a) } noexcept;
  { P::shared_mutex_destroy(a) } noexcept;
  { P::shared_mutex_lock(a) } noexcept;
  { P::shared_mutex_try_lock(a) } noexcept -> std::same_as<bool>;
  { P::shared_mutex_unlock(a) } noexcept;
  { P::shared_mutex_lock_shared(a) } noexcept;
  { P::shared_mutex_try_lock_shared(a) } noexcept -> std::same_as<bool>;
  { P::shared_mutex_unlock_shared(a) } noexcept;
};

/// A policy whose locks are built on wait_on_address (a real futex):
/// `static constexpr bool futex_locks = true`.
template <class P>
concept futex_lock_capability = wait_capability<P> && requires { requires P::futex_locks; };

/// Synchronisation: waiting on addresses, and locks either native or built
/// on the futex. What mutexes, condition variables, semaphores and once need.
template <class P>
concept sync_capability = wait_capability<P> && (futex_lock_capability<P> || native_lock_capability<P>);

/// Files (vitte/sys/file.hpp): open a path, relative to a directory handle
/// or to cwd_handle, with an open_mode (always close-on-exec); close; read
/// and write once (a transfer may be short; EINTR is errc::interrupted and
/// the caller retries), at an offset, or vectored; seek, fstat, truncate,
/// preallocate, sync (`data_only`: fdatasync), and advisory whole-file locks
/// (`wait` false: errc::would_block when held elsewhere).
template <class P>
concept file_capability =
    requires(native_handle h, const char* path, open_mode mode, std::uint32_t perms, void* buf, const void* cbuf,
             std::size_t n, std::uint64_t off, std::int64_t rel, const mutable_buffer* mb, const const_buffer* cb,
             seek_origin origin, file_status& st, lock_kind lk, bool flag) {
      { P::file_open(h, path, mode, perms) } noexcept -> std::same_as<result<native_handle>>;
      { P::file_close(h) } noexcept -> std::same_as<error>;
      { P::file_read(h, buf, n) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_write(h, cbuf, n) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_read_at(h, buf, n, off) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_write_at(h, cbuf, n, off) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_read_vec(h, mb, n) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_write_vec(h, cb, n) } noexcept -> std::same_as<result<std::size_t>>;
      { P::file_seek(h, rel, origin) } noexcept -> std::same_as<result<std::uint64_t>>;
      { P::file_stat(h, st) } noexcept -> std::same_as<error>;
      { P::file_truncate(h, off) } noexcept -> std::same_as<error>;
      { P::file_set_times(h, rel, rel) } noexcept -> std::same_as<error>;
      { P::file_allocate(h, off, off) } noexcept -> std::same_as<error>;
      { P::file_sync(h, flag) } noexcept -> std::same_as<error>;
      { P::file_lock(h, lk, flag) } noexcept -> std::same_as<error>;
      { P::file_unlock(h) } noexcept -> std::same_as<error>;
    };

/// Directories and names (vitte/sys/directory.hpp, metadata.hpp): directory
/// handles (open relative to another, close, sync); streams of entries
/// (`dir_stream_next` leaves the name empty at the end; a stream borrows its
/// directory handle); and, relative to a directory handle or cwd_handle:
/// stat (following links or not), mkdir, remove, rename, hard and symbolic
/// links, set times and permissions. Also the current and temporary
/// directories, canonical paths (a result longer than the buffer reports the
/// length needed), and a native whole-file copy (`path_copy`) or a chunk of
/// in-kernel copy (`file_copy_chunk`), either of which may be
/// errc::not_supported, and then the generic read/write copy runs.
template <class P>
concept directory_capability = requires(native_handle h, std::intptr_t s, const char* path, char* buf, std::size_t n,
                                        std::uint32_t perms, std::int64_t t, bool flag, file_status& st, dir_entry& e) {
  { P::dir_open(h, path, flag) } noexcept -> std::same_as<result<native_handle>>;
  { P::dir_close(h) } noexcept;
  { P::dir_sync(h) } noexcept -> std::same_as<error>;
  { P::dir_stream_open(h) } noexcept -> std::same_as<result<std::intptr_t>>;
  { P::dir_stream_next(s, e) } noexcept -> std::same_as<error>;
  { P::dir_stream_close(s) } noexcept;
  { P::path_stat(h, path, flag, st) } noexcept -> std::same_as<error>;
  { P::dir_create(h, path, perms) } noexcept -> std::same_as<error>;
  { P::path_remove(h, path, flag) } noexcept -> std::same_as<error>;
  { P::path_rename(h, path, h, path) } noexcept -> std::same_as<error>;
  { P::path_link(h, path, h, path) } noexcept -> std::same_as<error>;
  { P::path_symlink(path, h, path) } noexcept -> std::same_as<error>;
  { P::path_read_link(h, path, buf, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::path_set_times(h, path, t, t, flag) } noexcept -> std::same_as<error>;
  { P::path_set_permissions(h, path, perms, flag) } noexcept -> std::same_as<error>;
  { P::path_copy(path, path, flag) } noexcept -> std::same_as<error>;
  { P::file_copy_chunk(h, h, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::current_directory(buf, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::set_current_directory(path) } noexcept -> std::same_as<error>;
  { P::canonical_path(path, buf, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::temp_directory(buf, n) } noexcept -> std::same_as<result<std::size_t>>;
};

/// Mapped files (vitte/sys/file_map.hpp): `file_map(h, offset, size, mode)`
/// maps `size` bytes from `offset` (a multiple of allocation_granularity());
/// `file_unmap` undoes it, `file_map_sync` writes dirty pages back.
template <class P>
concept file_map_capability =
    system_info_capability<P> && requires(native_handle h, std::uint64_t off, std::size_t n, map_mode m, void* p) {
      { P::file_map(h, off, n, m) } noexcept -> std::same_as<result<void*>>;
      { P::file_unmap(p, n) } noexcept -> std::same_as<error>;
      { P::file_map_sync(p, n) } noexcept -> std::same_as<error>;
    };

/// Change notification by the OS (vitte/sys/watch.hpp): a watch handle,
/// paths added to it (an id each) and removed, and events read one at a
/// time until the monotonic clock reaches `deadline_ns` (INT64_MAX: never;
/// errc::timed_out then). Optional: without it, the watcher polls.
template <class P>
concept file_watch_capability = requires(native_handle w, const char* path, int id, watch_event& ev, std::int64_t t) {
  { P::watch_open() } noexcept -> std::same_as<result<native_handle>>;
  { P::watch_add(w, path) } noexcept -> std::same_as<result<int>>;
  { P::watch_remove(w, id) } noexcept -> std::same_as<error>;
  { P::watch_next(w, ev, t) } noexcept -> std::same_as<error>;
  { P::watch_close(w) } noexcept;
};

/// Change hints from the OS for the snapshot watcher (vitte/sys/watch.hpp),
/// where notifications carry no names (kqueue's EVFILT_VNODE): a hint
/// handle, a token per watched path, and a wait that returns success as soon
/// as any watched path changed (errc::timed_out at `deadline_ns`). The watcher
/// then scans at once instead of at its next polling interval. Optional.
template <class P>
concept watch_hint_capability = requires(native_handle h, const char* path, std::int64_t t) {
  { P::watch_hint_open() } noexcept -> std::same_as<result<native_handle>>;
  { P::watch_hint_add(h, path) } noexcept -> std::same_as<result<native_handle>>;
  { P::watch_hint_remove(h, h) } noexcept;
  { P::watch_hint_wait(h, t) } noexcept -> std::same_as<error>;
  { P::watch_hint_close(h) } noexcept;
};

/// Random bytes from the OS's cryptographic source (vitte/sys/random.hpp):
/// `random_fill(buf, n)` writes up to n bytes and says how many (a short
/// count, and errc::interrupted, make the caller ask again). It never
/// returns predictable bytes: a source that is not ready yet blocks.
template <class P>
concept random_capability = requires(void* buf, std::size_t n) {
  { P::random_fill(buf, n) } noexcept -> std::same_as<result<std::size_t>>;
};

/// Terminals (vitte/sys/terminal.hpp): `standard_handle(k)` is the
/// process's standard input (0), output (1) or error (2), not owned;
/// `is_terminal(h)` tells whether h is an interactive terminal (a tty, a
/// console); `enable_terminal_colors(h)` makes it interpret ANSI colour
/// sequences where that needs asking (a Windows console), true when it does.
template <class P>
concept terminal_capability = requires(native_handle h, int k) {
  { P::standard_handle(k) } noexcept -> std::same_as<native_handle>;
  { P::is_terminal(h) } noexcept -> std::same_as<bool>;
  { P::enable_terminal_colors(h) } noexcept -> std::same_as<bool>;
};

/// Environment variables (vitte/sys/environment.hpp): `env_get(name, buf,
/// n)` copies the value (UTF-8) and returns its length, which may exceed n
/// (call again with more room); errc::not_found when unset. `env_set`,
/// `env_unset`; `env_list(each, ctx)` calls each(ctx, "NAME=value", length)
/// for every variable. `env_case_insensitive`: names compare without case
/// (Windows).
template <class P>
concept environment_capability =
    requires(const char* s, char* buf, std::size_t n, void (*each)(void*, const char*, std::size_t), void* ctx) {
      { P::env_get(s, buf, n) } noexcept -> std::same_as<result<std::size_t>>;
      { P::env_set(s, s) } noexcept -> std::same_as<error>;
      { P::env_unset(s) } noexcept -> std::same_as<error>;
      { P::env_list(each, ctx) } noexcept;
      { P::env_case_insensitive } -> std::convertible_to<bool>;
    };

/// Host information (vitte/sys/info.hpp): the running executable's path,
/// the host name (both: length written, which may exceed n), physical
/// memory in bytes (0 when unknown), OS name and version (length written).
template <class P>
concept host_info_capability = requires(char* buf, std::size_t n) {
  { P::executable_path(buf, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::host_name(buf, n) } noexcept -> std::same_as<result<std::size_t>>;
  { P::physical_memory() } noexcept -> std::same_as<std::uint64_t>;
  { P::os_name(buf, n) } noexcept -> std::same_as<std::size_t>;
  { P::os_version(buf, n) } noexcept -> std::same_as<std::size_t>;
};

/// Child processes (vitte/sys/process.hpp): `process_spawn(request, out)`
/// starts a resolved program (an exec failure is its error, never an exit
/// code); `process_wait(p, deadline_ns, status)` reaps it (errc::timed_out
/// at the deadline; a deadline in the past polls once; errc::interrupted:
/// retry); `process_signal(p, kind)` signals its whole group;
/// `process_release(p, keep_running)` drops the OS handles. Pipes
/// (close-on-exec; `overlapped` read end where pipe_drain needs it), the
/// null device, the parent's standard handles, `pipe_drain` (read several
/// pipes to their ends without deadlock), and `program_check` (is this path a program we may run).
/// Pipes are read and written with the file capability; relative program
/// paths resolve with current_directory (the directory capability).
template <class P>
concept process_capability = file_capability<P> && directory_capability<P> && environment_capability<P> &&
                             requires(const spawn_request& req, native_process& np, std::int64_t t, exit_status& st,
                                      process_signal_kind k, native_handle (&ends)[2], const native_handle* hs,
                                      std::size_t n, drain_sink& sink, const char* path, int which, bool flag) {
                               { P::process_spawn(req, np) } noexcept -> std::same_as<error>;
                               { P::process_wait(np, t, st) } noexcept -> std::same_as<error>;
                               { P::process_signal(np, k) } noexcept -> std::same_as<error>;
                               { P::process_release(np, flag) } noexcept;
                               { P::process_current_id() } noexcept -> std::same_as<std::int64_t>;
                               { P::pipe_create(ends, flag) } noexcept -> std::same_as<error>;
                               { P::null_device_open(flag) } noexcept -> std::same_as<result<native_handle>>;
                               { P::std_handle(which) } noexcept -> std::same_as<native_handle>;
                               { P::pipe_drain(hs, n, sink, t) } noexcept -> std::same_as<error>;
                               { P::program_check(path) } noexcept -> std::same_as<error>;
                             };

/// Dynamic libraries (vitte/sys/dynlib.hpp): `library_open(path, flags,
/// why)` (nullptr path: the running program), `library_symbol(h, name,
/// why)`, `library_symbol_version(h, name, version, why)` (dlvsym;
/// not_supported where the C library has none), `library_close(h, why)`,
/// `library_pin(h)` (never unloaded).
/// On failure that very call's kind and text go to `*why` (a
/// vitte::diagnostic about the path or symbol) when not null. Static
/// builds have the capability and report errc::not_supported.
template <class P>
concept dynamic_library_capability = requires(native_handle h, const char* s, library_flags f, vitte::diagnostic* d) {
  { P::library_open(s, f, d) } noexcept -> std::same_as<result<native_handle>>;
  { P::library_symbol(h, s, d) } noexcept -> std::same_as<result<void*>>;
  { P::library_symbol_version(h, s, s, d) } noexcept -> std::same_as<result<void*>>;
  { P::library_close(h, d) } noexcept -> std::same_as<error>;
  { P::library_pin(h) } noexcept -> std::same_as<error>;
};

/// Signals as events (vitte/sys/signal.hpp): `signal_open(mask)` gives a
/// handle that becomes readable (POSIX: a descriptor for poll; Windows: an
/// event) when a signal of `mask` (signal_bit) arrives; `signal_read(h)`
/// takes one (errc::would_block when none is pending); `signal_wait(h,
/// deadline_ns)` waits until one is pending; `signal_close(h, mask)`;
/// `signal_block(mask, block)` changes the calling thread's mask;
/// `signal_raise(kind)` sends one to the whole process.
template <class P>
concept signal_capability = requires(native_handle h, std::uint32_t mask, std::int64_t t, bool flag, signal_kind k) {
  { P::signal_open(mask) } noexcept -> std::same_as<result<native_handle>>;
  { P::signal_read(h) } noexcept -> std::same_as<result<signal_kind>>;
  { P::signal_wait(h, t) } noexcept -> std::same_as<error>;
  { P::signal_close(h, mask) } noexcept;
  { P::signal_block(mask, flag) } noexcept -> std::same_as<error>;
  { P::signal_raise(k) } noexcept -> std::same_as<error>;
};

/// Sockets (vitte/sys/net.hpp): open (close-on-exec, optionally
/// non-blocking), close, bind, listen, accept, connect (non-blocking:
/// errc::in_progress) and its outcome, vectored send (to an address for
/// datagrams) and receive (with the sender and a truncation flag), shutdown,
/// options, non-blocking mode, local and peer addresses, socket pairs, a
/// wait on one socket until a monotonic deadline (errc::timed_out), and name
/// resolution. EINTR is errc::interrupted; no call raises SIGPIPE.
template <class P>
concept socket_capability =
    requires(native_handle h, native_handle* hs, address_family f, socket_type t, bool b, const socket_address& ca,
             socket_address& a, socket_address* pa, int n, const const_buffer* cb, const mutable_buffer* mb,
             std::size_t count, bool* flag, shutdown_how how, socket_option o, io_events ev, std::int64_t ns,
             const char* name, const resolve_hints& hints) {
      { P::socket_open(f, t, b) } noexcept -> std::same_as<result<native_handle>>;
      { P::socket_close(h) } noexcept -> std::same_as<error>;
      { P::socket_bind(h, ca) } noexcept -> std::same_as<error>;
      { P::socket_listen(h, n) } noexcept -> std::same_as<error>;
      { P::socket_accept(h, pa, b) } noexcept -> std::same_as<result<native_handle>>;
      { P::socket_connect(h, ca) } noexcept -> std::same_as<error>;
      { P::socket_connect_result(h) } noexcept -> std::same_as<error>;
      { P::socket_send(h, cb, count, &ca) } noexcept -> std::same_as<result<std::size_t>>;
      { P::socket_receive(h, mb, count, pa, flag) } noexcept -> std::same_as<result<std::size_t>>;
      { P::socket_shutdown(h, how) } noexcept -> std::same_as<error>;
      { P::socket_set_option(h, o, n) } noexcept -> std::same_as<error>;
      { P::socket_get_option(h, o) } noexcept -> std::same_as<result<int>>;
      { P::socket_set_nonblocking(h, b) } noexcept -> std::same_as<error>;
      { P::socket_address_of(h, b, a) } noexcept -> std::same_as<error>;
      { P::socket_pair(t, b, hs) } noexcept -> std::same_as<error>;
      { P::socket_wait(h, ev, ns) } noexcept -> std::same_as<result<io_events>>;
      { P::resolve(name, name, hints, pa, count) } noexcept -> std::same_as<result<std::size_t>>;
    };

/// Readiness polling (vitte/sys/poller.hpp): `poller_open()` makes a
/// poller (an opaque handle, never 0), `poller_close` frees it;
/// `poller_add/modify(p, h, interest, trigger, data)` and `poller_remove`
/// manage watched handles; `poller_wait(p, out, n, deadline_ns)` blocks until
/// something is ready, a wake-up (reported as an event whose data is
/// poller_reserved_data) or the monotonic deadline, and returns the count
/// (EINTR: errc::interrupted); `poller_wake(p)` may be called from any
/// thread. The clock reads the deadline of timers.
template <class P>
concept poller_capability =
    clock_capability<P> && requires(std::intptr_t p, native_handle h, io_events i, trigger t, std::uint64_t d,
                                    poll_event* out, std::size_t n, std::int64_t ns) {
      { P::poller_open() } noexcept -> std::same_as<result<std::intptr_t>>;
      { P::poller_close(p) } noexcept;
      { P::poller_add(p, h, i, t, d) } noexcept -> std::same_as<error>;
      { P::poller_modify(p, h, i, t, d) } noexcept -> std::same_as<error>;
      { P::poller_remove(p, h) } noexcept -> std::same_as<error>;
      { P::poller_wait(p, out, n, ns) } noexcept -> std::same_as<result<std::size_t>>;
      { P::poller_wake(p) } noexcept -> std::same_as<error>;
    };

}  // namespace vitte::sys

/// Fails compilation, naming the capability, when policy P lacks it.
/// Used once at the top of each facility: VITTE_REQUIRE_CAPABILITY(P, clock).
#define VITTE_REQUIRE_CAPABILITY(P, cap)                                                        \
  static_assert(::vitte::sys::cap##_capability<P>,                                              \
                "vitte: the platform policy lacks the '" #cap "' capability (vitte::sys::" #cap \
                "_capability in vitte/sys/capabilities.hpp lists what it must provide)")

#endif  // VITTE_SYS_CAPABILITIES_HPP
