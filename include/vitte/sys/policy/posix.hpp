// vitte/sys/policy/posix.hpp - the generic POSIX platform policy.
//
// Written against POSIX.1-2008 only, so that it is the code Linux, Darwin and
// the BSDs share: those policies derive from it and replace what they do
// better. On Linux it is selectable (meson -Dplatform=posix, or
// -DVITTE_POLICY=VITTE_POLICY_POSIX) so the shared code runs in CI.
#ifndef VITTE_SYS_POLICY_POSIX_HPP
#define VITTE_SYS_POLICY_POSIX_HPP

#include <vitte/base.hpp>
#include <vitte/sys/clock_id.hpp>
#include <vitte/sys/fs_types.hpp>      // fs: handles, open modes, metadata, entries
#include <vitte/sys/memory_types.hpp>  // memory: protection, advice, commit_options
#include <vitte/sys/net_types.hpp>     // net: addresses, options
#include <vitte/sys/operations.hpp>
#include <vitte/sys/poller_types.hpp>  // poller: io_events, trigger, poll_event
#include <vitte/sys/process_types.hpp>
#include <vitte/text_view.hpp>

#include <cstddef>
#include <cstdint>

#if !VITTE_OS_POSIX
#error "vitte: the POSIX policy needs a POSIX target"
#endif

namespace vitte::sys {

/// Generic POSIX policy. Every member is a static function of vitte types;
/// definitions live in vitte/sys/detail/posix/*.ipp.
struct posix_platform {
  static constexpr text_view name = "posix";

  // error
  /// An error of `kind` with the errno value POSIX uses for it.
  static VITTE_DECL error make_error(errc kind, operation op) noexcept;
  /// Classifies an errno value.
  static VITTE_DECL errc classify(int native) noexcept;

  // clock: monotonic, realtime, process and thread CPU time; the coarse
  // clocks read the precise ones (POSIX has no coarse clock).
  static constexpr bool has_clock(clock_id id) noexcept { return id != clock_id::boottime; }
  static VITTE_DECL std::int64_t clock_now_ns(clock_id id) noexcept;
  static VITTE_DECL std::int64_t clock_resolution_ns(clock_id id) noexcept;

  // sleep: clock_nanosleep(TIMER_ABSTIME) on the clock itself.
  static VITTE_DECL error sleep_until_ns(clock_id id, std::int64_t t) noexcept;

  // system_info
  static VITTE_DECL std::size_t page_size() noexcept;
  static VITTE_DECL std::size_t allocation_granularity() noexcept;
  static VITTE_DECL unsigned cpu_count() noexcept;
  static VITTE_DECL std::size_t os_description(char* buf, std::size_t n) noexcept;

  // Ranges are whole pages inside one mapping; the facility checks input.
  // Errors carry errno; EAGAIN (a locked-memory limit) counts as no_memory.

  /// None: POSIX has no portable way to ask (the Linux policy reads sysfs).
  static VITTE_DECL std::size_t huge_page_sizes(std::size_t* out, std::size_t n) noexcept;
  /// mmap of private anonymous memory with `prot` (PROT_NONE: reserved only);
  /// `populate` touches each page.
  static VITTE_DECL result<void*> memory_reserve(std::size_t size, protection prot, commit_options options) noexcept;
  /// mprotect to `prot`; `populate` touches each page.
  static VITTE_DECL error memory_commit(void* p, std::size_t size, protection prot, commit_options options) noexcept;
  /// Replaces the pages with fresh PROT_NONE ones (mmap MAP_FIXED): the memory
  /// goes back to the OS and reads as zeros once committed again.
  static VITTE_DECL error memory_decommit(void* p, std::size_t size) noexcept;
  /// mprotect.
  static VITTE_DECL error memory_protect(void* p, std::size_t size, protection prot) noexcept;
  /// munmap.
  static VITTE_DECL error memory_release(void* p, std::size_t size) noexcept;
  /// posix_madvise (POSIX_MADV_DONTNEED may keep the contents).
  static VITTE_DECL error memory_advise(void* p, std::size_t size, advice a) noexcept;
  /// mlock, munlock.
  static VITTE_DECL error memory_lock(void* p, std::size_t size) noexcept;
  static VITTE_DECL error memory_unlock(void* p, std::size_t size) noexcept;
  /// __builtin___clear_cache: nothing on x86, cache maintenance on Arm.
  static VITTE_DECL error flush_instruction_cache(const void* p, std::size_t size) noexcept;

  // shared memory: shm_open under a unique name, unlinked at once.
  /// A descriptor (close-on-exec) of `size` zeroed bytes.
  static VITTE_DECL result<std::intptr_t> shared_memory_create(std::size_t size) noexcept;
  /// mmap MAP_SHARED of the whole object with `prot`.
  static VITTE_DECL result<void*> shared_memory_map(std::intptr_t handle, std::size_t size, protection prot) noexcept;
  /// munmap.
  static VITTE_DECL error shared_memory_unmap(void* p, std::size_t size) noexcept;
  /// close; the views stay valid.
  static VITTE_DECL void shared_memory_close(std::intptr_t handle) noexcept;

  // aligned allocation: posix_memalign, free.
  static VITTE_DECL result<void*> aligned_allocate(std::size_t size, std::size_t alignment) noexcept;
  static VITTE_DECL void aligned_free(void* p) noexcept;

  // process: processes, pipes, environment and host information
  // (detail/posix/process.ipp, detail/posix/environment.ipp). Errors carry errno.

  /// posix_spawn (no shell, never a PATH search: the program is a path):
  /// own process group (POSIX_SPAWN_SETPGROUP), empty signal mask and
  /// default dispositions, the three stdio handles dup2'ed, descriptors from
  /// 3 up closed where the C library can (addclosefrom_np, or
  /// POSIX_SPAWN_CLOEXEC_DEFAULT on Darwin), the working directory by
  /// addchdir_np (glibc 2.29, Darwin, FreeBSD 13.1), else fork/exec. An exec
  /// failure comes back as its errno (not_found, permission_denied,
  /// exec_format, ...), never as exit code 127.
  static VITTE_DECL error process_spawn(const spawn_request& req, native_process& out) noexcept;
  /// The fork/exec path on its own: async-signal-safe child code, the
  /// child's exec errno sent back through a close-on-exec pipe.
  static VITTE_DECL error process_spawn_fork_exec(const spawn_request& req, native_process& out) noexcept;
  /// waitpid. Deadlines: kqueue EVFILT_PROC on Darwin and the BSDs, else
  /// WNOHANG polls with sleeps of 0.1 ms growing to 10 ms.
  static VITTE_DECL error process_wait(native_process& p, std::int64_t deadline_ns, exit_status& out) noexcept;
  /// kill(-group) (the pid alone without a group).
  static VITTE_DECL error process_signal(const native_process& p, process_signal_kind kind) noexcept;
  /// Closes what the OS handed out for the child (nothing on POSIX).
  static VITTE_DECL void process_release(native_process& p, bool keep_running) noexcept;
  /// getpid.
  static VITTE_DECL std::int64_t process_current_id() noexcept;
  /// pipe, both ends close-on-exec (pipe2 where the OS has it).
  static VITTE_DECL error pipe_create(native_handle (&ends)[2], bool overlapped_read) noexcept;
  /// /dev/null, close-on-exec.
  static VITTE_DECL result<native_handle> null_device_open(bool write) noexcept;
  /// 0, 1 or 2.
  static VITTE_DECL native_handle std_handle(int which) noexcept;
  /// poll on the pipes, read 64 KiB at a time until each reports its end.
  static VITTE_DECL error pipe_drain(const native_handle* handles, std::size_t count, drain_sink& sink,
                                     std::int64_t deadline_ns) noexcept;
  /// Success for a regular file the process may execute (stat, access
  /// X_OK); else not_found, is_a_directory, permission_denied (operation
  /// find_program).
  static VITTE_DECL error program_check(const char* path) noexcept;

  /// getenv (copied), setenv, unsetenv, environ. The C library's
  /// environment is not thread-safe: do not set variables while other
  /// threads read them.
  static VITTE_DECL result<std::size_t> env_get(const char* name, char* buf, std::size_t n) noexcept;
  static VITTE_DECL error env_set(const char* name, const char* value) noexcept;
  static VITTE_DECL error env_unset(const char* name) noexcept;
  static VITTE_DECL void env_list(void (*each)(void* ctx, const char* entry, std::size_t length), void* ctx) noexcept;
  static constexpr bool env_case_insensitive = false;
  /// /proc/self/exe where it exists (Darwin: _NSGetExecutablePath; FreeBSD:
  /// KERN_PROC_PATHNAME), else errc::not_supported.
  static VITTE_DECL result<std::size_t> executable_path(char* buf, std::size_t n) noexcept;
  /// gethostname.
  static VITTE_DECL result<std::size_t> host_name(char* buf, std::size_t n) noexcept;
  /// _SC_PHYS_PAGES times the page size (Darwin: hw.memsize).
  static VITTE_DECL std::uint64_t physical_memory() noexcept;
  /// uname: sysname ("Linux", "Darwin", "FreeBSD") and release.
  static VITTE_DECL std::size_t os_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL std::size_t os_version(char* buf, std::size_t n) noexcept;

  // dynlib: dlopen, dlsym, dlclose (detail/posix/dynlib.ipp). dlerror is
  // read at once after the failing call, under a library-wide lock unless
  // the C library keeps it per thread (glibc, musl, Darwin, the BSDs), and
  // copied into the caller's library_diagnostic. With
  // VITTE_HAS_DYNAMIC_LIBRARIES 0 (static builds) every call reports
  // errc::not_supported.
  static VITTE_DECL result<native_handle> library_open(const char* path, library_flags flags,
                                                       library_diagnostic* diag) noexcept;
  static VITTE_DECL result<void*> library_symbol(native_handle h, const char* name, library_diagnostic* diag) noexcept;
  static VITTE_DECL error library_close(native_handle h, library_diagnostic* diag) noexcept;
  /// Nothing to do: a pinned handle is never closed, so the library stays.
  static VITTE_DECL error library_pin(native_handle h) noexcept;

  // signal: a self-pipe per watch, written by a sigaction handler
  // (detail/posix/signal.ipp); pthread_sigmask per thread.
  static VITTE_DECL result<native_handle> signal_open(std::uint32_t mask) noexcept;
  static VITTE_DECL result<signal_kind> signal_read(native_handle h) noexcept;
  /// poll on the readable descriptor.
  static VITTE_DECL error signal_wait(native_handle h, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void signal_close(native_handle h, std::uint32_t mask) noexcept;
  static VITTE_DECL error signal_block(std::uint32_t mask, bool block) noexcept;
  /// kill(getpid(), sig): to the process, not the thread.
  static VITTE_DECL error signal_raise(signal_kind kind) noexcept;

  // thread: pthreads. POSIX has no thread names or affinity: those report
  // errc::not_supported (the Linux policy has them).
  /// pthread_create running (*start)(start); stack_size 0 is the default,
  /// others are rounded up to PTHREAD_STACK_MIN and the page size.
  /// Errors: limit_exceeded (EAGAIN), no_memory, invalid_argument.
  static VITTE_DECL error thread_create(std::uintptr_t& handle, void (**start)(void*), std::size_t stack_size) noexcept;
  static VITTE_DECL error thread_join(std::uintptr_t handle) noexcept;
  static VITTE_DECL error thread_detach(std::uintptr_t handle) noexcept;
  /// The pthread_t, as thread_current_id() reports it inside the thread.
  static VITTE_DECL std::uint64_t thread_id_of(std::uintptr_t handle) noexcept;
  static VITTE_DECL std::uint64_t thread_current_id() noexcept;
  static VITTE_DECL void thread_yield() noexcept;
  static VITTE_DECL error thread_set_name(const char* name) noexcept;
  static VITTE_DECL error thread_get_name(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error thread_set_affinity(const std::uint64_t* mask, std::size_t words) noexcept;
  static VITTE_DECL int thread_current_cpu() noexcept;

  // wait: a hashed table of pthread mutex + condition variable (monotonic
  // clock) parking slots.
  static VITTE_DECL error wait_on_address(const void* addr, std::uint32_t expected, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void wake_on_address(const void* addr, bool all) noexcept;

  // native locks: pthread_mutex_t, pthread_cond_t (CLOCK_MONOTONIC),
  // pthread_rwlock_t, in storage the .ipp checks is large enough.
  static constexpr std::size_t mutex_size = 64;
  static constexpr std::size_t mutex_align = 8;
  static VITTE_DECL void mutex_init(void* m) noexcept;
  static VITTE_DECL void mutex_destroy(void* m) noexcept;
  static VITTE_DECL void mutex_lock(void* m) noexcept;
  static VITTE_DECL bool mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void mutex_unlock(void* m) noexcept;
  static constexpr std::size_t condition_size = 64;
  static constexpr std::size_t condition_align = 8;
  static VITTE_DECL void condition_init(void* c) noexcept;
  static VITTE_DECL void condition_destroy(void* c) noexcept;
  /// Waits on `c` with mutex `m` held; errc::timed_out once the monotonic
  /// clock reaches deadline_ns. May wake spuriously.
  static VITTE_DECL error condition_wait(void* c, void* m, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void condition_notify(void* c, bool all) noexcept;
  static constexpr std::size_t shared_mutex_size = VITTE_OS_DARWIN ? 200 : 64;
  static constexpr std::size_t shared_mutex_align = 8;
  static VITTE_DECL void shared_mutex_init(void* m) noexcept;
  static VITTE_DECL void shared_mutex_destroy(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock(void* m) noexcept;
  static VITTE_DECL void shared_mutex_lock_shared(void* m) noexcept;
  static VITTE_DECL bool shared_mutex_try_lock_shared(void* m) noexcept;
  static VITTE_DECL void shared_mutex_unlock_shared(void* m) noexcept;

  // Files and directories through the *at() calls of POSIX.1-2008, relative
  // to a directory descriptor or cwd_handle (AT_FDCWD). Paths are UTF-8 and
  // NUL-terminated. Every descriptor is O_CLOEXEC. EINTR is reported as
  // errc::interrupted: the generic code retries. Errors carry errno.

  /// openat with O_CLOEXEC (and O_NOFOLLOW for open_mode::no_follow).
  static VITTE_DECL result<native_handle> file_open(native_handle dir, const char* path, open_mode mode,
                                                    std::uint32_t perms) noexcept;
  /// close; the descriptor is gone even when an error is reported.
  static VITTE_DECL error file_close(native_handle h) noexcept;
  /// read, write, pread, pwrite, readv, writev (at most IOV_MAX buffers a call).
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
  /// lseek.
  static VITTE_DECL result<std::uint64_t> file_seek(native_handle h, std::int64_t offset, seek_origin origin) noexcept;
  /// fstat.
  static VITTE_DECL error file_stat(native_handle h, file_status& out) noexcept;
  /// ftruncate.
  static VITTE_DECL error file_truncate(native_handle h, std::uint64_t size) noexcept;
  /// futimens (keep_time: UTIME_OMIT, now_time: UTIME_NOW).
  static VITTE_DECL error file_set_times(native_handle h, std::int64_t atime_ns, std::int64_t mtime_ns) noexcept;
  /// posix_fallocate (Darwin: F_PREALLOCATE, then ftruncate to grow).
  static VITTE_DECL error file_allocate(native_handle h, std::uint64_t offset, std::uint64_t length) noexcept;
  /// fsync, or fdatasync for `data_only` (Darwin: F_FULLFSYNC for both).
  static VITTE_DECL error file_sync(native_handle h, bool data_only) noexcept;
  /// fcntl F_SETLK / F_SETLKW on the whole file. POSIX record locks belong
  /// to the process: two handles of one process never conflict, and closing
  /// any handle of the file drops the process's lock (Linux: OFD locks).
  static VITTE_DECL error file_lock(native_handle h, lock_kind kind, bool wait) noexcept;
  static VITTE_DECL error file_unlock(native_handle h) noexcept;

  /// openat O_DIRECTORY (and O_NOFOLLOW).
  static VITTE_DECL result<native_handle> dir_open(native_handle dir, const char* path, bool no_follow) noexcept;
  static VITTE_DECL void dir_close(native_handle h) noexcept;
  /// fsync of the directory; file systems that cannot (EINVAL) report success.
  static VITTE_DECL error dir_sync(native_handle h) noexcept;
  /// fdopendir on a dup of the directory descriptor, readdir (with d_type
  /// where the C library has it), closedir.
  static VITTE_DECL result<std::intptr_t> dir_stream_open(native_handle dir) noexcept;
  static VITTE_DECL error dir_stream_next(std::intptr_t stream, dir_entry& out) noexcept;
  static VITTE_DECL void dir_stream_close(std::intptr_t stream) noexcept;
  /// fstatat (AT_SYMLINK_NOFOLLOW unless `follow`).
  static VITTE_DECL error path_stat(native_handle dir, const char* path, bool follow, file_status& out) noexcept;
  /// mkdirat.
  static VITTE_DECL error dir_create(native_handle dir, const char* path, std::uint32_t perms) noexcept;
  /// unlinkat (AT_REMOVEDIR for `directory`).
  static VITTE_DECL error path_remove(native_handle dir, const char* path, bool directory) noexcept;
  /// renameat: replaces `to` atomically.
  static VITTE_DECL error path_rename(native_handle from_dir, const char* from, native_handle to_dir,
                                      const char* to) noexcept;
  /// linkat (never follows `from`).
  static VITTE_DECL error path_link(native_handle from_dir, const char* from, native_handle to_dir,
                                    const char* to) noexcept;
  /// symlinkat.
  static VITTE_DECL error path_symlink(const char* target, native_handle dir, const char* path) noexcept;
  /// readlinkat; returns the link's length, which may exceed n.
  static VITTE_DECL result<std::size_t> path_read_link(native_handle dir, const char* path, char* buf,
                                                       std::size_t n) noexcept;
  /// utimensat (keep_time: UTIME_OMIT, now_time: UTIME_NOW).
  static VITTE_DECL error path_set_times(native_handle dir, const char* path, std::int64_t atime_ns,
                                         std::int64_t mtime_ns, bool follow) noexcept;
  /// fchmodat.
  static VITTE_DECL error path_set_permissions(native_handle dir, const char* path, std::uint32_t perms,
                                               bool follow) noexcept;
  /// errc::not_supported: POSIX has no whole-file copy call.
  static VITTE_DECL error path_copy(const char* from, const char* to, bool overwrite) noexcept;
  /// errc::not_supported: POSIX has no in-kernel copy (Linux has).
  static VITTE_DECL result<std::size_t> file_copy_chunk(native_handle in, native_handle out, std::size_t n) noexcept;
  /// getcwd, chdir.
  static VITTE_DECL result<std::size_t> current_directory(char* buf, std::size_t n) noexcept;
  static VITTE_DECL error set_current_directory(const char* path) noexcept;
  /// realpath.
  static VITTE_DECL result<std::size_t> canonical_path(const char* path, char* buf, std::size_t n) noexcept;
  /// $TMPDIR, else /tmp.
  static VITTE_DECL result<std::size_t> temp_directory(char* buf, std::size_t n) noexcept;

  /// mmap MAP_SHARED (MAP_PRIVATE for map_mode::copy), munmap, msync MS_SYNC.
  static VITTE_DECL result<void*> file_map(native_handle h, std::uint64_t offset, std::size_t size,
                                           map_mode mode) noexcept;
  static VITTE_DECL error file_unmap(void* p, std::size_t size) noexcept;
  static VITTE_DECL error file_map_sync(void* p, std::size_t size) noexcept;

#if VITTE_OS_DARWIN || VITTE_OS_BSD
  /// Change hints for the snapshot watcher: a kqueue, and per path a
  /// descriptor (O_EVTONLY on Darwin, else O_RDONLY; close-on-exec) with
  /// EVFILT_VNODE for writes, extension, attributes, links, deletion, rename
  /// and revocation, EV_CLEAR. Closing the kqueue handle closes every path
  /// descriptor it handed out. Unverified (no CI runner): from kqueue(2).
  static VITTE_DECL result<native_handle> watch_hint_open() noexcept;
  static VITTE_DECL result<native_handle> watch_hint_add(native_handle h, const char* path) noexcept;
  static VITTE_DECL void watch_hint_remove(native_handle h, native_handle token) noexcept;
  static VITTE_DECL error watch_hint_wait(native_handle h, std::int64_t deadline_ns) noexcept;
  static VITTE_DECL void watch_hint_close(native_handle h) noexcept;
#endif

  // random: the OS's cryptographic source (vitte/sys/random.hpp).
  /// getentropy (at most 256 bytes a call) on Darwin and the BSDs, else a
  /// read of /dev/urandom (opened close-on-exec for each call). EINTR is
  /// errc::interrupted; the generic loop retries and completes short counts.
  static VITTE_DECL result<std::size_t> random_fill(void* buf, std::size_t n) noexcept;

  // terminal: descriptors 0, 1, 2; isatty (detail/posix/terminal.ipp).
  static VITTE_DECL native_handle standard_handle(int which) noexcept;
  static VITTE_DECL bool is_terminal(native_handle h) noexcept;
  /// A terminal interprets ANSI sequences itself: true when h is one.
  static VITTE_DECL bool enable_terminal_colors(native_handle h) noexcept;

  // net: BSD sockets. Every socket is close-on-exec; sends never raise
  // SIGPIPE (MSG_NOSIGNAL; SO_NOSIGPIPE on Darwin). EINTR is reported as
  // errc::interrupted (the facility retries). Errors carry errno; name
  // resolution failures carry the EAI_ code with error_domain::none.

  /// socket() (SOCK_CLOEXEC | SOCK_NONBLOCK where the OS has them, else fcntl).
  static VITTE_DECL result<native_handle> socket_open(address_family f, socket_type t, bool nonblocking) noexcept;
  /// close; the descriptor is gone even when an error is reported.
  static VITTE_DECL error socket_close(native_handle h) noexcept;
  static VITTE_DECL error socket_bind(native_handle h, const socket_address& a) noexcept;
  static VITTE_DECL error socket_listen(native_handle h, int backlog) noexcept;
  /// accept (accept4 with SOCK_CLOEXEC on Linux); `peer` may be null.
  static VITTE_DECL result<native_handle> socket_accept(native_handle h, socket_address* peer,
                                                        bool nonblocking) noexcept;
  /// connect; a non-blocking socket reports errc::in_progress.
  static VITTE_DECL error socket_connect(native_handle h, const socket_address& a) noexcept;
  /// The outcome of a non-blocking connect (SO_ERROR).
  static VITTE_DECL error socket_connect_result(native_handle h) noexcept;
  /// sendmsg of `count` buffers, to `to` when not null (a datagram).
  static VITTE_DECL result<std::size_t> socket_send(native_handle h, const const_buffer* bufs, std::size_t count,
                                                    const socket_address* to) noexcept;
  /// recvmsg into `count` buffers; `from` (may be null) gets the sender and
  /// `truncated` (may be null) is set when a datagram did not fit (MSG_TRUNC).
  static VITTE_DECL result<std::size_t> socket_receive(native_handle h, const mutable_buffer* bufs, std::size_t count,
                                                       socket_address* from, bool* truncated) noexcept;
  static VITTE_DECL error socket_shutdown(native_handle h, shutdown_how how) noexcept;
  static VITTE_DECL error socket_set_option(native_handle h, socket_option o, int value) noexcept;
  static VITTE_DECL result<int> socket_get_option(native_handle h, socket_option o) noexcept;
  /// O_NONBLOCK.
  static VITTE_DECL error socket_set_nonblocking(native_handle h, bool on) noexcept;
  /// getsockname (`peer` false) or getpeername (`peer` true).
  static VITTE_DECL error socket_address_of(native_handle h, bool peer, socket_address& out) noexcept;
  /// socketpair(AF_UNIX) of type `t`.
  static VITTE_DECL error socket_pair(socket_type t, bool nonblocking, native_handle* out) noexcept;
  /// poll() on one descriptor until ready for `interest` or the monotonic
  /// deadline (errc::timed_out); returns what is ready.
  static VITTE_DECL result<io_events> socket_wait(native_handle h, io_events interest,
                                                  std::int64_t deadline_ns) noexcept;
  /// getaddrinfo: writes at most n addresses, returns how many it wrote.
  static VITTE_DECL result<std::size_t> resolve(const char* host, const char* service, const resolve_hints& hints,
                                                socket_address* out, std::size_t n) noexcept;

  // poller: poll(2) over an array of pollfd with an index map (O(1) add,
  // modify, remove), woken by a self-pipe. Any descriptor works (sockets,
  // pipes, terminals); only level triggering (edge: errc::not_supported).
  // The handle is the backend's object. Darwin and the BSDs use kqueue.

  /// A new poller (its wake-up pipe is close-on-exec and non-blocking).
  static VITTE_DECL result<std::intptr_t> poller_open() noexcept;
  /// Frees the poller; registered descriptors stay open.
  static VITTE_DECL void poller_close(std::intptr_t p) noexcept;
  /// Watches `h` for `interest`; waits report `data`. Errors: already_exists.
  static VITTE_DECL error poller_add(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                     std::uint64_t data) noexcept;
  /// Changes the interest and data of `h`. Errors: not_found.
  static VITTE_DECL error poller_modify(std::intptr_t p, native_handle h, io_events interest, trigger t,
                                        std::uint64_t data) noexcept;
  /// Stops watching `h`. Errors: not_found.
  static VITTE_DECL error poller_remove(std::intptr_t p, native_handle h) noexcept;
  /// Waits until a descriptor is ready, a wake-up, or the monotonic clock
  /// reaches deadline_ns (INT64_MAX: never); writes at most n events (a
  /// wake-up as one with poller_reserved_data) and returns the count, 0 at
  /// the deadline. EINTR: errc::interrupted.
  static VITTE_DECL result<std::size_t> poller_wait(std::intptr_t p, poll_event* out, std::size_t n,
                                                    std::int64_t deadline_ns) noexcept;
  /// Makes a current or the next poller_wait return. Any thread may call it.
  static VITTE_DECL error poller_wake(std::intptr_t p) noexcept;
};

}  // namespace vitte::sys

#if VITTE_HEADER_ONLY
#include <vitte/sys/detail/posix/platform.ipp>
#endif

#endif  // VITTE_SYS_POLICY_POSIX_HPP
